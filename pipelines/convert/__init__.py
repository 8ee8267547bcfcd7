"""`hyworld convert`: other generators' meshes, point clouds and Gaussian splats through gen's chain.

`run.convert()` is the entry point; `frame`, `objects`, `remesh`, `surface` and `fields` are its steps.
"""
