"""Triangle budgets: LOD0 triangles per catalog kind, scaled down to fit a whole-scene maximum."""

from __future__ import annotations

import math

from exporters.errors import InputError

# LOD0 triangles per catalog kind (pipelines/models/kinds) and per ground ("terrain",
# "room"). A 1080p frame has ~2M pixels; these keep a busy village of ~40 objects
# near 250k triangles at LOD0, small props a few hundred, the ground the most.
KIND_BUDGETS: dict[str, int] = {
    # ground
    "terrain": 60000,
    "room": 30000,
    "interior": 30000,
    # buildings and landmarks
    "tower": 16000,
    "lighthouse": 16000,
    "windmill": 14000,
    "house": 12000,
    "dome": 12000,
    "statue": 12000,
    "cabin": 10000,
    "fountain": 10000,
    "bridge": 8000,
    "hut": 6000,
    "well": 6000,
    "gate": 6000,
    "pier": 6000,
    "market stall": 5000,
    "tent": 4000,
    "wall": 4000,
    "fence": 2000,
    # nature
    "cliff": 20000,
    "tree": 8000,
    "pine": 6000,
    "palm": 6000,
    "rock pillar": 5000,
    "boulder": 4000,
    "bush": 3000,
    "cactus": 2500,
    "rock": 2500,
    "crystal": 2000,
    # vehicles, furniture, props
    "boat": 6000,
    "wagon": 6000,
    "fireplace": 4000,
    "bar counter": 3000,
    "shelf": 2500,
    "table": 2000,
    "bench": 2000,
    "antenna": 2000,
    "chair": 1500,
    "barrel": 1500,
    "lamp post": 1500,
    "stool": 1000,
    "crate": 800,
    "candle": 500,
}
DEFAULT_BUDGET = 5000
# A kind the table does not list gets DEFAULT_BUDGET at FULL_SIZE_M across and less when
# smaller, in proportion (a 1.3 m mailbox ~1600, like the table's barrels and chairs), never
# under SMALL_BUDGET: without it a cup or a reed clump got as many triangles as a hut.
FULL_SIZE_M = 4.0
SMALL_BUDGET = 400
MIN_NODE_TRIANGLES = 128  # floor per node under --max-triangles: below this objects lose their shape


def default_budget(kind: str, size_m: float | None = None) -> int:
    """Return the LOD0 triangle budget for a catalog ``kind``.

    A kind the table does not list gets ``DEFAULT_BUDGET``, scaled down by its ``size_m``
    (the largest side of its bounds) when that is given and under ``FULL_SIZE_M``.
    """
    listed = KIND_BUDGETS.get(kind.strip().lower())
    if listed is not None:
        return listed
    if size_m is None or not math.isfinite(size_m):
        return DEFAULT_BUDGET
    return max(SMALL_BUDGET, min(DEFAULT_BUDGET, round(DEFAULT_BUDGET * size_m / FULL_SIZE_M)))


def apply_scene_budget(
    triangles_per_node: dict[str, int],
    max_triangles: int | None,
    *,
    min_per_node: int = MIN_NODE_TRIANGLES,
) -> dict[str, int]:
    """Return per-node LOD0 budgets scaled down proportionally so their sum fits ``max_triangles``.

    Nodes keep ``min(own budget, min_per_node)`` at least; the others share the
    rest in proportion to their own budgets (rounded down, so the sum never
    exceeds the maximum). ``None`` returns the budgets unchanged.
    """
    budgets = {name: int(n) for name, n in triangles_per_node.items()}
    if any(n < 1 for n in budgets.values()):
        bad = next(name for name, n in budgets.items() if n < 1)
        raise InputError(f"triangle budget of {bad!r} is {budgets[bad]}; budgets must be at least 1")
    if max_triangles is None or sum(budgets.values()) <= max_triangles:
        return budgets
    floors = {name: min(n, min_per_node) for name, n in budgets.items()}
    if sum(floors.values()) > max_triangles:
        raise InputError(
            f"--max-triangles {max_triangles} is below the {sum(floors.values())} triangles that "
            f"{len(budgets)} objects need at {min_per_node} each; raise it or generate fewer objects"
        )
    # Water-filling: nodes whose share falls under their floor sit at the floor, the rest scale.
    fixed: set[str] = set()
    while True:
        free = {k: v for k, v in budgets.items() if k not in fixed}
        room = max_triangles - sum(floors[k] for k in fixed)
        scale = room / max(1, sum(free.values()))
        under = {k for k, v in free.items() if v * scale < floors[k]}
        if not under:
            break
        fixed |= under
    return {k: (floors[k] if k in fixed else max(floors[k], int(math.floor(v * scale)))) for k, v in budgets.items()}
