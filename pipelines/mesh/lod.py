"""Triangle budgets and the LOD chain: decimated levels that share LOD0's texture atlas.

How uv0 (and every other vertex attribute) survives decimation
---------------------------------------------------------------
fast_simplification (quadric error metrics) decimates positions only, on a
welded mesh; LOD0 is split at every UV seam and hard normal edge. Every level
must sample LOD0's atlas unchanged, so levels are made in two ways:

*Seam-exact levels* (first, while they reach their target). LOD0 is welded by
position and fast_simplification proposes collapses on it
(``return_collapses``; when its own flip test stalls it at sharp edges, every
edge is proposed in our quadric-error order); each proposal is replayed as a *half-edge* collapse
``b -> a`` on the split mesh: ``b`` disappears and its triangles take ``a``'s
vertex of the same chart. Every vertex is an LOD0 vertex with its exact
position, uv0, uv1, normal, tangent and color, so chart borders in uv0 are
sub-polylines of LOD0's. A proposal is refused when a vertex on a seam (UV
seam, hard edge, open border) would leave it (it may only slide along its seam
into the next seam vertex, moving the seam by at most ``seam_texels`` x
2^(level-1) texels of a ``atlas_size`` atlas, and an open border only where
it is nearly straight); when a seam corner would move; when a triangle would
flip in 3D or fold in a UV set; or when the link condition fails (so a closed
surface stays closed and manifold).

*Projected levels* (deeper). An xatlas atlas has many small charts, and their
seams and corners soon block any further halving (on our test meshes, after
one to three levels). From there on, welded LOD0 is decimated freely by
fast_simplification (optimal vertex placement; if that pinches a closed
surface open or stalls, by the half-edge decimator without seams, which keeps
the link condition), each new triangle is assigned
one chart (the chart under its centroid, or under a corner if that folds it
in UV) and its corners get every attribute from the closest point of LOD0
*in that chart*. A triangle therefore never spans two atlas islands and uv0
stays inside LOD0's charts, but a triangle that crosses a seam stretches its
chart's border texels over the part that lay in the neighbour chart.
``LodChain.notes`` says from which level this happens; deep levels are seen
at small screen sizes, where the texture is sampled from coarse mips anyway.

Screen sizes
------------
For a surface with N triangles the quadric error grows like 1/N, so halving the
triangles doubles the error; switching at half the screen size keeps the error
in pixels constant. ``lod_screen_sizes`` therefore puts the switch from level i
to i+1 at ``0.5 * ratio**i`` of the screen height and ends with a cull size that
depends on the object's size (small props vanish at ~20 px, landmarks never).
"""

from __future__ import annotations

import math

import fast_simplification
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from exporters.asset import MeshData
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
MIN_NODE_TRIANGLES = 128  # floor per node under --max-triangles: below this objects lose their shape

_MAX_RUNS = 12  # proposal rounds per level (each must close 10% of the gap)
_SEAM_DEVIATION = 0.12  # seam vertex may slide if it is within 12% of |a-w| of the chord a-w
_MIN_NORMAL_DOT = 0.2  # as fast_simplification's own flip test


def default_budget(kind: str) -> int:
    """Return the LOD0 triangle budget for a catalog ``kind`` (``DEFAULT_BUDGET`` if unknown)."""
    return KIND_BUDGETS.get(kind.strip().lower(), DEFAULT_BUDGET)


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


class LodChain(list):
    """The levels LOD1..LODk (a plain list of MeshData) with ``notes`` on why a chain stopped early."""

    def __init__(self, levels: list[MeshData] | None = None, notes: list[str] | None = None) -> None:
        super().__init__(levels or [])
        self.notes: list[str] = list(notes or [])


