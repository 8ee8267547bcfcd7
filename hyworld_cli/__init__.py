"""hyworld command-line interface."""

from pipelines.version import __version__

__all__ = ["__version__"]
