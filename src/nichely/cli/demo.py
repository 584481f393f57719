"""`nichely demo`: seed a demo community into an empty store, then serve it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer

from nichely.cli.progress import bar
from nichely.cli.serve import run_server
from nichely.demo import DEMO_PASSWORD, Manifest, is_empty, photos, seed_demo
from nichely.errors import NichelyError
from nichely.settings import Settings
from nichely.storage.engine import Database, open_database
from nichely.storage.migrate import upgrade

app = typer.Typer(invoke_without_command=True, no_args_is_help=False)


def _anchor(date: str | None) -> datetime:
    """Noon UTC of `date` (YYYY-MM-DD), or of today: the demo's 'now'."""
    try:
        day = datetime.strptime(date, "%Y-%m-%d") if date else datetime.now(UTC).replace(tzinfo=None)
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
    return day.replace(hour=12, minute=0, second=0, microsecond=0)


def _seed(db: Database, seed: int, scale: float, date: str | None, media_dir: Path) -> Manifest:
    with bar("generating", 1.0) as progress:
        task = progress.tasks[0].id
        return seed_demo(
            db,
            seed=seed,
            scale=scale,
            now=_anchor(date),
            progress=lambda label, done: progress.update(task, description=label, completed=done),
            media_dir=media_dir,
        )


def _index(db: Database) -> None:
    """Build the search index over the new store (derived state, rebuilt from the rows)."""
    from nichely.search.index import reindex

    with bar("indexing for search", 1.0) as progress:
        task = progress.tasks[0].id
        counts = reindex(
            db,
            progress=lambda kind, done, total: progress.update(
                task, description=f"indexing {kind}s", completed=done / max(total, 1)
            ),
        )
    typer.echo("search index: " + ", ".join(f"{n} {kind}s" for kind, n in counts.items()))


def _summary(manifest: Manifest) -> None:
    counts = manifest.counts
    typer.echo(
        f"demo store seeded (seed {manifest.seed}, scale {manifest.scale}): {counts['users']} users, "
        f"{counts['shops']} shops, {counts['products']} products, {counts['skus']} SKUs, {counts['notes']} notes "
        f"({counts.get('note_photos', 0)} photos), "
        f"{counts['orders']} orders, {counts['live_rooms']} live rooms, {counts['search_log']} searches"
    )
    logins = ", ".join(
        manifest.logins.get(kind, ["-"])[0]
        for kind in ("admin", "moderator", "manager", "creator", "buyer", "shopper")
    )
    typer.echo(f"log in as any of {logins} with password {DEMO_PASSWORD!r}")
    typer.echo(
        f"planted: ring of {len(manifest.ring_user_ids)} accounts on shop {manifest.ring_shop_id} "
        f"({len(manifest.ring_note_ids)} notes), {len(manifest.undisclosed_ad_note_ids)} undisclosed ads, "
        f"{len(manifest.near_duplicate_groups)} near-duplicate groups"
    )


SEED = typer.Option(7, "--seed", help="Random seed: the same seed and date give the same store")
SCALE = typer.Option(1.0, "--scale", help="Size relative to the full demo (0.05 for a small store)")
DATE = typer.Option(None, "--date", help="The demo's 'today' as YYYY-MM-DD (default: today)")


@app.callback()
def demo(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    seed: int = SEED,
    scale: float = SCALE,
    date: str | None = DATE,
) -> None:
    """Migrate, seed the demo community if the store is empty, then serve it."""
    if ctx.invoked_subcommand is not None:
        return
    settings = Settings.from_env()
    db = open_database(settings.database_url)
    upgrade(db)
    if is_empty(db):
        try:
            _summary(_seed(db, seed, scale, date, settings.media_dir))
            _index(db)
        except NichelyError as exc:
            typer.secho(f"error: {exc.detail}", fg="red", err=True)
            raise typer.Exit(1) from None
    else:
        typer.echo("the store already has data; serving it as it is")
        if redrawn := photos.restore(db, settings.media_dir):
            typer.echo(f"redrew {redrawn} missing demo photos in {settings.media_dir}")
    db.dispose()
    run_server(host, port, 1)


@app.command("seed")
def seed_command(
    seed: int = SEED,
    scale: float = SCALE,
    date: str | None = DATE,
    manifest: Path | None = typer.Option(
        None, "--manifest", help="Also write the manifest (planted ids) as JSON here"
    ),
    index: bool = typer.Option(True, "--index/--no-index", help="Build the search index after seeding"),
) -> None:
    """Seed the demo community into an empty store without serving it."""
    if scale <= 0:
        raise typer.BadParameter("must be positive", param_hint="--scale")
    settings = Settings.from_env()
    db = open_database(settings.database_url)
    try:
        upgrade(db)
        made = _seed(db, seed, scale, date, settings.media_dir)
        _summary(made)
        if index:
            _index(db)
        if manifest is not None:
            manifest.write_text(
                json.dumps(made.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
    except NichelyError as exc:
        typer.secho(f"error: {exc.detail}", fg="red", err=True)
        raise typer.Exit(1) from None
    finally:
        db.dispose()