def build_lods(
    mesh: MeshData,
    levels: int,
    *,
    ratio: float = 0.5,
    atlas_size: int = 1024,
    seam_texels: float = 1.0,
) -> LodChain:
    """Return LOD1..LOD``levels`` made from ``mesh`` (LOD0), each <= ``ratio`` x the previous level.

    Every level samples LOD0's texture atlas (and lightmap, if ``mesh.uv1``):
    seam-exact while the atlas's seams allow, projected after (see the module
    docstring; ``atlas_size`` and ``seam_texels`` bound how far a seam may slide).
    ``notes`` says where projection starts and why a chain stopped early: a
    level that would open a closed mesh, or a mesh already too small to halve.
    """
    if levels < 0:
        raise InputError(f"LOD levels must be 0 or more, not {levels}")
    if not 0.0 < ratio <= 0.5:
        raise InputError(
            f"LOD ratio {ratio} is out of range: each level needs at most half the triangles (0 < ratio <= 0.5)"
        )
    chain = LodChain()
    if levels == 0 or mesh.triangle_count == 0:
        return chain
    closed = is_closed(mesh)
    dec: _SeamAwareDecimator | None = _SeamAwareDecimator(mesh)
    surface: _ChartSurface | None = None
    previous = mesh.triangle_count
    for level in range(1, levels + 1):
        target = int(math.floor(previous * ratio))
        if target < 4:
            chain.notes.append(f"LOD{level} not made: LOD{level - 1} has only {previous} triangles")
            break
        out = None
        if dec is not None:
            dec.uv_tolerance = seam_texels * 2.0 ** (level - 1) / atlas_size
            if dec.reduce_to(target):
                out = dec.mesh()
            else:
                chain.notes.append(
                    f"LOD{level}+: the UV atlas's seams allow no fewer than ~{dec.face_count} triangles "
                    f"(target {target}); uv0 of these levels is projected onto LOD0's charts, "
                    "so texture seams are approximate there"
                )
                dec = None
        if out is not None and closed and not is_closed(out):  # the link condition should prevent this
            chain.notes.append(f"LOD{level}+: seam-exact decimation opened the mesh; projected instead")
            out, dec = None, None
        if out is None:
            surface = surface or _ChartSurface(mesh)
            made = _projected_level(mesh, surface, target, closed)
            if made is None:
                keep = "closed and unfolded" if closed else "unfolded, with its outline"
                chain.notes.append(f"LOD{level} not made: no decimation to {target} triangles keeps the surface {keep}")
                break
            out, folded = made
            if folded > 0.01 * out.triangle_count:  # a stray folded sliver is not worth a warning
                chain.notes.append(
                    f"LOD{level}: {folded} of {out.triangle_count} triangles fold in a UV set near seams"
                )
        chain.append(out)
        previous = out.triangle_count
    return chain


def lod_screen_sizes(levels: int, bounds_diag_m: float, *, ratio: float = 0.5) -> list[float]:
    """Return ``levels`` screen-height fractions: the switch after each level, the last one the cull size.

    Switch i (from LODi to LODi+1) is ``0.5 * ratio**i``. The cull size is the
    screen fraction at which the object is ~20 px tall on a 1080p screen for a
    1 m object, scaled by ``1/sqrt(diag)`` (bigger objects stay longer), capped
    below the last switch; objects of 100 m or more (terrain) are never culled (0.0).
    """
    if levels < 1:
        raise InputError(f"an object needs at least one LOD level, not {levels}")
    if not math.isfinite(bounds_diag_m) or bounds_diag_m < 0:
        raise InputError(f"object size {bounds_diag_m} m is not a finite, non-negative length")
    switches = [0.5 * ratio**i for i in range(levels - 1)]
    if bounds_diag_m >= 100.0:
        cull = 0.0
    else:
        cull = min(0.04, (20.0 / 1080.0) / math.sqrt(max(bounds_diag_m, 0.05)))
    if switches:
        cull = min(cull, switches[-1] * ratio)
    return [round(s, 6) for s in switches] + [round(cull, 6)]


def is_closed(mesh: MeshData) -> bool:
    """Return True when ``mesh``, welded by position, is a closed, consistently oriented surface."""
    if mesh.triangle_count == 0:
        return False
    _, wid = np.unique(mesh.positions, axis=0, return_inverse=True)
    f = wid.reshape(-1)[mesh.indices.astype(np.int64)]
    directed = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    if np.any(directed[:, 0] == directed[:, 1]):
        return False
    keys = directed[:, 0] * (int(wid.max()) + 1) + directed[:, 1]
    rev = directed[:, 1] * (int(wid.max()) + 1) + directed[:, 0]
    uniq, counts = np.unique(keys, return_counts=True)
    if np.any(counts != 1):
        return False
    return bool(np.all(np.isin(rev, uniq)))


