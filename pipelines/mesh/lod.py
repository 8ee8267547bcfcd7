"""The LOD chain: decimated levels that share LOD0's texture atlas, and their screen sizes.

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

from exporters.asset import MeshData
from exporters.errors import InputError
from pipelines.mesh.lod_projected import ChartSurface, projected_level
from pipelines.mesh.lod_seams import SeamAwareDecimator
from pipelines.mesh.topology import is_closed_mesh


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
    closed = is_closed_mesh(mesh)
    dec: SeamAwareDecimator | None = SeamAwareDecimator(mesh)
    surface: ChartSurface | None = None
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
        if out is not None and closed and not is_closed_mesh(out):  # the link condition should prevent this
            chain.notes.append(f"LOD{level}+: seam-exact decimation opened the mesh; projected instead")
            out, dec = None, None
        if out is None:
            surface = surface or ChartSurface(mesh)
            made = projected_level(mesh, surface, target, closed)
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
