"""Scene features as geometry: roads and rivers (polylines), the lake (a circle), the pass, walls, water.

The scene's extras name them (SCENE-CONTRACT §3). Where the extras are silent the
files still say some of it: a room's walls are its mesh's upright faces, and water
is where the ground's surface lies flat at the water level.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from tests.scene_eval.geometry import (
    heights_at,
    hull2d,
    polyline_frame,
    segment_distance,
)
from tests.scene_eval.scene import Obj, Scene


@dataclass
class Feature:
    """A feature: ``line`` (points, width), ``circle`` (center, r), ``band`` (the pass), ``segments`` or ``points``."""

    name: str
    shape: str
    points: np.ndarray
    width: float = 0.0
    center: np.ndarray | None = None
    r: float = 0.0
    axis: int = 1  # for a band: the axis it runs along (0 x, 1 z)

    def distance(self, pts: np.ndarray) -> np.ndarray:
        """Return the distance from 2D ``pts`` to the feature's edge (0 inside a road, river, lake or pass)."""
        pts = np.atleast_2d(pts)
        if self.shape == "line":
            return np.maximum(polyline_frame(pts, self.points)[0] - self.width / 2, 0.0)
        if self.shape == "circle":
            return np.maximum(np.linalg.norm(pts - self.center, axis=1) - self.r, 0.0)
        if self.shape == "band":
            across = 1 - self.axis
            return np.maximum(np.abs(pts[:, across] - self.center[across]) - self.width / 2, 0.0)
        if self.shape == "segments":
            return segment_distance(pts, self.points[:, 0], self.points[:, 1]).min(axis=1)
        d = np.full(len(pts), np.inf)  # points: the nearest one, in chunks
        for i in range(0, len(self.points), 2048):
            chunk = self.points[i : i + 2048]
            d = np.minimum(d, np.linalg.norm(pts[:, None] - chunk[None], axis=-1).min(axis=1))
        return d

    def side(self, pts: np.ndarray) -> np.ndarray:
        """Return +1 / -1 for the side of the feature each 2D point lies on (0 where sides mean nothing)."""
        pts = np.atleast_2d(pts)
        if self.shape == "line":
            return polyline_frame(pts, self.points)[1]
        if self.shape == "band":
            across = 1 - self.axis
            return np.sign(pts[:, across] - self.center[across]).astype(int)
        return np.zeros(len(pts), dtype=int)

    def nearest(self, pts: np.ndarray) -> np.ndarray:
        """Return the feature's point nearest each 2D point (the centre line for roads and rivers)."""
        pts = np.atleast_2d(pts)
        if self.shape == "circle":
            d = pts - self.center
            n = np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-9)
            return self.center + d / n * self.r
        if self.shape == "band":
            out = pts.copy()
            out[:, 1 - self.axis] = self.center[1 - self.axis]
            return out
        if self.shape == "line":
            cand = np.concatenate([self.points, _densify(self.points, 0.5)])
        elif self.shape == "segments":
            cand = np.concatenate([_densify(s, 0.25) for s in self.points])
        else:
            cand = self.points
        idx = np.argmin(np.linalg.norm(pts[:, None] - cand[None], axis=-1), axis=1)
        return cand[idx]

    @property
    def length(self) -> float:
        if self.shape == "line":
            return float(np.sum(np.linalg.norm(np.diff(self.points, axis=0), axis=1)))
        return 0.0


def _densify(line: np.ndarray, step: float) -> np.ndarray:
    out = [line[:1]]
    for a, b in itertools.pairwise(line):
        n = max(1, int(np.ceil(np.linalg.norm(b - a) / step)))
        out.append(a + (b - a) * (np.arange(1, n + 1)[:, None] / n))
    return np.concatenate(out)


def water_points(scene: Scene) -> np.ndarray:
    """Return the ground mesh's vertices (x, z) lying at the water level (none without a water level)."""
    if scene.ground is None or scene.water_level is None or not len(scene.ground.vertices):
        return np.zeros((0, 2))
    v = scene.ground.vertices
    return v[np.abs(v[:, 1] - scene.water_level) <= 0.05][:, [0, 2]]


