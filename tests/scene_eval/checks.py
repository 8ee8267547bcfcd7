"""The checklist's object checks: counts, attributes, word mappings and relations, each scored from geometry.

Every check returns ``(score, detail)``: score in [0, 1] (a fraction of the subjects
where that is natural, else 0 or 1), detail a short reason for the report.
Conventions (ENGINE-CONVENTIONS): +Y up, meters, an object's front is its local +Z
and its left its local +X; on a map north is -Z and east +X.
"""

from __future__ import annotations

import numpy as np

from tests.scene_eval.features import Feature, feature, over_water
from tests.scene_eval.geometry import (
    heights_at,
    hull_distance,
    inside_convex,
    polygon_area,
)
from tests.scene_eval.scene import Obj, Scene

Result = tuple[float, str]
DIRECTIONS = {"north": (0.0, -1.0), "south": (0.0, 1.0), "east": (1.0, 0.0), "west": (-1.0, 0.0)}


def _frac(ok: list[bool], what: str) -> Result:
    if not ok:
        return 0.0, f"no {what}"
    return sum(ok) / len(ok), f"{sum(ok)}/{len(ok)} {what}"


def _anchor(scene: Scene, spec: dict, exclude: Obj | None = None) -> tuple[list[Obj], Feature | None]:
    """Return the anchor objects (``of``), else the feature, that a relation refers to."""
    objs = [o for o in scene.of(spec.get("of")) if o is not exclude]
    if objs or not spec.get("feature"):
        return objs, None
    return [], feature(scene, spec["feature"])


def _radius(o: Obj) -> float:
    return float(np.max(np.linalg.norm(o.footprint - o.center, axis=1))) if len(o.footprint) else 0.0


def extents(o: Obj) -> tuple[float, float]:
    """Return the footprint's length and width along its principal axes."""
    pts = o.footprint
    if len(pts) < 2:
        return 0.0, 0.0
    c = pts - pts.mean(axis=0)
    _, vecs = np.linalg.eigh(c.T @ c)
    proj = c @ vecs
    span = proj.max(axis=0) - proj.min(axis=0)
    return float(span.max()), float(span.min())


def count(scene: Scene, spec: dict) -> Result:
    objs = scene.of(spec["kinds"])
    if spec.get("words"):
        objs = [o for o in objs if spec["words"].lower() in str(o.extras.get("words", "")).lower()]
    lo, hi = spec.get("min", 1), spec.get("max", 10**9)
    want = f"{lo}" if lo == hi else (f">= {lo}" if hi >= 10**9 else f"{lo}..{hi}")
    return float(lo <= len(objs) <= hi), f"{len(objs)} (want {want})"


def absent(scene: Scene, spec: dict) -> Result:
    objs = scene.of(spec["kinds"])
    return float(not objs), "none" if not objs else ", ".join(sorted({o.kind for o in objs})) + " present"


def variety(scene: Scene, spec: dict) -> Result:
    kinds = sorted({o.kind for o in scene.of(spec["kinds"])})
    return float(
        len(kinds) >= spec.get("min", 2)
    ), f"{len(kinds)} kinds (want >= {spec.get('min', 2)}): {', '.join(kinds)}"


def _round(o: Obj) -> bool:
    hull = o.footprint
    perimeter = float(np.sum(np.linalg.norm(hull - np.roll(hull, 1, axis=0), axis=1)))
    return perimeter > 0 and 4 * np.pi * polygon_area(hull) / perimeter**2 >= 0.88  # a circle 1.0, a square 0.785


def _stilts(o: Obj) -> bool:
    """Return whether most of the footprint's inner part has open space under the object's lowest surface."""
    c, hull = o.center, o.footprint
    pts = c + (hull - c) * 0.6
    grid = np.stack(
        np.meshgrid(np.linspace(pts[:, 0].min(), pts[:, 0].max(), 9), np.linspace(pts[:, 1].min(), pts[:, 1].max(), 9)),
        axis=-1,
    ).reshape(-1, 2)
    grid = grid[inside_convex(grid, pts)]
    h = heights_at(o.triangles, grid)
    low = np.where(np.isnan(h), np.inf, h).min(axis=1, initial=np.inf)
    return bool(len(grid)) and float(np.mean(low - o.lo[1] >= 0.5)) >= 0.5


def _long(o: Obj) -> bool:
    length, width = extents(o)
    return length >= 1.8 * max(width, 1e-6)


GEOMETRY = {"round": _round, "stilts": _stilts, "long": _long}


