"""The one exception hierarchy of hyworld; the CLI maps each class to an exit code."""

from __future__ import annotations


class HyworldError(Exception):
    """Base of every error a user can act on. ``exit_code`` is what the CLI returns."""

    exit_code = 1


class InputError(HyworldError):
    """Bad input or usage: missing or unreadable file, empty prompt, bad option value."""

    exit_code = 2


class ResourceError(HyworldError):
    """A resource limit was hit: memory, grid size, disk."""

    exit_code = 3


class OutputExistsError(InputError):
    """An output already exists and ``--force`` was not given."""


class BatchError(HyworldError):
    """Some jobs of a batch failed; the others completed."""

    exit_code = 4
