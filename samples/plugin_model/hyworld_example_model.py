"""A small scene model plugged into hyworld by name: one Field, one mesh and one set of Gaussian splats.

Register it (pyproject.toml of your package, see README.md here)::

    [project.entry-points."hyworld.scene_models"]
    example = "hyworld_example_model:ExampleModel"

then ``hyworld gen prompt.txt --model example``. A studio's GPU generator does
the same: ``generate`` reads the prompt into a plan, ``fields`` returns, per
object, a Field (signed distance + material), a SourceMesh or a SourcePoints
(points or splats), and the chain takes each the way ``hyworld convert`` does.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from pipelines.fields import MaterialSample
from pipelines.plan import Environment, ScenePlan
from pipelines.sources.types import SourceMesh, SourcePoints


class SphereField:
    """A 0.6 m sphere standing at x = -2: the Field protocol of pipelines/fields.py."""

    name, kind, closed, yaw_deg = "ball", "boulder", True, 0.0
    bounds_min, bounds_max = (-0.35, -0.05, -0.35), (0.35, 0.65, 0.35)
    translation = (-2.0, 0.0, 0.0)

    def sdf(self, p: torch.Tensor) -> torch.Tensor:
        return (p - torch.tensor([0.0, 0.3, 0.0], device=p.device, dtype=p.dtype)).norm(dim=1) - 0.3

    def material(self, p: torch.Tensor) -> MaterialSample:
        n = p.shape[0]
        red = torch.tensor([0.8, 0.2, 0.1], device=p.device).expand(n, 3)
        return MaterialSample(red, torch.full((n,), 0.6, device=p.device), torch.zeros(n, device=p.device))


def crate_mesh() -> SourceMesh:
    """A 1 m box at the origin, vertex-coloured (linear RGBA), as a generator would hand back a mesh."""
    c = np.array([[x, y, z] for x in (-0.5, 0.5) for y in (0.0, 1.0) for z in (-0.5, 0.5)], float)
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    faces = np.array([(a, b, c_) for a, b, c_, d in quads] + [(a, c_, d) for a, b, c_, d in quads])
    colors = np.c_[np.tile([0.5, 0.3, 0.1], (8, 1)), np.ones(8)]
    mesh = SourceMesh(positions=c, faces=faces, colors=colors)
    mesh.name = "crate"  # type: ignore[attr-defined]  # optional: the node's name
    return mesh


def bush_splats(n: int = 4000, seed: int = 0) -> SourcePoints:
    """Green Gaussian splats on a 0.5 m sphere standing at x = +2 (decoded values: scales in m, opacity 0..1)."""
    rng = np.random.default_rng(seed)
    d = rng.normal(size=(n, 3))
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    spacing = math.sqrt(math.pi / n)
    return SourcePoints(
        positions=d * 0.5 + [2.0, 0.5, 0.0],
        colors=np.tile([0.2, 0.6, 0.2], (n, 1)),
        scales=np.full((n, 3), 1.5 * spacing),
        rotations=np.tile([1.0, 0.0, 0.0, 0.0], (n, 1)),
        opacity=np.full(n, 0.9),
    )


class ExampleModel:
    """The scene model protocol (pipelines/models/__init__.py): ``name``, ``generate``, ``fields``."""

    name = "example"

    def generate(self, prompt: str, seed: int) -> ScenePlan:
        return ScenePlan(prompt=prompt, seed=seed, model=self.name, environment=Environment(kind="prop"))

    def fields(self, plan: ScenePlan, device: torch.device) -> list:
        return [SphereField(), crate_mesh(), bush_splats(seed=plan.seed)]
