"""Seam-exact LOD levels: half-edge collapses on LOD0's split vertices, proposed on its welded form.

See ``lod.py``'s docstring: every vertex of a level is an LOD0 vertex with its exact
attributes; a collapse is refused when it would move a seam corner, slide a seam
vertex off its seam beyond ``uv_tolerance``, flip or fold a triangle, or break the
link condition (so a closed surface stays closed and manifold).
"""

from __future__ import annotations

import fast_simplification
import numpy as np

from exporters.asset import MeshData
from pipelines.mesh.topology import unique_pairs, weld

_MAX_RUNS = 12  # proposal rounds per level (each must close 10% of the gap)
_SEAM_DEVIATION = 0.12  # seam vertex may slide if it is within 12% of |a-w| of the chord a-w
_MIN_NORMAL_DOT = 0.2  # as fast_simplification's own flip test
_QUICK_SHARE = 5  # the first proposals asked: 5/4 of the collapses a level needs


class SeamAwareDecimator:
    """Half-edge collapses of a split-vertex mesh, proposed by fast_simplification on its welded form."""

    def __init__(self, mesh: MeshData) -> None:
        self.src = mesh
        faces = mesh.indices.astype(np.int64)
        uniq, wid = weld(mesh.positions)
        self.wid = wid.tolist()
        self.wpos = uniq.astype(np.float64)
        lo, hi = self.wpos.min(axis=0), self.wpos.max(axis=0)
        self.unit_pos = (self.wpos - (lo + hi) / 2) / max(float(np.linalg.norm(hi - lo)), 1e-12)
        self.wpos_l = self.wpos.tolist()
        self.uvs = [uv.astype(np.float64).tolist() for uv in (mesh.uv0, mesh.uv1) if uv is not None]
        self.uv_tolerance = 0.0  # how far (uv units) a seam may move in UV space; set per level
        nw = len(uniq)

        self.faces = faces.tolist()
        self.alive = [True] * len(self.faces)
        self.face_count = len(self.faces)
        self.vf: list[set[int]] = [set() for _ in range(mesh.vertex_count)]
        for fi, tri in enumerate(self.faces):
            for v in tri:
                self.vf[v].add(fi)
        self.copies: list[list[int]] = [[] for _ in range(nw)]
        for v in np.unique(faces).tolist():
            self.copies[self.wid[v]].append(v)
        self.w_alive = [bool(c) for c in self.copies]
        self.merged_into = list(range(nw))

        # Seams: edges on the border of the split mesh (UV seams, hard edges, open borders), welded.
        e = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
        ue, ec = unique_pairs(e, return_counts=True)
        seam = unique_pairs(np.sort(wid[ue[ec == 1]], axis=1))
        we = np.sort(wid[e], axis=1)
        wue, wec = unique_pairs(we, return_counts=True)
        self.locked = [False] * nw
        for a, b in wue[wec > 2].tolist():  # non-manifold edges: never touch
            self.locked[a] = self.locked[b] = True
        self.seam_nbrs: list[set[int]] = [set() for _ in range(nw)]
        for a, b in seam.tolist():
            if a != b:
                self.seam_nbrs[a].add(b)
                self.seam_nbrs[b].add(a)

        # Area-weighted plane quadrics (unit-size positions), to pick the collapse direction.
        tri = self.unit_pos[wid[faces]]
        n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        area = np.linalg.norm(n, axis=1)
        nn = n / np.maximum(area, 1e-30)[:, None]
        plane = np.concatenate([nn, -(nn * tri[:, 0]).sum(axis=1, keepdims=True)], axis=1)
        a_, b_, c_, d_ = (plane[:, i] for i in range(4))
        terms = np.stack(
            [a_ * a_, a_ * b_, a_ * c_, a_ * d_, b_ * b_, b_ * c_, b_ * d_, c_ * c_, c_ * d_, d_ * d_], axis=1
        )
        terms *= 0.5 * area[:, None]
        quadric = np.zeros((nw, 10))
        for k in range(3):
            np.add.at(quadric, wid[faces[:, k]], terms)
        self.quadric = quadric.tolist()  # per welded vertex: the 10 terms of a symmetric 4x4
        self.unit_l = self.unit_pos.tolist()

    # -- driving ---------------------------------------------------------------------------

    def reduce_to(self, target: int) -> bool:
        """Collapse until at most ``target`` faces remain; return whether it got there.

        Proposals come from fast_simplification on the current welded mesh; when its
        own flip test stalls it (sharp edges), from every edge in our quadric order.
        """
        for _ in range(_MAX_RUNS):
            if self.face_count <= target:
                return True
            before = self.face_count
            wf = self._welded_faces()
            used, compact = np.unique(wf, return_inverse=True)
            ask = max(4, int(before - 2 * (before - target)))
            if ask >= len(wf):
                return False
            if self._replay_proposals(used, compact.reshape(-1, 3), before, ask, target):
                return True
            if before - self.face_count < max(1, (before - target) // 10):
                stalled = self.face_count
                if self._replay(self._edges_by_error(), target):
                    return True
                if stalled - self.face_count < max(1, (stalled - target) // 10):
                    return False  # refusals dominate: give up
        return self.face_count <= target

    def _replay_proposals(self, used: np.ndarray, tris: np.ndarray, before: int, ask: int, target: int) -> bool:
        """Replay fast_simplification's collapses down to ``ask`` faces; return True once at ``target``.

        Its collapse sequence does not depend on the target (each pass collapses
        what its threshold allows, stopping at the target), so the sequence to a
        higher target is a prefix of the one to ``ask``. Most levels reach their
        target within a short prefix, while a run to ``ask`` that stalls on sharp
        edges spends all of its 100 passes (0.1-0.2 s on 12-25k triangles): so
        the short prefix is asked first, and the rest only when it was not enough
        (a run that stalls short of the prefix's target is the whole sequence).
        """
        points = self.unit_pos[used]
        quick = before - (before - target) * _QUICK_SHARE // 4
        done = 0
        if ask < quick < len(tris):
            _, left, first = fast_simplification.simplify(points, tris, target_count=quick, return_collapses=True)
            first = np.asarray(first, dtype=np.int64).reshape(-1, 2)
            if self._replay(used[first].tolist(), target) or len(left) > quick:
                return self.face_count <= target  # (short of ``quick``: it stalled, as the run to ``ask`` would)
            done = len(first)
        _, _, collapses = fast_simplification.simplify(points, tris, target_count=ask, return_collapses=True)
        pairs = used[np.asarray(collapses, dtype=np.int64).reshape(-1, 2)[done:]]
        return self._replay(pairs.tolist(), target)

    def _replay(self, pairs: list[list[int]], target: int) -> bool:
        """Try each proposed pair (cheaper direction first); return True once at ``target``."""
        for x, y in pairs:
            a, b = self._root(x), self._root(y)
            if a == b:
                continue
            first, second = (b, a) if self._error(b, a) <= self._error(a, b) else (a, b)
            if not self._collapse(first, second):
                self._collapse(second, first)
            if self.face_count <= target:
                return True
        return False

    def _welded_faces(self) -> np.ndarray:
        live = [f for f, ok in zip(self.faces, self.alive) if ok]
        wf = np.asarray([[self.wid[v] for v in tri] for tri in live], dtype=np.int64).reshape(-1, 3)
        return wf[(wf[:, 0] != wf[:, 1]) & (wf[:, 1] != wf[:, 2]) & (wf[:, 2] != wf[:, 0])]

    def _edges_by_error(self) -> list[list[int]]:
        """Return every live welded edge, cheapest collapse (either direction) first."""
        wf = self._welded_faces()
        edges = unique_pairs(np.sort(np.concatenate([wf[:, [0, 1]], wf[:, [1, 2]], wf[:, [2, 0]]]), axis=1))
        q = np.asarray(self.quadric)
        hom = np.concatenate([self.unit_pos, np.ones((len(self.unit_pos), 1))], axis=1)
        iu = np.triu_indices(4)
        weight = np.where(iu[0] == iu[1], 1.0, 2.0)  # off-diagonal terms count twice

        def error(keep: np.ndarray, gone: np.ndarray) -> np.ndarray:
            h = hom[keep]
            return ((q[keep] + q[gone]) * weight * h[:, iu[0]] * h[:, iu[1]]).sum(axis=1)

        cost = np.minimum(error(edges[:, 0], edges[:, 1]), error(edges[:, 1], edges[:, 0]))
        return edges[np.argsort(cost, kind="stable")].tolist()

    def mesh(self) -> MeshData:
        """Return the current level as MeshData on the LOD0 vertices it still uses."""
        live = np.asarray([f for f, ok in zip(self.faces, self.alive) if ok], dtype=np.int64).reshape(-1, 3)
        used, idx = np.unique(live, return_inverse=True)
        src = self.src

        def take(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else a[used]

        return MeshData(
            positions=src.positions[used],
            indices=idx.reshape(-1, 3),
            normals=take(src.normals),
            uv0=take(src.uv0),
            uv1=take(src.uv1),
            tangents=take(src.tangents),
            colors=take(src.colors),
        )

    def _root(self, v: int) -> int:
        while self.merged_into[v] != v:
            self.merged_into[v] = self.merged_into[self.merged_into[v]]
            v = self.merged_into[v]
        return v

    def _error(self, b: int, a: int) -> float:
        """Quadric error of collapsing b into a (a keeps its position)."""
        qa, qb = self.quadric[a], self.quadric[b]
        q = [x + y for x, y in zip(qa, qb)]
        x, y, z = self.unit_l[a]
        return (
            q[0] * x * x
            + 2 * q[1] * x * y
            + 2 * q[2] * x * z
            + 2 * q[3] * x
            + q[4] * y * y
            + 2 * q[5] * y * z
            + 2 * q[6] * y
            + q[7] * z * z
            + 2 * q[8] * z
            + q[9]
        )

    # -- one half-edge collapse ---------------------------------------------------------------

    def _collapse(self, b: int, a: int) -> bool:
        """Collapse welded vertex b into a if every rule allows it; return whether it did."""
        if self.locked[b] or not (self.w_alive[a] and self.w_alive[b]):
            return False
        faces, wid, vf = self.faces, self.wid, self.vf
        sb = self.seam_nbrs[b]
        other = -1
        if sb:
            if len(sb) != 2 or a not in sb or len(self.copies[b]) > 2:
                return False
            other = next(x for x in sb if x != a)
            if other in self.seam_nbrs[a]:
                return False
        elif len(self.copies[b]) != 1:
            return False

        # b's copy in each chart meets exactly one copy of a there.
        mapping: list[tuple[int, int]] = []
        for bk in self.copies[b]:
            found = {v for f in vf[bk] for v in faces[f] if wid[v] == a}
            if len(found) != 1:
                return False
            mapping.append((bk, found.pop()))
        if other >= 0 and not self._seam_straight(b, a, other, mapping):
            return False
        if self.face_count <= 4 or not self._no_flips(mapping) or not self._link_ok(b, a, mapping):
            return False

        # Apply.
        self.quadric[a] = [x + y for x, y in zip(self.quadric[a], self.quadric[b])]
        for bk, ak in mapping:
            for f in list(vf[bk]):
                tri = faces[f]
                if ak in tri:
                    self.alive[f] = False
                    self.face_count -= 1
                    for v in tri:
                        vf[v].discard(f)
                else:
                    tri[tri.index(bk)] = ak
                    vf[ak].add(f)
            vf[bk].clear()
        self.copies[b] = []
        self.w_alive[b] = False
        self.merged_into[b] = a
        if other >= 0:
            for x in (a, other):
                self.seam_nbrs[x].discard(b)
            self.seam_nbrs[a].add(other)
            self.seam_nbrs[other].add(a)
            sb.clear()
        return True

    def _link_ok(self, b: int, a: int, mapping: list[tuple[int, int]]) -> bool:
        """Link condition: a and b share exactly the neighbours opposite edge ab (no pinch, no tear)."""
        faces, wid, vf = self.faces, self.wid, self.vf
        nb = {wid[v] for bk, _ in mapping for f in vf[bk] for v in faces[f]}
        na = {wid[v] for ak in self.copies[a] for f in vf[ak] for v in faces[f]}
        opposite = {
            wid[v] for bk, ak in mapping for f in vf[bk] if ak in faces[f] for v in faces[f] if v != ak and v != bk
        }
        return (na & nb) - {a, b} == opposite

    def _seam_straight(self, b: int, a: int, w: int, mapping: list[tuple[int, int]]) -> bool:
        """True when b may leave the seam chord a-w: near it on an open border, within tolerance in UV."""
        pa, pb, pw = self.wpos_l[a], self.wpos_l[b], self.wpos_l[w]
        chord = [pw[i] - pa[i] for i in range(3)]
        rel = [pb[i] - pa[i] for i in range(3)]
        length2 = chord[0] * chord[0] + chord[1] * chord[1] + chord[2] * chord[2]
        if length2 <= 0.0:
            return False
        t = (rel[0] * chord[0] + rel[1] * chord[1] + rel[2] * chord[2]) / length2
        if not 0.0 < t < 1.0:
            return False
        # On an open border (one side) the outline itself is at stake; fast_simplification
        # knows nothing of borders, so only nearly straight runs may lose a vertex. A seam
        # between two charts is interior surface, which the quadric order already judges.
        if len(mapping) == 1:
            dev2 = sum((rel[i] - t * chord[i]) ** 2 for i in range(3))
            if dev2 > _SEAM_DEVIATION**2 * length2:
                return False
        tol2 = self.uv_tolerance**2
        faces, wid = self.faces, self.wid
        for bk, ak in mapping:
            wk = next((v for f in self.vf[bk] for v in faces[f] if wid[v] == w), -1)
            if wk < 0:
                return False
            for uv in self.uvs:
                ua, ub, uw = uv[ak], uv[bk], uv[wk]
                du = ub[0] - (ua[0] + t * (uw[0] - ua[0]))
                dv = ub[1] - (ua[1] + t * (uw[1] - ua[1]))
                if du * du + dv * dv > tol2:
                    return False
        return True

    def _no_flips(self, mapping: list[tuple[int, int]]) -> bool:
        """True when no surviving triangle turns over (3D) or folds (each UV set) after the collapse."""
        pos, wid, faces = self.wpos_l, self.wid, self.faces
        for bk, ak in mapping:
            pn = pos[wid[ak]]
            for f in self.vf[bk]:
                tri = faces[f]
                if ak in tri:
                    continue
                j = tri.index(bk)
                o1, o2 = tri[(j + 1) % 3], tri[(j + 2) % 3]
                p1, p2 = pos[wid[o1]], pos[wid[o2]]
                n_old = _cross(pos[wid[bk]], p1, p2)
                n_new = _cross(pn, p1, p2)
                l_old = n_old[0] * n_old[0] + n_old[1] * n_old[1] + n_old[2] * n_old[2]
                l_new = n_new[0] * n_new[0] + n_new[1] * n_new[1] + n_new[2] * n_new[2]
                if l_new <= 1e-24 * l_old or l_new == 0.0:
                    return False
                d = n_old[0] * n_new[0] + n_old[1] * n_new[1] + n_old[2] * n_new[2]
                if l_old > 0.0 and (d <= 0.0 or d * d < _MIN_NORMAL_DOT**2 * l_old * l_new):
                    return False
                for uv in self.uvs:
                    s_old = _area2(uv[bk], uv[o1], uv[o2])
                    s_new = _area2(uv[ak], uv[o1], uv[o2])
                    if s_old != 0.0 and s_old * s_new <= 0.0:
                        return False
        return True


def _cross(p0: list[float], p1: list[float], p2: list[float]) -> tuple[float, float, float]:
    ux, uy, uz = p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]
    vx, vy, vz = p2[0] - p0[0], p2[1] - p0[1], p2[2] - p0[2]
    return (uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx)


def _area2(a: list[float], b: list[float], c: list[float]) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
