"""A progress bar on the terminal for runs that take more than a moment."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

# Below this, a bar would only flicker: it appears once a run has taken this long.
SHOW_AFTER_SECONDS = 0.5


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """Yields a `tick(done, total)` callback, or None when no bar should be shown."""
    if not enabled:
        yield None
        return
    started = time.monotonic()
    bar: Progress | None = None
    task = None

    def tick(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            if time.monotonic() - started < SHOW_AFTER_SECONDS or done >= total:
                return
            bar = Progress(
                TextColumn("checking schools"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            task = bar.add_task("schools", total=total)
        assert task is not None
        bar.update(task, completed=done)

    try:
        yield tick
    finally:
        if bar is not None:
            bar.stop()