def room_walls(scene: Scene) -> np.ndarray:
    """Return a room's wall faces as 2D segments (S, 2, 2): the upright triangles of the room's mesh."""
    room = scene.ground
    if room is None or room.kind != "room" or not len(room.faces):
        return np.zeros((0, 2, 2))
    tri = room.triangles
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    upright = (np.abs(n[:, 1]) < 0.2) & (tri[:, :, 1].max(axis=1) > 0.5)  # wall faces, not the floor's edge
    segs = []
    for t in tri[upright]:
        xz = t[:, [0, 2]]
        d = np.linalg.norm(xz[:, None] - xz[None], axis=-1)
        i, j = np.unravel_index(np.argmax(d), d.shape)
        if d[i, j] > 1e-3:
            segs.append((xz[i], xz[j]))
    return np.asarray(segs, dtype=float).reshape(-1, 2, 2)


def floor_hull(scene: Scene) -> np.ndarray:
    """Return the room's floor outline (x, z) seen from above: the hull of its walls and floor."""
    if scene.ground is None or scene.ground.kind != "room":
        return np.zeros((0, 2))
    return scene.ground.footprint


def feature(scene: Scene, name: str) -> Feature | None:
    """Return the scene feature ``name`` as geometry, or None when the files do not show it."""
    f = scene.features.get(name)
    if name in ("road", "river") and f and len(f.get("points") or ()) >= 2:
        return Feature(name, "line", np.asarray(f["points"], dtype=float), float(f.get("width", 4.0)))
    if name == "lake" and f:
        return Feature(
            name, "circle", np.zeros((0, 2)), center=np.array([f["x"], f["z"]], dtype=float), r=float(f["r"])
        )
    if name == "pass" and f:
        axis = 0 if f.get("axis") == "x" else 1
        center = np.array([float(f.get("x", 0.0)), float(f.get("z", 0.0))])
        return Feature(name, "band", np.zeros((0, 2)), float(f.get("width", 10.0)), center=center, axis=axis)
    if name == "walls":
        if f:
            segs = np.asarray([[w["from"], w["to"]] for w in f], dtype=float).reshape(-1, 2, 2)
        else:
            segs = room_walls(scene)
        return Feature(name, "segments", segs) if len(segs) else None
    if name in ("water", "lake", "shore"):
        pts = water_points(scene)
        if not len(pts):
            return None
        if name == "lake":  # a lake the extras do not name: the water's middle and reach
            c = pts.mean(axis=0)
            return Feature(name, "circle", pts, center=c, r=float(np.percentile(np.linalg.norm(pts - c, axis=1), 90)))
        return Feature(name, "points", pts)
    return None


def over_water(scene: Scene, pts: np.ndarray) -> np.ndarray:
    """Return which 2D points lie over water: inside the lake or a river, or where the ground is flat at the water level."""
    pts = np.atleast_2d(pts)
    wet = np.zeros(len(pts), dtype=bool)
    for name in ("lake", "river"):
        f = scene.features.get(name)
        if f:
            wet |= feature(scene, name).distance(pts) <= 0.0
    if scene.water_level is not None and scene.ground is not None:
        h = heights_at(scene.ground.triangles, pts)
        top = np.where(np.isnan(h), -np.inf, h).max(axis=1, initial=-np.inf)
        wet |= np.isfinite(top) & (top <= scene.water_level + 0.05)
    for pond in scene.of({"garden pond"}):
        wet |= _inside_hull(pts, pond)
    return wet


def _inside_hull(pts: np.ndarray, obj: Obj) -> np.ndarray:
    from tests.scene_eval.geometry import inside_convex

    return inside_convex(pts, obj.footprint, margin=-0.1)


def ground_height(scene: Scene, pts: np.ndarray) -> np.ndarray:
    """Return the ground's surface height under each 2D point (NaN off the ground)."""
    if scene.ground is None:
        return np.zeros(len(np.atleast_2d(pts)))
    top = np.where(np.isnan(h := heights_at(scene.ground.triangles, pts)), -np.inf, h).max(axis=1, initial=-np.inf)
    return np.where(np.isfinite(top), top, np.nan)


def sample_outline(obj: Obj, n: int = 24) -> np.ndarray:
    """Return ~``n`` points along the object's footprint outline plus its centre."""
    hull = obj.footprint
    if len(hull) < 2:
        return np.vstack([hull, obj.center[None]])
    closed = np.vstack([hull, hull[:1]])
    perimeter = float(np.sum(np.linalg.norm(np.diff(closed, axis=0), axis=1)))
    pts = _densify(closed, max(perimeter / n, 1e-3))
    return np.vstack([pts, obj.center[None]])


__all__ = [
    "Feature",
    "feature",
    "floor_hull",
    "ground_height",
    "hull2d",
    "over_water",
    "room_walls",
    "sample_outline",
    "water_points",
]
