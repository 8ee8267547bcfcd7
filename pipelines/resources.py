"""The memory a generation needs at the least, checked before any work (exit 3 rather than the OS's kill).

Measured on a barrel (the chain's per-object peak, one worker, tests/benchmarks RESULTS
style, load 8-10): the process holds ~310 MB before extraction, then ~2,800 bytes per
resolution² at --resolution 512 (the extracted mesh, cleaned and decimated: a surface has
~R² cells) and ~18 bytes per texel of --texture-size² in the bake. The estimate takes a
quarter of the mesh figure (a thin object has less surface than a barrel) and less than the
bake figure, so it is a floor: a run it refuses cannot fit, and one it lets through may still
need more (the workers then die and the run exits 3 too, later).
"""

from __future__ import annotations

from exporters.errors import ResourceError
from pipelines.options import BuildOptions

BASE_BYTES = 250 * 2**20  # interpreter, torch, the plan and the fields
MESH_BYTES_PER_CELL2 = 700  # per resolution², one object (a quarter of a barrel's 2,800)
BAKE_BYTES_PER_TEXEL = 16  # per texture_size², one object (a barrel's: 18)


def least_bytes(opts: BuildOptions) -> int:
    """The fewest bytes a generation with ``opts`` needs: one object at a time, the smallest surface."""
    return BASE_BYTES + MESH_BYTES_PER_CELL2 * opts.resolution**2 + BAKE_BYTES_PER_TEXEL * opts.texture_size**2


def check_memory(opts: BuildOptions) -> None:
    """Raise ResourceError (exit 3) when ``opts`` cannot fit in the memory this machine has free."""
    from pipelines.sources import available_bytes  # $HYWORLD_MEMORY_BYTES, else MemAvailable

    need, have = least_bytes(opts), available_bytes()
    if need > have:
        raise ResourceError(
            f"--resolution {opts.resolution} with --texture-size {opts.texture_size} needs at least "
            f"{need / 2**30:.1f} GiB of memory and {have / 2**30:.1f} GiB is available: "
            "lower --resolution or --texture-size"
        )
