"""`make gallery`: render every sample prompt and every catalog kind into samples/gallery/.

Each prompt in samples/prompts/ is generated at preview settings and rendered
with `hyworld preview` (three-quarter view); the catalog sheet renders each
kind alone (its terrain left out so the object fills the frame) and tiles them
in alphabetical order, listed in catalog.txt.
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

import numpy as np

from exporters.files import atomic_write
from exporters.png import encode_png
from hyworld_cli.inputs import read_prompt
from pipelines.generate import GenRequest, generate
from pipelines.inspect.preview import render_preview
from pipelines.models import get_model
from pipelines.models.kinds import KINDS
from pipelines.options import BuildOptions, GenOptions

HERE = Path(__file__).resolve().parent
PREVIEW_BUILD = BuildOptions(resolution=80, texture_size=256, lods=0, collision=False)
KIND_BUILD = BuildOptions(resolution=64, texture_size=128, lods=0, collision=False)


class ObjectsOnly:
    """The procedural model without its ground field, for single-object renders."""

    name = "procedural"

    def __init__(self) -> None:
        self._model = get_model("procedural")

    def generate(self, prompt: str, seed: int):
        return self._model.generate(prompt, seed)

    def fields(self, plan, device):
        return [f for f in self._model.fields(plan, device) if f.kind not in ("terrain", "room")]


def render_prompts(out: Path, size: int) -> None:
    for prompt_file in sorted((HERE / "prompts").glob("*.txt")):
        with tempfile.TemporaryDirectory() as tmp:
            req = GenRequest(
                prompt=read_prompt(prompt_file).text,
                name=prompt_file.stem,
                out_root=Path(tmp),
                options=GenOptions(build=PREVIEW_BUILD, device="cpu"),
            )
            outcome = generate(req)
            glb = outcome.out_dir / f"{prompt_file.stem}.glb"
            pixels = render_preview(glb, size=size)
        atomic_write(out / f"{prompt_file.stem}.png", encode_png(pixels, srgb=True), "preview")
        print(out / f"{prompt_file.stem}.png", flush=True)


def render_catalog(out: Path, size: int) -> None:
    from exporters import write_formats
    from exporters.presets import get_preset
    from pipelines import run as chain

    model = ObjectsOnly()
    kinds = sorted(KINDS)
    panels = []
    for kind in kinds:
        plan = model.generate(f"a single {kind}", seed=0)
        plan.entities = [e for e in plan.entities if e.kind == kind][:1]
        result = chain.build(plan, model, KIND_BUILD, chain.resolve_device("cpu"))
        with tempfile.TemporaryDirectory() as tmp:
            files = write_formats(result.asset, Path(tmp), kind.replace(" ", "_"), get_preset("generic"))
            panels.append(render_preview(files[0].path, size=size))
        print(kind, flush=True)
    cols = math.ceil(math.sqrt(len(panels)))
    rows = math.ceil(len(panels) / cols)
    sheet = np.full((rows * size, cols * size, 3), 255, dtype=np.uint8)
    for i, panel in enumerate(panels):
        r, c = divmod(i, cols)
        sheet[r * size : (r + 1) * size, c * size : (c + 1) * size] = panel
    atomic_write(out / "catalog.png", encode_png(sheet, srgb=True), "preview")
    listing = "\n".join(f"row {i // cols + 1}, column {i % cols + 1}: {k}" for i, k in enumerate(kinds))
    atomic_write(out / "catalog.txt", (listing + "\n").encode(), "listing")
    print(out / "catalog.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=HERE / "gallery")
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--only", choices=("prompts", "catalog"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.only != "catalog":
        render_prompts(args.out, args.size)
    if args.only != "prompts":
        render_catalog(args.out, args.size // 2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
