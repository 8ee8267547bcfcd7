"""The tool's version: the installed distribution's, so pyproject.toml is its one source."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("hyworld")
except _metadata.PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+source"
