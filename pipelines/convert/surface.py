"""The source surface as a query structure: closest point, and the colour, material and normal found there.

Baking a converted mesh reads the source through its closest surface point:
texture colours (bilinear, wrap or clamp, KHR_texture_transform), vertex
colours and material factors, the full-resolution shading normal. Closest
points come from a k-d tree over surface samples (every face's centroid, more
on large faces) and an exact point-triangle projection onto the faces of the
``k`` nearest samples.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from pipelines.sources.types import SourceMaterial, SourceTexture

MIN_SAMPLES = 200_000  # large triangles get several samples, so their far corners are found
AMBIENT_SAMPLES = 100_000  # the coarse sample set far distances are read from (see ``ambient_udf``)
NEAR_SPACINGS = 4.0  # within this many coarse spacings of the surface, ``ambient_udf`` is ``udf`` exactly


class SourceSurface:
    """Triangles with per-vertex attributes and per-face materials, ready for closest-point queries."""

    def __init__(
        self, positions, faces, *, normals=None, uv=None, colors=None, face_material=None, materials=None, seed=0
    ):
        self.p = np.asarray(positions, np.float64)
        self.f = np.asarray(faces, np.int64)
        self.uv = uv  # [S, V, 2] or None
        self.colors = colors  # [V, 4] linear or None
        self.face_material = face_material if face_material is not None else np.zeros(len(self.f), np.int64)
        self.materials: list[SourceMaterial] = materials or [SourceMaterial(stated=False, roughness=0.8)]
        tri = self.p[self.f]
        cross = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        area = 0.5 * np.linalg.norm(cross, axis=1)
        self.face_normal = cross / np.maximum(2.0 * area, 1e-30)[:, None]
        self.normals = _unit(normals) if normals is not None else _vertex_normals(self.p, self.f, cross)
        self.area = float(area.sum())
        target = self.area / max(len(self.f), MIN_SAMPLES)
        extra = np.maximum(np.ceil(area / max(target, 1e-30)).astype(np.int64) - 1, 0)  # sums to about MIN_SAMPLES
        rng = np.random.default_rng(seed)
        face_ids = np.repeat(np.arange(len(self.f)), extra)
        r = rng.random((len(face_ids), 2))
        r = np.where(r.sum(1, keepdims=True) > 1.0, 1.0 - r, r)
        extra_pts = (
            tri[face_ids, 0]
            + r[:, :1] * (tri[face_ids, 1] - tri[face_ids, 0])
            + r[:, 1:] * (tri[face_ids, 2] - tri[face_ids, 0])
        )
        self.samples = np.concatenate([tri.mean(axis=1), extra_pts])
        self.sample_face = np.concatenate([np.arange(len(self.f)), face_ids])
        self.tree = cKDTree(self.samples, balanced_tree=False, compact_nodes=False)
        self.spacing = float(np.sqrt(self.area / max(len(self.samples), 1)))
        self.seed = seed
        self._coarse: cKDTree | None = None

    def udf(self, q: np.ndarray, upper: float = np.inf) -> np.ndarray:
        """Return the distance from points [N, 3] to the nearest surface sample (within about one sample spacing)."""
        d, _ = self.tree.query(np.asarray(q, np.float64), k=1, distance_upper_bound=upper, workers=2)
        return d

    def ambient_udf(self, q: np.ndarray) -> np.ndarray:
        """Return ``udf`` for ambient occlusion: exact near the surface, from a coarse sample set farther out.

        A k-d tree over a dense curved surface answers a query far from it slowly
        (measured on a 1.6M-sample sphere: 0.5 ms a point 8% of the diagonal out,
        against 9 us over 50k samples), and the occlusion rays reach 8% out. Within
        ``NEAR_SPACINGS`` coarse spacings the full tree answers (bounded, so fast);
        beyond, the nearest of ``AMBIENT_SAMPLES`` samples (a subset) is at most
        about ``spacing**2 / (2 d)`` farther than the nearest sample, 2% of d.
        """
        q = np.asarray(q, np.float64)
        if len(self.samples) <= 2 * AMBIENT_SAMPLES:
            return self.udf(q)
        if self._coarse is None:
            pick = np.random.default_rng(self.seed).choice(len(self.samples), AMBIENT_SAMPLES, replace=False)
            self._coarse = cKDTree(self.samples[np.sort(pick)], balanced_tree=False, compact_nodes=False)
        near = NEAR_SPACINGS * float(np.sqrt(self.area / AMBIENT_SAMPLES))
        d = self.udf(q, upper=near)
        far = ~np.isfinite(d)
        if far.any():
            d[far], _ = self._coarse.query(q[far], k=1, workers=2)
        return d

    def closest(self, q: np.ndarray, k: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Return (closest points [N, 3], their faces [N], barycentrics [N, 3], distances [N])."""
        q = np.asarray(q, np.float64)
        k = min(k, len(self.samples))
        _, idx = self.tree.query(q, k=k, workers=2)
        idx = idx.reshape(len(q), k)
        best_d = np.full(len(q), np.inf)
        best_p = np.zeros_like(q)
        best_f = np.zeros(len(q), np.int64)
        for j in range(k):
            face = self.sample_face[idx[:, j]]
            pt = closest_on_triangles(q, *(self.p[self.f[face, c]] for c in range(3)))
            d = np.linalg.norm(pt - q, axis=1)
            better = d < best_d
            best_d[better], best_p[better], best_f[better] = d[better], pt[better], face[better]
        return best_p, best_f, self.barycentric(best_p, best_f), best_d

    def barycentric(self, pt: np.ndarray, face: np.ndarray) -> np.ndarray:
        a, b, c = (self.p[self.f[face, i]] for i in range(3))
        v0, v1, v2 = b - a, c - a, pt - a
        d00, d01, d11 = (v0 * v0).sum(1), (v0 * v1).sum(1), (v1 * v1).sum(1)
        d20, d21 = (v2 * v0).sum(1), (v2 * v1).sum(1)
        den = np.where(np.abs(d00 * d11 - d01 * d01) > 1e-30, d00 * d11 - d01 * d01, 1.0)
        v = (d11 * d20 - d01 * d21) / den
        w = (d00 * d21 - d01 * d20) / den
        bary = np.clip(np.stack([1.0 - v - w, v, w], axis=1), 0.0, 1.0)
        return bary / np.maximum(bary.sum(1, keepdims=True), 1e-12)

    def _interp(self, attr: np.ndarray, face: np.ndarray, bary: np.ndarray) -> np.ndarray:
        return (attr[self.f[face]] * bary[:, :, None]).sum(1)

    def normal_at(self, face: np.ndarray, bary: np.ndarray) -> np.ndarray:
        """Return the source's shading normal at surface points (its vertex normals, interpolated)."""
        n = self._interp(self.normals, face, bary)
        bad = np.linalg.norm(n, axis=1) < 1e-8
        n[bad] = self.face_normal[face[bad]]
        return _unit(n)

    def color_at(self, face: np.ndarray, bary: np.ndarray) -> np.ndarray:
        """Return sRGB 0..1 [N, 3]: material factor x texture x vertex colour, as glTF multiplies them."""
        lin = np.ones((len(face), 3))
        if self.colors is not None:
            lin *= self._interp(self.colors[:, :3], face, bary)
        mats = self.face_material[face]
        for m in np.unique(mats):
            sel = mats == m
            spec = self.materials[int(m)] if 0 <= m < len(self.materials) else SourceMaterial()
            lin[sel] *= np.asarray(spec.base_color_factor[:3])
            tex = spec.base_color_texture
            if tex is not None and self.uv is not None:
                texel = sample_texture(tex, self._uv(tex, face[sel], bary[sel]))
                lin[sel] *= srgb_to_linear(texel[:, :3])
        return linear_to_srgb(np.clip(lin, 0.0, 1.0))

    def pbr_at(self, face: np.ndarray, bary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (roughness [N], metallic [N]) from the material factors and metallic-roughness textures."""
        rough, metal = np.ones(len(face)), np.ones(len(face))
        mats = self.face_material[face]
        for m in np.unique(mats):
            sel = mats == m
            spec = self.materials[int(m)] if 0 <= m < len(self.materials) else SourceMaterial()
            rough[sel], metal[sel] = spec.roughness, spec.metallic
            tex = spec.metallic_roughness_texture
            if tex is not None and self.uv is not None:
                texel = sample_texture(tex, self._uv(tex, face[sel], bary[sel]))
                rough[sel] *= texel[:, 1]
                metal[sel] *= texel[:, 2]
        return np.clip(rough, 0.0, 1.0), np.clip(metal, 0.0, 1.0)

    def _uv(self, tex: SourceTexture, face: np.ndarray, bary: np.ndarray) -> np.ndarray:
        uv = self._interp(self.uv[min(tex.texcoord, len(self.uv) - 1)], face, bary)
        a = np.asarray(tex.uv_transform, np.float64).reshape(2, 3)
        return uv @ a[:, :2].T + a[:, 2]


def sample_texture(tex: SourceTexture, uv: np.ndarray) -> np.ndarray:
    """Return bilinear samples [N, 4] in 0..1 of ``tex`` at glTF uv (0, 0 = top-left texel corner)."""
    img = tex.pixels.astype(np.float32) / 255.0
    h, w = img.shape[:2]
    x, y = uv[:, 0] * w - 0.5, uv[:, 1] * h - 0.5
    x0, y0 = np.floor(x).astype(np.int64), np.floor(y).astype(np.int64)
    fx, fy = (x - x0)[:, None], (y - y0)[:, None]

    def at(ix, iy):
        if tex.repeat:
            ix, iy = ix % w, iy % h
        else:
            ix, iy = np.clip(ix, 0, w - 1), np.clip(iy, 0, h - 1)
        return img[iy, ix]

    top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
    bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
    return top * (1 - fy) + bottom * fy


def srgb_to_linear(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0.0, 1.0)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0.0, 1.0)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)


def closest_on_triangles(p, a, b, c) -> np.ndarray:
    """Return the closest point on triangle (a, b, c) to p, row-wise (Ericson, Real-Time Collision Detection 5.1.5)."""
    ab, ac, ap = b - a, c - a, p - a
    d1, d2 = (ab * ap).sum(1), (ac * ap).sum(1)
    bp = p - b
    d3, d4 = (ab * bp).sum(1), (ac * bp).sum(1)
    cp = p - c
    d5, d6 = (ab * cp).sum(1), (ac * cp).sum(1)
    va, vb, vc = d3 * d6 - d5 * d4, d5 * d2 - d1 * d6, d1 * d4 - d3 * d2
    den = np.where(np.abs(va + vb + vc) > 1e-300, va + vb + vc, 1.0)
    v, w = vb / den, vc / den
    out = a + ab * v[:, None] + ac * w[:, None]  # inside the face
    cases = [
        ((d1 <= 0) & (d2 <= 0), a),
        ((d3 >= 0) & (d4 <= d3), b),
        ((d6 >= 0) & (d5 <= d6), c),
    ]
    with np.errstate(divide="ignore", invalid="ignore"):
        t_ab = np.clip(d1 / np.where(d1 - d3 != 0, d1 - d3, 1.0), 0, 1)
        t_ac = np.clip(d2 / np.where(d2 - d6 != 0, d2 - d6, 1.0), 0, 1)
        t_bc = np.clip((d4 - d3) / np.where((d4 - d3) + (d5 - d6) != 0, (d4 - d3) + (d5 - d6), 1.0), 0, 1)
    edges = [
        ((vc <= 0) & (d1 >= 0) & (d3 <= 0), a + ab * t_ab[:, None]),
        ((vb <= 0) & (d2 >= 0) & (d6 <= 0), a + ac * t_ac[:, None]),
        ((va <= 0) & ((d4 - d3) >= 0) & ((d5 - d6) >= 0), b + (c - b) * t_bc[:, None]),
    ]
    done = np.zeros(len(p), bool)
    for mask, value in cases + edges:
        take = mask & ~done
        out[take] = value[take]
        done |= take
    return out


def _unit(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, np.float64)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def _vertex_normals(p: np.ndarray, f: np.ndarray, cross: np.ndarray) -> np.ndarray:
    n = np.zeros_like(p)
    for c in range(3):
        np.add.at(n, f[:, c], cross)
    return _unit(n)
