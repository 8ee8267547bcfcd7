"""The checklist's scene checks: setting, features, sizes, support, interpenetration, clear paths and floors."""

from __future__ import annotations

import numpy as np

from tests.scene_eval.checks import CHECKS, Result, _frac, extents
from tests.scene_eval.features import feature, floor_hull, water_points
from tests.scene_eval.geometry import (
    heights_at,
    hull_distance,
    inside_convex,
    overlap_volume,
    solid,
    triangles_near,
)
from tests.scene_eval.kinds import WALL_HUNG
from tests.scene_eval.scene import Obj, Scene

WALKABLE = frozenset({"rug", "stepping stones", "grass tuft", "lily pads", "flowers"})


def setting(scene: Scene, spec: dict) -> Result:
    want = spec["want"]
    return float(scene.kind == want), f"a {scene.kind} scene (want {want})"


def feature_check(scene: Scene, spec: dict) -> Result:
    name = spec["name"]
    if name in scene.features or (name == "water" and scene.water_level is not None):
        return 1.0, f"{name} in the scene's extras"
    alt = scene.of(spec.get("kinds"))
    if alt:
        return 1.0, f"{name} made as {alt[0].kind}"
    return 0.0, f"no {name} in the files"


def scene_value(scene: Scene, spec: dict) -> Result:
    key, want = spec["key"], spec["value"]
    got = scene.extras.get(key)
    if want == "set":
        return float(got is not None), f"{key} = {got}"
    if want == "none":
        return float(got is None), f"{key} = {got}"
    return float(got == want), f"{key} = {got} (want {want})"


def size(scene: Scene, spec: dict) -> Result:
    dim, lo, hi = spec["dim"], float(spec.get("min", 0.0)), float(spec.get("max", 1e9))
    ok, got = [], []
    for o in scene.of(spec["kinds"]):
        length, width = extents(o)
        v = {"height": o.height, "length": length, "width": width, "longest": max(length, o.height)}[dim]
        got.append(f"{v:.2f}")
        ok.append(lo <= v <= hi)
    return _frac(ok, f"{dim} in {lo:g}..{hi:g} m (got {', '.join(got) or '-'})")


def alone(scene: Scene, spec: dict) -> Result:
    kinds = sorted(o.kind for o in scene.objects)
    ok = scene.ground is None and len(scene.objects) == 1
    ground = f"; ground node {scene.ground.kind}" if scene.ground is not None else ""
    return float(ok), f"{len(kinds)} object(s): {', '.join(kinds[:6])}{ground}"


def base(scene: Scene, spec: dict) -> Result:
    if len(scene.objects) != 1:
        return 0.0, f"{len(scene.objects)} objects, not one prop"
    o = scene.objects[0]
    low_ok = -0.05 * o.height - 0.02 <= o.lo[1] <= 0.02
    off = float(np.linalg.norm(o.center))
    mid_ok = off <= max(0.05, 0.1 * extents(o)[0])
    return float(low_ok and mid_ok), f"base at y = {o.lo[1]:.3f} m, {off:.2f} m off the origin"


def _surfaces(scene: Scene, o: Obj) -> tuple[np.ndarray, np.ndarray]:
    """Return the triangles that could carry ``o``: the ground's, and the other objects' near it."""
    lo, hi = o.lo[[0, 2]], o.hi[[0, 2]]
    ground = scene.ground.triangles if scene.ground is not None else np.zeros((0, 3, 3))
    parts = [
        other.triangles
        for other in scene.objects
        if other is not o and np.all(other.lo[[0, 2]] <= hi) and np.all(other.hi[[0, 2]] >= lo)
    ]
    others = np.concatenate(parts) if parts else np.zeros((0, 3, 3))
    return triangles_near(ground, lo, hi, pad=0.05), triangles_near(others, lo, hi, pad=0.05)


