"""Mesh work on one object, in chain order: ``cleanup`` -> ``simplify`` (decimation) -> ``lod`` -> ``collision``.

``topology`` holds what they share: the weld by position and the closed-surface test.
"""
