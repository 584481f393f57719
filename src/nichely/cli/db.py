"""`nichely db ...`: schema migrations."""

from __future__ import annotations

import typer

from nichely.settings import Settings
from nichely.storage.engine import open_database
from nichely.storage.migrate import current_revision, head_revision, upgrade

app = typer.Typer(no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Migrate the store named by NICHELY_DATABASE_URL to the newest schema."""
    db = open_database(Settings.from_env().database_url)
    upgrade(db, revision)
    typer.echo(f"store at revision {current_revision(db)}")


@app.command("status")
def status_command() -> None:
    """Show the store's schema revision and the newest one available."""
    db = open_database(Settings.from_env().database_url)
    typer.echo(f"current: {current_revision(db) or '(empty store)'}  newest: {head_revision(db)}")
