"""Navigation: the walkable mesh of a scene and spawn points on it, from the ground field and the placed objects.

``add_navigation`` runs after the nodes are placed (instances included): it
builds the walkable grid (``build``), writes it into the Asset as its
``navmesh`` (the writers name it ``NAV_<asset>``, never drawn) and picks a few
spawn points in the open (``SPAWN_NN``: the most open cells of the biggest
region, spread apart). ``query`` answers path queries on a written navmesh.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from exporters.asset import Asset, NavMesh, SpawnPoint
from pipelines.nav.build import Agent, Grid, to_mesh, walkable_grid

SPAWN_POINTS = 4


def with_agent(opts, preset_agent: tuple[float, float, float, float]):  # noqa: ANN001, ANN201 - BuildOptions
    """Return ``opts`` with each unset agent option (radius, height, slope, step) taken from the preset's."""
    names = ("agent_radius", "agent_height", "agent_max_slope", "agent_step")
    changes = {n: v for n, v in zip(names, preset_agent) if getattr(opts, n) is None}
    return dataclasses.replace(opts, **changes)


def agent_of(opts) -> Agent:  # noqa: ANN001 - BuildOptions
    """Return the agent of ``opts`` (each unset value from ``Agent``'s defaults)."""
    base = Agent()
    return Agent(
        radius=opts.agent_radius if opts.agent_radius is not None else base.radius,
        height=opts.agent_height if opts.agent_height is not None else base.height,
        max_slope=opts.agent_max_slope if opts.agent_max_slope is not None else base.max_slope,
        step=opts.agent_step if opts.agent_step is not None else base.step,
    )


def add_navigation(asset: Asset, pools, plan, opts, warnings: list[str]) -> None:  # noqa: ANN001
    """Give ``asset`` its navmesh and spawn points, unless it is off or the scene has no outdoor ground."""
    ground = pools.fields.get("terrain")
    if not opts.navmesh or ground is None or plan.environment.kind != "terrain":
        return
    agent = agent_of(opts)
    objects = [n for n in asset.nodes if n.name != "terrain"]
    grid = walkable_grid(ground, objects, agent, plan.environment.water_level)
    if not grid.walkable.any():
        warnings.append("navmesh: no walkable ground found (water, slopes or objects cover it)")
        return
    mesh = to_mesh(grid)
    sizes = [int((grid.regions == r).sum()) for r in range(int(grid.regions.max()) + 1)]
    asset.navmesh = NavMesh(
        mesh,
        {
            "agent": {
                "radius": agent.radius,
                "height": agent.height,
                "max_slope_deg": agent.max_slope,
                "step": agent.step,
            },
            "cell_m": round(grid.cell, 4),
            "walkable_m2": round(float(grid.walkable.sum()) * grid.cell**2, 2),
            "regions": len(sizes),
            "largest_region_m2": round(max(sizes) * grid.cell**2, 2),
        },
    )
    asset.spawn_points = spawn_points(grid, SPAWN_POINTS)


def spawn_points(grid: Grid, count: int) -> list[SpawnPoint]:
    """Return up to ``count`` spawn points: open cells of the biggest region, each far from the others."""
    ids, sizes = np.unique(grid.regions[grid.regions >= 0], return_counts=True)
    region = int(ids[np.argmax(sizes)])
    cells = np.argwhere(grid.regions == region)
    clear = grid.clearance[cells[:, 0], cells[:, 1]]
    open_cells = cells[clear >= max(2, int(np.percentile(clear, 75)))]
    if not len(open_cells):
        open_cells = cells
    picked = [int(np.argmax(grid.clearance[open_cells[:, 0], open_cells[:, 1]]))]
    while len(picked) < min(count, len(open_cells)):
        d = np.min(np.linalg.norm(open_cells[:, None, :] - open_cells[picked][None], axis=2), axis=1)
        picked.append(int(np.argmax(d)))
    out = []
    for k, idx in enumerate(picked, start=1):
        i, j = (int(v) for v in open_cells[idx])
        x, y, z = grid.centre(i, j)
        out.append(
            SpawnPoint(
                f"SPAWN_{k:02d}",
                (round(x, 4), round(y, 4), round(z, 4)),
                round(float(grid.clearance[i, j]) * grid.cell, 3),
            )
        )
    return out
