"""Option types shared by `gen` and `batch`, so both commands spell and document them alike."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

Seed = Annotated[int, typer.Option(help="Random seed; the same seed and options give the same bytes.")]
Resolution = Annotated[int, typer.Option(help="Extraction grid cells along each object's longest side (8..2048).")]
TextureSize = Annotated[int, typer.Option("--texture-size", help="Largest texture edge in texels (power of two).")]
Target = Annotated[str, typer.Option(help="Engine preset: generic, unity, unreal, godot (see `hyworld presets`).")]
Lods = Annotated[int, typer.Option(help="LOD levels beyond LOD0, each at most half the triangles of the one before.")]
Budget = Annotated[Optional[int], typer.Option(help="LOD0 triangles per object (default: per kind).")]
MaxTriangles = Annotated[Optional[int], typer.Option("--max-triangles", help="LOD0 triangles for the whole scene.")]
Model = Annotated[str, typer.Option(help="Scene model.")]
Json = Annotated[bool, typer.Option("--json", help="Print machine-readable results on stdout; logs stay on stderr.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks and INFO logs on stderr.")]
