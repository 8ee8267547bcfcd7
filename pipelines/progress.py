"""Progress reporting passed down the chain; the CLI supplies a rich one, batch a silent one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol


class StageTask(Protocol):
    def advance(self, steps: int = 1) -> None: ...


class Progress(Protocol):
    """Reports one task per stage; ``stage`` is a context manager yielding the task."""

    def stage(self, name: str, total: int) -> AbstractContextManager[StageTask]: ...

    def log(self, message: str) -> None: ...


class _NullTask:
    def advance(self, steps: int = 1) -> None:
        pass


class NullProgress:
    """Progress that reports nothing (tests, batch workers, library use)."""

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator[StageTask]:
        yield _NullTask()

    def log(self, message: str) -> None:
        pass
