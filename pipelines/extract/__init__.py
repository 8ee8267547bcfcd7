"""Extraction: a field's signed distances sampled on a grid, and the marching-cubes surface of it.

``sparse`` (the entry point: only blocks near the surface are sampled) -> ``dense``
(marching cubes in torch, or ``triton_mc`` on CUDA) over ``grid`` (the mesh both kernels
return) and ``tables`` (the case tables).
"""