def attribute(scene: Scene, spec: dict) -> Result:
    name = spec["attribute"]
    shape = GEOMETRY.get(name)
    ok = [name in o.attributes and (shape is None or shape(o)) for o in scene.of(spec["kinds"])]
    return _frac(ok, f"'{name}'" + (" (named and shown)" if shape else ""))


def maps(scene: Scene, spec: dict) -> Result:
    word, kinds = spec["word"].lower(), set(spec["kinds"])
    made = sorted({o.kind for o in scene.objects if word in str(o.extras.get("words", "")).lower()})
    if made:
        hit = [k for k in made if k in kinds]
        return float(bool(hit)), f"'{word}' made {', '.join(hit or made)}"
    for u in scene.unknown_words:
        w = str(u.get("word", "")).lower()
        if w and (w.startswith(word) or word.startswith(w)):
            to = u.get("mapped_to")
            return float(to in kinds), f"'{word}' mapped to {to or 'nothing'} ({u.get('how', '?')})"
    return 0.0, f"'{word}' made nothing the files show"


def near(scene: Scene, spec: dict) -> Result:
    dist = float(spec.get("dist", 2.0))
    ok = []
    for o in scene.of(spec["kinds"]):
        anchors, feat = _anchor(scene, spec, o)
        if anchors:
            ok.append(min(hull_distance(o.footprint, a.footprint) for a in anchors) <= dist + 0.05)
        elif feat is not None:
            ok.append(float(feat.distance(o.footprint).min()) <= dist + 0.05)
        else:
            ok.append(False)
    return _frac(ok, f"within {dist:g} m")