def supported(scene: Scene, o: Obj) -> tuple[bool, str]:
    """Return whether ``o`` stands on something (ground, floor, water, another object, a wall) and why.

    A point of the object's base is carried where a surface lies at most a grid
    cell (+8 cm) below it, or above it: the ground anywhere below the object's
    top (boulders, buildings and a pier's posts are sunk into it), another
    object only by that cell.
    """
    if not len(o.vertices):
        return True, "empty"
    level = scene.water_level
    if level is not None and o.lo[1] <= level + 0.05 <= o.hi[1] and len(water_points(scene)):
        return True, "water"
    if scene.ground is None and o.lo[1] <= 0.02 and len(scene.objects) == 1:
        return True, "a prop on y = 0"
    gap_tol = 0.08 + scene.cell(o)
    band = o.vertices[o.vertices[:, 1] <= o.lo[1] + max(0.03, scene.cell(o))]
    band = band[:: max(1, len(band) // 48)]
    ground, others = _surfaces(scene, o)
    y = band[:, 1:2]
    hg, ho = heights_at(ground, band[:, [0, 2]]), heights_at(others, band[:, [0, 2]])
    ok = np.any((hg >= y - gap_tol) & (hg <= o.hi[1]), axis=1)
    ok |= np.any((ho >= y - gap_tol) & (ho <= y + gap_tol), axis=1)
    if ok.mean() >= 0.25:
        return True, "rests"
    if o.kind in WALL_HUNG:
        walls = feature(scene, "walls")
        if walls is not None and float(walls.distance(o.footprint).min()) <= 0.15 + scene.cell(o):
            return True, "on a wall"
    h = np.concatenate([hg, ho], axis=1)
    below = np.where(np.isnan(h) | (h > y), -np.inf, h).max(axis=1, initial=-np.inf)
    gap = float(np.min(y[:, 0] - below)) if np.isfinite(below).any() else float("inf")
    return False, f"{o.name} {'floats ' + format(gap, '.2f') + ' m' if np.isfinite(gap) else 'has nothing under it'}"


def support(scene: Scene, spec: dict) -> Result:
    ok, bad = [], []
    for o in scene.objects:
        good, why = supported(scene, o)
        ok.append(good)
        if not good:
            bad.append(why)
    score, detail = _frac(ok, "objects supported")
    return score, detail + (f"; {'; '.join(bad[:4])}" if bad else "")


def _linked(a: Obj, b: Obj) -> bool:
    """Return whether the files say one of the two stands on or belongs to the other (they may touch)."""
    return any(x.extras.get(k) == y.name for x, y in ((a, b), (b, a)) for k in ("support", "anchor"))


def no_overlap(scene: Scene, spec: dict) -> Result:
    objs = scene.objects
    cache: dict = {}
    bad: set[str] = set()
    pairs = []
    for i, a in enumerate(objs):
        for b in objs[i + 1 :]:
            lo, hi = np.maximum(a.lo, b.lo), np.minimum(a.hi, b.hi)
            if np.all(hi > lo) and not _linked(a, b) and hull_distance(a.footprint, b.footprint) <= 0.0:
                vol = overlap_volume((a.vertices, a.faces), (b.vertices, b.faces), lo, hi, cache, (a.name, b.name))
                small = min(_volume(a, cache), _volume(b, cache))
                if vol > max(0.002, 0.02 * small):
                    bad.update((a.name, b.name))
                    pairs.append(f"{a.name}/{b.name} {vol:.3f} m3")
    score = 1 - len(bad) / len(objs) if objs else 1.0
    return score, f"{len(objs) - len(bad)}/{len(objs)} clear" + (f"; {', '.join(pairs[:4])}" if pairs else "")


def _volume(o: Obj, cache: dict) -> float:
    s = cache.get(o.name, "missing")
    if s == "missing":
        s = cache[o.name] = solid(o.vertices, o.faces)
    return float(s.volume()) if s is not None else float(np.prod(o.hi - o.lo)) * 0.5


def clear_path(scene: Scene, spec: dict) -> Result:
    feat = feature(scene, spec["feature"])
    if feat is None:
        return 0.0, f"no {spec['feature']} in the files"
    allowed = set(spec.get("except", ()))
    width = feat.width if feat.shape in ("line", "band") else 0.0
    blockers = []
    for o in scene.objects:
        if o.kind in allowed:
            continue
        inner = o.center + (o.footprint - o.center) * 0.8  # a footprint's rim may brush the verge
        if feat.shape == "band":
            inside = float(np.min(np.abs(inner[:, 1 - feat.axis] - feat.center[1 - feat.axis]))) < width / 2 - 0.25
        else:
            from tests.scene_eval.geometry import polyline_frame

            d, side, _ = polyline_frame(np.vstack([inner, o.center[None]]), feat.points)
            inside = float(d.min()) < width / 2 - 0.25 or (len(set(side.tolist())) > 1 and float(d.min()) < width)
        if inside:
            blockers.append(o.name)
    return float(not blockers), "clear" if not blockers else f"blocked by {', '.join(blockers[:5])}"


def inside_room(scene: Scene, spec: dict) -> Result:
    floor = floor_hull(scene)
    if len(floor) < 3:
        return 0.0, "no room"
    ok = [bool(np.all(inside_convex(o.footprint, floor, margin=0.1 + scene.cell(o)))) for o in scene.objects]
    return _frac(ok, "objects inside the room")


def walkable(scene: Scene, spec: dict) -> Result:
    floor = floor_hull(scene)
    if len(floor) < 3:
        return 0.0, "no room"
    lo, hi = floor.min(axis=0), floor.max(axis=0)
    xs, zs = np.arange(lo[0] + 0.125, hi[0], 0.25), np.arange(lo[1] + 0.125, hi[1], 0.25)
    grid = np.stack(np.meshgrid(xs, zs), axis=-1).reshape(-1, 2)
    grid = grid[inside_convex(grid, floor)]
    taken = np.zeros(len(grid), dtype=bool)
    for o in scene.objects:
        if o.kind not in WALKABLE and o.lo[1] < 1.8:  # what hangs above head height leaves the floor free
            taken |= inside_convex(grid, o.footprint)
    free = 1 - taken.mean() if len(grid) else 0.0
    want = float(spec.get("min_free", 0.4))
    return float(free >= want), f"{free:.0%} of the floor free (want {want:.0%})"


class ChecklistError(ValueError):
    """A checklist names a check type the scorer does not have."""


SCENE_CHECKS = {
    "setting": setting,
    "feature": feature_check,
    "scene": scene_value,
    "size": size,
    "alone": alone,
    "base": base,
    "support": support,
    "no_overlap": no_overlap,
    "clear_path": clear_path,
    "inside_room": inside_room,
    "walkable": walkable,
}
ALL_CHECKS = {**CHECKS, **SCENE_CHECKS}


def run_check(scene: Scene, spec: dict) -> Result:
    """Return the score and detail of one check (an unknown type is an error in the checklist)."""
    fn = ALL_CHECKS.get(spec["type"])
    if fn is None:
        raise ChecklistError(f"unknown check type {spec['type']!r}")
    score, detail = fn(scene, spec)
    return float(np.clip(score, 0.0, 1.0)), detail


def label(spec: dict) -> str:
    """Return a short name for a check: its type, subject, and anchor or feature."""
    parts = [spec["type"]]
    if spec.get("kinds"):
        parts.append("/".join(spec["kinds"][:3]) + ("/..." if len(spec["kinds"]) > 3 else ""))
    for key in ("attribute", "word", "of", "feature", "name", "key", "dir", "want", "dim"):
        if spec.get(key) is not None:
            v = spec[key]
            parts.append(f"{key}={'/'.join(v[:2]) if isinstance(v, list) else v}")
    return " ".join(parts)
