"""The command line: a thin shell over the domains (`nichely --help`)."""

from __future__ import annotations

import sys

import typer

from nichely.cli import bench as bench_commands
from nichely.cli import data as data_commands
from nichely.cli import db as db_commands
from nichely.cli import demo as demo_commands
from nichely.cli import feed as feed_commands
from nichely.cli import insight as insight_commands
from nichely.cli import recommend as recommend_commands
from nichely.cli import search as search_commands
from nichely.cli import serve as serve_commands
from nichely.cli import trust as trust_commands
from nichely.cli import trust_score as trust_score_commands
from nichely.errors import NichelyError

app = typer.Typer(no_args_is_help=True, help="Nichely: lifestyle commerce built around people.")
app.add_typer(db_commands.app, name="db", help="Create and migrate the store.")
app.add_typer(bench_commands.app, name="bench", help="Measure the pipelines on outside data.")
app.add_typer(
    trust_commands.app, name="trust", help="Fit and apply deceptive / machine-written text detectors."
)
trust_score_commands.register(trust_commands.app)
app.add_typer(recommend_commands.app, name="recommend", help="Fit the recommender on outside data, predict.")
feed_commands.register(recommend_commands.app)
app.add_typer(
    insight_commands.app, name="insight", help="Unmet needs and SKU fit by segment, from the store."
)
app.add_typer(search_commands.app, name="search", help="Rebuild the search index, train the ranker.")
serve_commands.register(app)
app.add_typer(demo_commands.app, name="demo", help="Seed a demo community and serve it.")
app.add_typer(data_commands.import_app, name="import", help="Import products or notes from CSV / JSONL.")
data_commands.register(app)


def main() -> None:
    """Entry point: domain errors become a one-line message and exit status 1."""
    try:
        app()
    except NichelyError as exc:
        typer.secho(f"error: {exc.detail}", fg="red", err=True)
        sys.exit(1)
