"""The command line: a thin shell over the domains (`nichely --help`)."""

from __future__ import annotations

import sys

import typer

from nichely.cli import bench as bench_commands
from nichely.cli import db as db_commands
from nichely.cli import search as search_commands
from nichely.cli import serve as serve_commands
from nichely.errors import NichelyError

app = typer.Typer(no_args_is_help=True, help="Nichely: lifestyle commerce built around people.")
app.add_typer(db_commands.app, name="db", help="Create and migrate the store.")
app.add_typer(bench_commands.app, name="bench", help="Measure the pipelines on outside data.")
app.add_typer(search_commands.app, name="search", help="Rebuild the search index, train the ranker.")
serve_commands.register(app)


def main() -> None:
    """Entry point: domain errors become a one-line message and exit status 1."""
    try:
        app()
    except NichelyError as exc:
        typer.secho(f"error: {exc.detail}", fg="red", err=True)
        sys.exit(1)