def _rests_on(scene: Scene, top: Obj, below: Obj) -> bool:
    """Return whether ``top`` stands on ``below``'s upper surface (within the grid's tolerance)."""
    if not inside_convex(top.center[None], below.footprint, margin=0.05)[0]:
        return False
    tol = 0.05 + scene.cell(top) + scene.cell(below)
    base = top.vertices[top.vertices[:, 1] <= top.lo[1] + max(0.03, scene.cell(top))][:, [0, 2]]
    pts = np.vstack([top.center[None], base[:: max(1, len(base) // 24)]])
    h = heights_at(below.triangles, pts)
    h = np.where(np.isnan(h) | (h > top.lo[1] + tol), -np.inf, h).max(axis=1, initial=-np.inf)
    return bool(np.any(np.isfinite(h) & (top.lo[1] - h <= tol)))


def on(scene: Scene, spec: dict) -> Result:
    anchors = scene.of(spec["of"])
    ok = [any(_rests_on(scene, o, a) for a in anchors if a is not o) for o in scene.of(spec["kinds"])]
    return _frac(ok, "on " + "/".join(spec["of"]))


def stacked(scene: Scene, spec: dict) -> Result:
    objs = scene.of(spec["kinds"])
    if len(objs) < 2:
        return 0.0, f"{len(objs)} object(s): nothing to stack"
    part = set()
    for a in objs:
        for b in objs:
            if a is not b and a.lo[1] > b.lo[1] + 0.1 and _rests_on(scene, a, b):
                part.update((a.name, b.name))
    return len(part) / len(objs), f"{len(part)}/{len(objs)} in a stack"


def against(scene: Scene, spec: dict) -> Result:
    walls = feature(scene, spec["feature"]) if spec.get("feature") else None
    ok = []
    for o in scene.of(spec["kinds"]):
        tol = 0.3 + scene.cell(o)
        gaps = [hull_distance(o.footprint, a.footprint) for a in scene.of(spec.get("of")) if a is not o]
        if walls is not None:
            gaps.append(float(walls.distance(o.footprint).min()))
        ok.append(bool(gaps) and min(gaps) <= tol)
    where = " or ".join(filter(None, ["/".join(spec.get("of") or []), "the walls" if walls is not None else ""]))
    return _frac(ok, f"against {where or 'nothing the files show'}")


def around(scene: Scene, spec: dict) -> Result:
    subs = scene.of(spec["kinds"])
    anchors, feat = _anchor(scene, spec)
    centers = [(a.center, _radius(a)) for a in anchors]
    if not anchors and feat is not None and feat.center is not None:
        centers = [(feat.center, feat.r)]
    if not centers:
        return 0.0, "no anchor"
    ok = []
    for c, r in centers:
        reach = float(spec.get("radius", r + max(3.0, 0.5 * r)))
        ang = [np.arctan2(*(s.center - c)[::-1]) for s in subs if np.linalg.norm(s.center - c) <= reach]
        if len(ang) < 3:
            ok.append(False)
            continue
        a = np.sort(ang)
        gaps = np.diff(np.concatenate([a, a[:1] + 2 * np.pi]))
        ok.append(float(np.degrees(gaps.max())) <= 150.0)
    return _frac(ok, "anchor(s) ringed")


def along(scene: Scene, spec: dict) -> Result:
    feat = feature(scene, spec.get("feature", ""))
    if feat is None:
        return 0.0, f"no {spec.get('feature')} in the files"
    subs = scene.of(spec["kinds"])
    dist = float(spec.get("dist", 5.0))
    near_ = [o for o in subs if feat.distance(o.footprint).min() <= dist]
    frac = len(near_) / len(subs) if subs else 0.0
    if feat.shape == "line" and len(near_) >= 3:
        from tests.scene_eval.geometry import polyline_frame

        s = polyline_frame(np.array([o.center for o in near_]), feat.points)[2]
        spread = s.max() - s.min() >= min(0.3 * feat.length, 10.0)
        return frac * (1.0 if spread else 0.5), f"{len(near_)}/{len(subs)} within {dist:g} m" + (
            "" if spread else ", bunched"
        )
    return frac, f"{len(near_)}/{len(subs)} within {dist:g} m"


def both_sides(scene: Scene, spec: dict) -> Result:
    subs = scene.of(spec["kinds"])
    k = int(spec.get("min_each", 2))
    anchors, feat = _anchor(scene, spec)
    if anchors:
        a = anchors[0]
        left = a.matrix[:3, 0][[0, 2]]
        sides = [int(np.sign(np.dot(o.center - a.center, left))) for o in subs if o is not a]
    elif feat is not None and feat.shape in ("line", "band"):
        sides = list(feat.side(np.array([o.center for o in subs]))) if subs else []
    else:
        return 0.0, f"no {spec.get('feature') or spec.get('of')} to have sides"
    n_l, n_r = sides.count(1), sides.count(-1)
    return (min(1.0, n_l / k) + min(1.0, n_r / k)) / 2, f"{n_l} on one side, {n_r} on the other (want {k} each)"


def row(scene: Scene, spec: dict) -> Result:
    subs = scene.of(spec["kinds"])
    if len(subs) < spec.get("min", 3):
        return 0.0, f"{len(subs)} object(s), too few for a row"
    c = np.array([o.center for o in subs])
    c0 = c - c.mean(axis=0)
    _, vecs = np.linalg.eigh(c0.T @ c0)
    along_, off = c0 @ vecs[:, 1], c0 @ vecs[:, 0]
    span = float(along_.max() - along_.min())
    dev = float(np.abs(off).max())
    return float(dev <= max(0.6, 0.08 * span)), f"off the line by {dev:.2f} m over {span:.1f} m"


def scattered(scene: Scene, spec: dict) -> Result:
    subs = scene.of(spec["kinds"])
    if len(subs) < 3:
        return 0.0, f"{len(subs)} object(s), too few to scatter"
    c = np.array([o.center for o in subs])
    rms = float(np.sqrt(np.mean(np.sum((c - c.mean(axis=0)) ** 2, axis=1))))
    d = np.linalg.norm(c[:, None] - c[None], axis=-1) + np.eye(len(c)) * 1e9
    nn = float(np.median(d.min(axis=1)))
    size = float(np.median([max(extents(o)[0], 0.1) for o in subs]))
    scale = float(np.mean(scene.size))
    ok = rms >= 0.12 * scale and nn >= 1.5 * size
    return float(ok), f"spread {rms:.1f} m over a {scale:.0f} m scene, neighbours {nn:.1f} m apart"


def cluster(scene: Scene, spec: dict) -> Result:
    subs = scene.of(spec["kinds"])
    if len(subs) < 2:
        return 0.0, f"{len(subs)} object(s)"
    c = np.array([o.center for o in subs])
    reach = float(np.linalg.norm(c - c.mean(axis=0), axis=1).max())
    limit = max(8.0, 0.2 * float(np.mean(scene.size)))
    return float(reach <= limit), f"within {reach:.1f} m of their middle (want <= {limit:.1f})"


def _ref_center(scene: Scene) -> np.ndarray:
    return scene.ground.center if scene.ground is not None else np.zeros(2)


def center(scene: Scene, spec: dict) -> Result:
    anchors = scene.of(spec.get("of"))
    c = anchors[0].center if anchors else _ref_center(scene)
    tol = max(2.0, 0.15 * float(np.min(scene.size)))
    ok = [float(np.linalg.norm(o.center - c)) <= tol for o in scene.of(spec["kinds"])]
    return _frac(ok, f"within {tol:.1f} m of the middle")


def direction(scene: Scene, spec: dict) -> Result:
    ok = []
    for o in scene.of(spec["kinds"]):
        anchors, feat = _anchor(scene, spec, o)
        if anchors:
            a = min(anchors, key=lambda a: np.linalg.norm(a.center - o.center))
            c, frame = a.center, a
        elif feat is not None:
            c, frame = feat.nearest(o.center[None])[0], None
        else:
            ok.append(False)
            continue
        d = spec["dir"]
        if d in DIRECTIONS:
            ref = np.array(DIRECTIONS[d])
        elif frame is not None:
            left = frame.matrix[:3, 0][[0, 2]] / max(np.linalg.norm(frame.matrix[:3, 0][[0, 2]]), 1e-9)
            ref = {"front": frame.front, "behind": -frame.front, "left": left, "right": -left}[d]
        else:
            ok.append(False)
            continue
        v = o.center - c
        cos = np.dot(v, ref) / max(np.linalg.norm(v), 1e-9)
        ok.append(bool(cos >= np.cos(np.radians(60))))
    return _frac(ok, f"to the {spec['dir']}")


def faces(scene: Scene, spec: dict) -> Result:
    max_angle = float(spec.get("max_angle", 60.0))
    ok = []
    for o in scene.of(spec["kinds"]):
        anchors, feat = _anchor(scene, spec, o)
        if anchors:
            target = min(anchors, key=lambda a: hull_distance(o.footprint, a.footprint)).center
        elif feat is not None:
            target = feat.nearest(o.center[None])[0]
        else:
            ok.append(False)
            continue
        v = target - o.center
        cos = float(np.clip(np.dot(o.front, v) / max(np.linalg.norm(v), 1e-9), -1, 1))
        angle = np.degrees(np.arccos(abs(cos) if spec.get("symmetric") else cos))
        ok.append(angle <= max_angle)
    return _frac(ok, f"facing within {max_angle:g} deg")


def on_hill(scene: Scene, spec: dict) -> Result:
    if scene.ground is None:
        return 0.0, "no ground"
    from tests.scene_eval.features import ground_height

    heights = scene.ground.vertices[:, 1]
    if scene.water_level is not None:
        heights = heights[heights > scene.water_level + 0.05]
    top = float(np.percentile(heights, 75)) if len(heights) else 0.0
    ok = [
        bool(np.nan_to_num(ground_height(scene, o.center[None])[0], nan=-1e9) >= top) for o in scene.of(spec["kinds"])
    ]
    return _frac(ok, f"on ground above {top:.1f} m (the upper quarter)")


def into_water(scene: Scene, spec: dict) -> Result:
    from tests.scene_eval.features import sample_outline

    ok = []
    for o in scene.of(spec["kinds"]):
        wet = over_water(scene, sample_outline(o, 32))
        ok.append(bool(wet.any() and (~wet).any()))
    return _frac(ok, "from land into the water")


def on_water(scene: Scene, spec: dict) -> Result:
    ok = []
    for o in scene.of(spec["kinds"]):
        wet = bool(over_water(scene, o.center[None])[0])
        level = scene.water_level
        ponds = [p for p in scene.of({"garden pond"}) if inside_convex(o.center[None], p.footprint)[0]]
        floats = (level is not None and o.lo[1] <= level + 0.1 <= o.hi[1] + 0.1) or bool(ponds)
        ok.append(wet and floats)
    return _frac(ok, "on the water")


def across(scene: Scene, spec: dict) -> Result:
    feat = feature(scene, spec.get("feature", ""))
    if feat is None or feat.shape not in ("line", "band"):
        return 0.0, f"no {spec.get('feature')} in the files"
    from tests.scene_eval.features import sample_outline

    ok = []
    for o in scene.of(spec["kinds"]):
        pts = sample_outline(o, 48)
        side, dist = feat.side(pts), feat.distance(pts)
        clear = dist >= 0.0
        ok.append(bool(np.any((side > 0) & clear & (dist > 0)) and np.any((side < 0) & clear & (dist > 0))))
    return _frac(ok, f"spanning the {feat.name}")


CHECKS = {
    "count": count,
    "absent": absent,
    "variety": variety,
    "attribute": attribute,
    "maps": maps,
    "near": near,
    "on": on,
    "stacked": stacked,
    "against": against,
    "around": around,
    "along": along,
    "both_sides": both_sides,
    "row": row,
    "scattered": scattered,
    "cluster": cluster,
    "center": center,
    "direction": direction,
    "faces": faces,
    "on_hill": on_hill,
    "into_water": into_water,
    "on_water": on_water,
    "across": across,
}
