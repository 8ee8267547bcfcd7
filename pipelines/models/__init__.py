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


def get_model(name: str) -> SceneModel:
    """Return the scene model registered under ``name``."""
    if name == "procedural":
        from pipelines.models.procedural import ProceduralModel

        return ProceduralModel()
    raise InputError(f"unknown scene model {name!r}; available: procedural")


MODEL_NAMES = ("procedural",)
