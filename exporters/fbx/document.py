"""The FBX node tree that both encoders (binary, ASCII) write, and helpers to build it.

An FBX file is a tree of records: each has a name, a list of typed values
("properties") and child records. Python values map to FBX property codes:

==================  =====  ===========================================
value               code   note
==================  =====  ===========================================
``bool``            C      1 byte (ASCII: ``T``/``F``)
``np.int16``        Y
``int``             I      must fit in int32
``np.int64``        L      object ids, KTime values
``np.float32``      F
``float``           D
``str``             S      UTF-8
``ObjName``         S      ``name\\x00\\x01Class`` in binary, ``Class::name`` in ASCII
``bytes``           R      raw bytes (embedded images)
``np.ndarray``      f d i l b   by dtype: float32, float64, int32, int64, bool
==================  =====  ===========================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

import numpy as np


@dataclass(frozen=True)
class ObjName:
    """An object's name with its class, written the way each encoding wants it."""

    name: str
    cls: str


Value = Union[bool, int, float, str, bytes, ObjName, np.generic, np.ndarray]


@dataclass
class FbxNode:
    """One FBX record: ``name: props... { children }``."""

    name: str
    props: list = field(default_factory=list)
    children: list[FbxNode] = field(default_factory=list)

    def add(self, name: str, *props: Value) -> FbxNode:
        """Return a new child record appended to this one."""
        child = FbxNode(name, list(props))
        self.children.append(child)
        return child

    def find(self, name: str) -> FbxNode | None:
        """Return the first child called ``name``, or None."""
        return next((c for c in self.children if c.name == name), None)


# ---- Properties70 ("P" records): name, type, label, flags, values ---------------------------


def properties70(parent: FbxNode, entries: list[tuple]) -> FbxNode:
    """Return a ``Properties70`` child of ``parent`` holding one ``P`` record per entry."""
    block = parent.add("Properties70")
    for entry in entries:
        block.add("P", *entry)
    return block


def p_int(name: str, value: int) -> tuple:
    return (name, "int", "Integer", "", int(value))


def p_bool(name: str, value: bool) -> tuple:
    return (name, "bool", "", "", int(bool(value)))


def p_enum(name: str, value: int) -> tuple:
    return (name, "enum", "", "", int(value))


def p_double(name: str, value: float) -> tuple:
    return (name, "double", "Number", "", float(value))


def p_number(name: str, value: float, animatable: bool = True) -> tuple:
    return (name, "Number", "", "A" if animatable else "", float(value))


def p_string(name: str, value: str, label: str = "") -> tuple:
    return (name, "KString", label, "", str(value))


def p_time(name: str, value: int) -> tuple:
    return (name, "KTime", "Time", "", np.int64(value))


def p_color(name: str, rgb) -> tuple:
    """An animatable color (material colors)."""
    r, g, b = (float(x) for x in rgb)
    return (name, "Color", "", "A", r, g, b)


def p_color_rgb(name: str, rgb) -> tuple:
    r, g, b = (float(x) for x in rgb)
    return (name, "ColorRGB", "Color", "", r, g, b)


def p_vector(name: str, xyz, kind: str = "Vector3D") -> tuple:
    x, y, z = (float(v) for v in xyz)
    return (name, kind, "Vector", "", x, y, z)


def p_lcl(name: str, xyz) -> tuple:
    """``Lcl Translation`` / ``Lcl Rotation`` / ``Lcl Scaling``."""
    x, y, z = (float(v) for v in xyz)
    return (name, name, "", "A", x, y, z)


def p_compound(name: str) -> tuple:
    return (name, "Compound", "", "")


def p_object(name: str) -> tuple:
    return (name, "object", "", "")


def p_user(name: str, value) -> tuple:
    """A user-defined property (flags ``U``): engines hand these to import scripts."""
    if isinstance(value, bool):
        return (name, "bool", "", "U", int(value))
    if isinstance(value, int) and -(2**31) <= value < 2**31:
        return (name, "int", "Integer", "U", value)
    if isinstance(value, float):
        return (name, "double", "Number", "U", value)
    return (name, "KString", "", "U", str(value))
