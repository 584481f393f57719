"""`nichely recommend train`: train the discovery feed on the store, once or on a schedule."""

from __future__ import annotations

import re
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nichely.errors import InvalidInput
from nichely.recommend.feedstate import state_path
from nichely.recommend.training import TrainSettings, describe, train_feed
from nichely.settings import Settings
from nichely.storage.engine import open_database

STEPS = (
    "reading the store",
    "engagement",
    "communities",
    "people like you",
    "items that go together",
    "saving",
)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(value: str) -> float:
    """'15m' -> 900.0 seconds; units s, m, h, d."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", value or "")
    if not match:
        raise InvalidInput(f"--every must look like 30s, 15m, 2h or 1d; got {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def train_once(data_dir: Path, communities: int | None, console: Console) -> None:
    """One training run with a progress bar; prints what was built and how long it took."""
    settings = Settings.from_env()
    db = open_database(settings.database_url)
    path = state_path(data_dir)
    started = time.perf_counter()
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("training the feed", total=len(STEPS))

        def step(name: str) -> None:
            console.log(f"{name} ({time.perf_counter() - started:.0f} s)")
            progress.update(task, description=name, completed=STEPS.index(name) if name in STEPS else None)

        state = train_feed(db, path, TrainSettings(communities=communities), on_step=step)
        progress.update(task, completed=len(STEPS))
    db.dispose()
    figures = describe(state)
    typer.echo(
        f"trained on {figures['users']} people and {figures['notes']} notes "
        f"in {time.perf_counter() - started:.1f} s; {len(figures['communities'])} communities"
    )
    for number, name in enumerate(figures["communities"], 1):
        typer.echo(f"  {number:>3}. {name}")
    typer.echo(f"written to {path}")


def register(recommend_app: typer.Typer) -> None:
    """Add `train` to the `nichely recommend` command group."""

    @recommend_app.command("train")
    def train(
        data_dir: Path | None = typer.Option(
            None, help="Where the trained state goes (default: NICHELY_DATA_DIR or ./data)"
        ),
        every: str | None = typer.Option(
            None, help="Retrain forever at this interval, e.g. 15m (Ctrl-C stops)"
        ),
        communities: int | None = typer.Option(None, min=2, help="Number of communities (default: eigengap)"),
    ) -> None:
        """Train the discovery feed on the store (NICHELY_DATABASE_URL); web workers pick it up within a minute."""
        console = Console(stderr=True)
        target = data_dir or Settings.from_env().data_dir or Path("./data")
        interval = parse_every(every) if every else None
        while True:
            began = time.monotonic()
            train_once(target, communities, console)
            if interval is None:
                return
            time.sleep(max(interval - (time.monotonic() - began), 0.0))
