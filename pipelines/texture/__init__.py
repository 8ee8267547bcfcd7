"""Texture work, in chain order: ``unwrap`` (uv0) -> ``lightmap`` (uv1) -> ``tangents`` -> ``bake``.

``raster`` is the one triangle rasterizer: baking, the lightmap checks and the preview use it.
"""
