"""Scene models: prompt -> ScenePlan -> per-entity Fields, chosen by name."""

from __future__ import annotations

from typing import Protocol

import torch

from exporters.errors import InputError
from pipelines.fields import Field
from pipelines.plan import ScenePlan


class SceneModel(Protocol):
    """What every scene model implements; the chain knows nothing else about it."""

    name: str

    def generate(self, prompt: str, seed: int) -> ScenePlan:
        """Return the plan for ``prompt``; the same prompt and seed give the same plan."""
        ...

    def fields(self, plan: ScenePlan, device: torch.device) -> list[Field]:
        """Return one Field per node of the scene (terrain first), on ``device``."""
        ...


ENTRY_POINT_GROUP = "hyworld.scene_models"


def get_model(name: str) -> SceneModel:
    """Return the scene model registered under ``name``: ``procedural``, or one a package plugs in.

    A package registers a model under the entry-point group ``hyworld.scene_models``
    (``[project.entry-points."hyworld.scene_models"] my_model = "pkg.module:MyModel"``);
    the entry point is a class or factory called with no arguments. Its ``fields`` may
    return Fields, meshes (``pipelines.sources.SourceMesh``) or points and splats
    (``SourcePoints``), in any mix: see docs in samples/plugin_model/README.md.
    """
    if name == "procedural":
        from pipelines.models.procedural import ProceduralModel

        return ProceduralModel()
    plugged = _plugged_models()
    if name in plugged:
        try:
            return plugged[name].load()()
        except Exception as exc:  # a broken plug-in: say which, keep its message
            raise InputError(f"scene model {name!r} ({plugged[name].value}) failed to load: {exc}") from exc
    raise InputError(f"unknown scene model {name!r}; available: {', '.join(['procedural', *sorted(plugged)])}")


def _plugged_models() -> dict:
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


MODEL_NAMES = ("procedural",)