class _SeamAwareDecimator:
    """Half-edge collapses of a split-vertex mesh, proposed by fast_simplification on its welded form."""

    def __init__(self, mesh: MeshData) -> None:
        self.src = mesh
        faces = mesh.indices.astype(np.int64)
        uniq, wid = np.unique(mesh.positions, axis=0, return_inverse=True)
        wid = wid.reshape(-1)
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
        ue, ec = np.unique(e, axis=0, return_counts=True)
        seam = np.unique(np.sort(wid[ue[ec == 1]], axis=1), axis=0)
        we = np.sort(wid[e], axis=1)
        wue, wec = np.unique(we, axis=0, return_counts=True)
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
            _, _, collapses = fast_simplification.simplify(
                self.unit_pos[used], compact.reshape(-1, 3), target_count=ask, return_collapses=True
            )
            pairs = used[np.asarray(collapses, dtype=np.int64).reshape(-1, 2)]
            if self._replay(pairs.tolist(), target):
                return True
            if before - self.face_count < max(1, (before - target) // 10):
                stalled = self.face_count
                if self._replay(self._edges_by_error(), target):
                    return True
                if stalled - self.face_count < max(1, (stalled - target) // 10):
                    return False  # refusals dominate: give up
        return self.face_count <= target

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
        edges = np.unique(np.sort(np.concatenate([wf[:, [0, 1]], wf[:, [1, 2]], wf[:, [2, 0]]]), axis=1), axis=0)
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
            q[0] * x * x + 2 * q[1] * x * y + 2 * q[2] * x * z + 2 * q[3] * x + q[4] * y * y
            + 2 * q[5] * y * z + 2 * q[6] * y + q[7] * z * z + 2 * q[8] * z + q[9]
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


# -- deep levels: decimate freely, then project attributes onto LOD0's charts ------------------


def _projected_level(
    lod0: MeshData, surface: "_ChartSurface", target: int, closed: bool
) -> tuple[MeshData, int] | None:
    """Return (LOD0 decimated to ``target``, attributes projected from LOD0; faces folded in UV), or None.

    Each new triangle takes the chart of the LOD0 triangle nearest its centroid;
    each of its corners gets uv0 (and normals, uv1, ...) from the closest point
    *of that chart*, so a triangle never spans two islands of the atlas. A
    triangle that crosses a seam therefore stretches its chart's border texels
    over the part that lay in the neighbouring chart: seams are approximate.
    """
    shape = _free_decimation(surface.welded_pos, surface.welded_faces, target, closed)
    if shape is None:
        return None
    pos, faces = shape
    face_chart, folded = surface.choose_charts(pos, faces)
    n_charts = int(surface.charts.max()) + 1
    pairs, inverse = np.unique(faces * n_charts + face_chart[:, None], return_inverse=True)
    vert, chart = pairs // n_charts, pairs % n_charts
    src_face, bary = surface.project(pos[vert], chart)
    corners = lod0.indices.astype(np.int64)[src_face]

    def lerp(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else (a[corners] * bary[:, :, None]).sum(axis=1)

    normals = lerp(lod0.normals)
    if normals is not None:
        normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
    tangents = lerp(lod0.tangents)
    if tangents is not None and normals is not None:
        t = tangents[:, :3] - normals * (tangents[:, :3] * normals).sum(axis=1, keepdims=True)
        tangents[:, :3] = t / np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-12)
        tangents[:, 3] = np.where(tangents[:, 3] < 0, -1.0, 1.0)
    out = MeshData(
        positions=pos[vert],
        indices=inverse.reshape(-1, 3),
        normals=normals,
        uv0=lerp(lod0.uv0),
        uv1=lerp(lod0.uv1),
        tangents=tangents,
        colors=lerp(lod0.colors),
    )
    return out, folded


def _free_decimation(
    wpos: np.ndarray, wfaces: np.ndarray, target: int, closed: bool
) -> tuple[np.ndarray, np.ndarray] | None:
    """Return (positions, faces) of the welded mesh decimated to at most ``target`` faces, or None.

    fast_simplification first (quadric-optimal placement). It does not check the
    link condition, so on thin parts it can pinch a closed surface open; then
    the half-edge decimator above, on the welded mesh without attributes (no
    seams, only the link condition), keeps it closed.
    """
    lo, hi = wpos.min(axis=0), wpos.max(axis=0)
    size = max(float(np.linalg.norm(hi - lo)), 1e-12)
    unit = (wpos - (lo + hi) / 2) / size
    # An open surface (terrain) first keeps its whole outline; fast_simplification otherwise
    # moves border vertices only along the border, to an endpoint or the midpoint.
    attempts = [(7.0, False), (4.0, False)]
    if not closed:
        attempts.insert(0, (7.0, True))
    for agg, keep_border in attempts:
        pts, faces = fast_simplification.simplify(
            unit, wfaces, target_count=target, agg=agg, preserve_border=keep_border
        )
        faces = np.asarray(faces, dtype=np.int64).reshape(-1, 3)
        if 0 < len(faces) <= target:
            pos = np.asarray(pts, dtype=np.float64) * size + (lo + hi) / 2
            if not closed or is_closed(MeshData(pos, faces)):
                return pos, faces
    dec = _SeamAwareDecimator(MeshData(wpos, wfaces))
    if not dec.reduce_to(target):
        return None
    out = dec.mesh()
    return out.positions.astype(np.float64), out.indices.astype(np.int64)


class _ChartSurface:
    """LOD0's triangles with their chart ids, for closest-point queries restricted to one chart."""

    def __init__(self, mesh: MeshData) -> None:
        faces = mesh.indices.astype(np.int64)
        uniq, wid = np.unique(mesh.positions, axis=0, return_inverse=True)
        self.welded_pos = uniq.astype(np.float64)
        self.welded_faces = wid.reshape(-1)[faces]
        n = mesh.vertex_count
        graph = coo_matrix((np.ones(faces.size), (np.repeat(faces[:, 0], 3), faces.reshape(-1))), shape=(n, n))
        _, vertex_chart = connected_components(graph, directed=False)
        self.charts = vertex_chart[faces[:, 0]]
        self.tri = mesh.positions.astype(np.float64)[faces]
        centroid = self.tri.mean(axis=1)
        lo, hi = mesh.bounds()
        self.gap = 4.0 * float(np.linalg.norm(hi - lo)) + 1.0  # charts sit this far apart in the 4th coordinate
        self.tree = cKDTree(np.concatenate([centroid, self.charts[:, None] * self.gap], axis=1))
        self.tree3 = cKDTree(centroid)
        # uv0 corners per face and each chart's orientation in uv0 (+1 counter-clockwise, -1 mirrored)
        # Each UV set's corners per face, and each chart's orientation in it (+1 CCW, -1 mirrored).
        self.uvs = [uv.astype(np.float64)[faces] for uv in (mesh.uv0, mesh.uv1) if uv is not None]
        self.orientation = []
        for uv in self.uvs:
            e1, e2 = uv[:, 1] - uv[:, 0], uv[:, 2] - uv[:, 0]
            signed = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
            self.orientation.append(np.where(np.bincount(self.charts, weights=signed) < 0, -1.0, 1.0))

    def choose_charts(self, pos: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, int]:
        """Return (a chart per new face, how many faces still fold in some UV set).

        The chart under the face's centroid comes first; a triangle across a seam gets
        corners clamped to that chart's border, which can fold it in UV, so the charts
        under its corners are tried next, keeping the first that folds it in no UV set.
        """
        points = np.concatenate([pos[faces].mean(axis=1), pos[faces[:, 0]], pos[faces[:, 1]], pos[faces[:, 2]]])
        cand = self.charts[self.project(points, k=6)[0]].reshape(4, -1).T  # [F, 4]
        chosen = cand[:, 0].copy()
        if not self.uvs:
            return chosen, 0
        tri = pos[faces]
        todo = np.flatnonzero(np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1) > 0)
        for j in range(4):  # a triangle without area shows nothing, folded or not: never todo
            if len(todo) == 0:
                break
            charts = cand[todo, j]
            src, bary = self.project(pos[faces[todo]].reshape(-1, 3), np.repeat(charts, 3))
            good = np.ones(len(todo), dtype=bool)
            for uv_faces, orientation in zip(self.uvs, self.orientation):
                uv = (uv_faces[src] * bary[:, :, None]).sum(axis=1).reshape(-1, 3, 2)
                e1, e2 = uv[:, 1] - uv[:, 0], uv[:, 2] - uv[:, 0]
                good &= (e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]) * orientation[charts] > 0
            chosen[todo[good]] = charts[good]
            todo = todo[~good]
        return chosen, len(todo)

    def project(
        self, points: np.ndarray, charts: np.ndarray | None = None, k: int = 12
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return (LOD0 face, barycentric weights [N,3]) of the closest point to each point (in its chart)."""
        k = min(k, len(self.tri))
        if charts is None:
            _, cand = self.tree3.query(points, k=k)
        else:
            _, cand = self.tree.query(np.concatenate([points, charts[:, None] * self.gap], axis=1), k=k)
        cand = cand.reshape(len(points), k)
        tri = self.tri[cand]  # [N, k, 3, 3]
        p = np.broadcast_to(points[:, None, :], cand.shape + (3,))
        bary = _closest_barycentric(p, tri[..., 0, :], tri[..., 1, :], tri[..., 2, :])
        closest = np.einsum("nkj,nkjd->nkd", bary, tri)
        dist = np.linalg.norm(closest - p, axis=-1)
        if charts is not None:
            dist = np.where(self.charts[cand] == charts[:, None], dist, np.inf)
        best = np.argmin(dist, axis=1)
        rows = np.arange(len(points))
        return cand[rows, best], bary[rows, best]


def _closest_barycentric(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Return barycentric weights [..., 3] of the point of triangle abc closest to p (Ericson, 5.1.5)."""

    def dot(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (x * y).sum(axis=-1)

    ab, ac = b - a, c - a
    d1, d2 = dot(ab, p - a), dot(ac, p - a)
    d3, d4 = dot(ab, p - b), dot(ac, p - b)
    d5, d6 = dot(ab, p - c), dot(ac, p - c)
    va, vb, vc = d3 * d6 - d5 * d4, d5 * d2 - d1 * d6, d1 * d4 - d3 * d2
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = va + vb + vc
        v, w = vb / denom, vc / denom
        out = np.stack([1.0 - v - w, v, w], axis=-1)
        t_bc = (d4 - d3) / ((d4 - d3) + (d5 - d6))
        t_ac = d2 / (d2 - d6)
        t_ab = d1 / (d1 - d3)
    zero = np.zeros_like(d1)
    regions = [  # later entries win, so this is Ericson's order reversed
        ((va <= 0) & (d4 - d3 >= 0) & (d5 - d6 >= 0), np.stack([zero, 1.0 - t_bc, t_bc], axis=-1)),
        ((vb <= 0) & (d2 >= 0) & (d6 <= 0), np.stack([1.0 - t_ac, zero, t_ac], axis=-1)),
        ((d6 >= 0) & (d5 <= d6), np.stack([zero, zero, zero + 1.0], axis=-1)),
        ((vc <= 0) & (d1 >= 0) & (d3 <= 0), np.stack([1.0 - t_ab, t_ab, zero], axis=-1)),
        ((d3 >= 0) & (d4 <= d3), np.stack([zero, zero + 1.0, zero], axis=-1)),
        ((d1 <= 0) & (d2 <= 0), np.stack([zero + 1.0, zero, zero], axis=-1)),
    ]
    for mask, value in regions:
        out = np.where(mask[..., None], value, out)
    bad = ~np.isfinite(out).all(axis=-1)
    return np.where(bad[..., None], 1.0 / 3.0, out)
