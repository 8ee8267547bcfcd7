"""Rich progress on stderr, one bar per stage; the silent variant lives in pipelines.progress."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class _Task:
    def __init__(self, bar: Progress, task_id) -> None:
        self._bar, self._id = bar, task_id

    def advance(self, steps: int = 1) -> None:
        self._bar.advance(self._id, steps)


class RichProgress:
    """One rich bar per pipeline stage, drawn on ``console`` (stderr)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._bar = Progress(
            TextColumn("[bold]{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )

    def __enter__(self) -> RichProgress:
        self._bar.start()
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:  # an error or Ctrl-C: its one line is all stderr shows, not the bars before it
            self._bar.live.transient = True
        self._bar.stop()

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator[_Task]:
        task_id = self._bar.add_task(name, total=max(total, 1))
        yield _Task(self._bar, task_id)
        self._bar.update(task_id, completed=max(total, 1))

    def log(self, message: str) -> None:
        self.console.log(message)
