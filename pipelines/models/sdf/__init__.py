"""Signed-distance primitives and operators in torch, each carrying its bounding box.

Every primitive here is exact or a 1-Lipschitz bound of the true distance, and
every operator keeps that property (min, max, the quadratic smooth-min, rigid
transforms, uniform scale, limited repetition that checks the neighbouring
copy). A ``Node`` is a callable ``points[N, 3] -> distance[N]`` plus the
axis-aligned box ``lo..hi`` that encloses its zero set, so an object's bounds
follow from its program. Parameters are Python floats: a node works on any
device and dtype.

The code lives in three modules (``core``: the node, bounds and culling;
``primitives``; ``operators``); this package re-exports them so kinds keep
writing ``from pipelines.models.sdf import box, union``.
"""

from pipelines.models.sdf.core import (
    CULL_MARGIN_M,
    CULL_SHARE,
    Fn,
    Node,
    Vec3,
    _maybe_cull,
    box_bound,
    cull,
    near_surface,
    yaw_to_world,
)
from pipelines.models.sdf.operators import (
    intersect,
    mirror,
    polar_repeat,
    radial,
    repeat,
    rotate,
    scale,
    shell,
    smooth_union,
    subtract,
    translate,
    union,
)
from pipelines.models.sdf.primitives import (
    box,
    bulged_cylinder,
    capsule,
    cone,
    cylinder,
    ellipsoid,
    gable,
    polytope,
    pyramid,
    sphere,
    torus,
    tube,
)

__all__ = [
    "CULL_MARGIN_M",
    "CULL_SHARE",
    "Fn",
    "Node",
    "Vec3",
    "_maybe_cull",
    "box",
    "box_bound",
    "bulged_cylinder",
    "capsule",
    "cone",
    "cull",
    "cylinder",
    "ellipsoid",
    "gable",
    "intersect",
    "mirror",
    "near_surface",
    "polar_repeat",
    "polytope",
    "pyramid",
    "radial",
    "repeat",
    "rotate",
    "scale",
    "shell",
    "smooth_union",
    "sphere",
    "subtract",
    "torus",
    "translate",
    "tube",
    "union",
    "yaw_to_world",
]
