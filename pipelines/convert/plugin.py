"""What a plugged-in scene model's ``fields`` may return besides Fields: meshes and splats, made Fields here.

A model registered under the ``hyworld.scene_models`` entry-point group (see
``pipelines.models.get_model``) returns, per object, any of:

* a ``Field`` (``pipelines.fields``): signed distance + material, as the
  procedural model does;
* a ``SourceMesh`` (``pipelines.sources.types``): triangles in meters, +Y up,
  with optional normals, uv + textured materials and vertex colours; a clean
  one is decimated as it is, a broken one rebuilt through a field;
* a ``SourcePoints``: a coloured point cloud, or 3D Gaussian splats (``scales``,
  ``rotations``, ``opacity`` set), rebuilt from its density.

Each mesh or point set keeps the world position it was given (its pivot goes to
the centre of its base); it is named ``<model>_<index>`` unless the object has
a ``name`` attribute.
"""

from __future__ import annotations

import numpy as np

from pipelines.convert.frame import FrameOptions
from pipelines.convert.objects import build_objects
from pipelines.fields import Field
from pipelines.sources.types import Source, SourceMesh, SourcePoints


def model_fields(model, plan, device, resolution: int) -> list:
    """Return ``model.fields(plan, device)``, each mesh or point set made a Field (the chain and its workers both call this)."""
    items = model.fields(plan, device)
    return items if all(isinstance(f, Field) for f in items) else as_fields(items, resolution, plan.seed)


def as_fields(items: list, resolution: int, seed: int) -> list:
    """Return ``items`` with every SourceMesh / SourcePoints replaced by the ConvertFields it becomes."""
    out = []
    for i, item in enumerate(items):
        if isinstance(item, Field):
            out.append(item)
            continue
        if not isinstance(item, (SourceMesh, SourcePoints)):
            raise TypeError(
                f"a scene model returned {type(item).__name__}; expected a Field, SourceMesh or SourcePoints"
            )
        name = getattr(item, "name", None) or f"object_{i + 1:02d}"
        source = Source(path=name, format="model", mesh=item if isinstance(item, SourceMesh) else None,
                        points=item if isinstance(item, SourcePoints) else None)  # fmt: skip
        lo = (item.positions if isinstance(item, SourcePoints) else item.positions).min(0)
        hi = (item.positions if isinstance(item, SourcePoints) else item.positions).max(0)
        base = np.array([(lo[0] + hi[0]) / 2, lo[1], (lo[2] + hi[2]) / 2])
        fields, _ = build_objects(source, FrameOptions(), name, resolution, seed)
        for f in fields:  # build_objects stands the object at the origin; the model placed it
            f.translation = tuple(float(a + b) for a, b in zip(f.translation, base))
        out.extend(fields)
    return out
