"""`nichely trust score`: recompute every trust flag and score from the store, with a progress bar."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nichely.settings import Settings
from nichely.storage.engine import open_database


class _StageBars:
    """A `(stage, done, total)` callback with one bar per stage."""

    def __init__(self, bars: Progress) -> None:
        self.bars = bars
        self.tasks: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bars.add_task(stage, total=total)
        self.bars.update(self.tasks[stage], completed=done, total=total)  # type: ignore[arg-type]


def score_command() -> None:
    """Find near-duplicates, rings and undisclosed ads, run the configured text detectors
    (NICHELY_TRUST_MODELS), and score every person and note."""
    from nichely.trust.service import score_all

    db = open_database(Settings.from_env().database_url)
    try:
        columns = (
            TextColumn("{task.description:<16}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=True) as bars:
            summary = score_all(db, progress=_StageBars(bars))
    finally:
        db.dispose()
    typer.echo(
        f"scored {summary.notes} notes and {summary.users} people; "
        f"{summary.duplicate_notes} near-duplicates in {summary.duplicate_groups} groups, "
        f"{summary.rings} ring(s) of {summary.ring_accounts} accounts, "
        f"{summary.undisclosed_ads} undisclosed ads"
    )
    if summary.detector_note:
        typer.echo(summary.detector_note)


def register(app: typer.Typer) -> None:
    """Add `score` to the `nichely trust` group."""
    app.command("score")(score_command)
