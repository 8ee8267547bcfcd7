"""ASCII FBX 7.4 encoder, for reading a file by eye and diffing two exports.

Same node tree as the binary encoder. Engines read binary FBX best (Blender
reads binary only), so the ASCII form is for debugging (``--fbx-ascii``).
"""

from __future__ import annotations

import base64

import numpy as np

from exporters.fbx.document import FbxNode, ObjName

_HEADER = "; FBX 7.4.0 project file\n; Created by hyworld (ASCII form, for debugging)\n; " + "-" * 52 + "\n\n"


def encode_ascii(top: list[FbxNode]) -> bytes:
    """Return the UTF-8 bytes of an ASCII FBX 7.4 file holding the records ``top``."""
    lines: list[str] = []
    for node in top:
        _write_node(lines, node, 0)
        lines.append("")
    return (_HEADER + "\n".join(lines) + "\n").encode("utf-8")


def _write_node(lines: list[str], node: FbxNode, depth: int) -> None:
    tabs = "\t" * depth
    arrays = [p for p in node.props if isinstance(p, np.ndarray)]
    if arrays:
        if len(node.props) != 1 or node.children:
            raise ValueError(f"ASCII FBX: record {node.name} mixes an array with other values")
        arr = arrays[0]
        lines.append(f"{tabs}{node.name}: *{arr.size} {{")
        lines.append(f"{tabs}\ta: " + ",".join(_scalar(v) for v in arr.tolist()))
        lines.append(f"{tabs}}}")
        return
    head = f"{tabs}{node.name}: " + ", ".join(_value(p) for p in node.props)
    if node.children or not node.props:
        lines.append(head.rstrip() + " {" if node.props else f"{tabs}{node.name}:  {{")
        for child in node.children:
            _write_node(lines, child, depth + 1)
        lines.append(f"{tabs}}}")
    else:
        lines.append(head)


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    return repr(float(v))


def _value(p) -> str:
    if isinstance(p, (bool, np.bool_)):
        return "T" if p else "F"
    if isinstance(p, ObjName):
        return _quote(f"{p.cls}::{p.name}")
    if isinstance(p, str):
        return _quote(p)
    if isinstance(p, (bytes, bytearray)):
        return '"' + base64.b64encode(bytes(p)).decode("ascii") + '"'
    if isinstance(p, (int, np.integer)):
        return str(int(p))
    if isinstance(p, (float, np.floating)):
        return repr(float(p))
    raise TypeError(f"unsupported FBX property value {type(p).__name__}")


def _quote(text: str) -> str:
    return '"' + text.replace('"', "&quot;").replace("\n", " ") + '"'
