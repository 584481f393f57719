"""A rich progress bar for long CLI commands (shared by `demo` and `import`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@contextmanager
def bar(description: str, total: float, counts: bool = False) -> Iterator[Progress]:
    """A progress bar on stderr that disappears from the output once done."""
    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn() if counts else TextColumn(""),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        progress.add_task(description, total=total)
        yield progress
