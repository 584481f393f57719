"""`nichely import ...` and `nichely export`: move products and notes in and out of the store."""

from __future__ import annotations

from pathlib import Path

import typer

from nichely.catalog.importing import DEFAULT_SHOP, import_products
from nichely.cli.progress import bar
from nichely.community.importing import import_notes
from nichely.errors import NichelyError
from nichely.settings import Settings
from nichely.storage.engine import Database, open_database
from nichely.storage.export import export_store
from nichely.storage.migrate import upgrade
from nichely.storage.records import count_lines, read_records

import_app = typer.Typer(no_args_is_help=True)


def _store() -> Database:
    db = open_database(Settings.from_env().database_url)
    upgrade(db)
    return db


def _fail(exc: NichelyError) -> typer.Exit:
    typer.secho(f"error: {exc.detail}", fg="red", err=True)
    return typer.Exit(1)


@import_app.command("products")
def products_command(
    file: Path = typer.Argument(..., help="A .csv or .jsonl file of products"),
    shop: str = typer.Option(
        DEFAULT_SHOP, "--shop", help="Shop for rows that name none (created if missing)"
    ),
) -> None:
    """Import products with their SKUs; a bad row stops the import and nothing is written."""
    db = _store()
    try:
        with bar(
            f"importing {file.name}", max(1, count_lines(file) - 1) if file.is_file() else 1, counts=True
        ) as progress:
            task = progress.tasks[0].id
            with db.write() as session:
                report = import_products(
                    session,
                    read_records(file),
                    default_shop=shop,
                    progress=lambda n: progress.update(task, completed=n),
                )
    except NichelyError as exc:
        raise _fail(exc) from None
    finally:
        db.dispose()
    created = f"; created shops: {', '.join(report.shops_created)}" if report.shops_created else ""
    typer.echo(f"imported {report.products} products with {report.skus} SKUs{created}")


@import_app.command("notes")
def notes_command(file: Path = typer.Argument(..., help="A .csv or .jsonl file of notes")) -> None:
    """Import notes by existing users; a bad row stops the import and nothing is written."""
    db = _store()
    try:
        with bar(
            f"importing {file.name}", max(1, count_lines(file) - 1) if file.is_file() else 1, counts=True
        ) as progress:
            task = progress.tasks[0].id
            with db.write() as session:
                report = import_notes(
                    session, read_records(file), progress=lambda n: progress.update(task, completed=n)
                )
    except NichelyError as exc:
        raise _fail(exc) from None
    finally:
        db.dispose()
    typer.echo(
        f"imported {report.notes} notes by {len(report.authors)} authors, linked to {report.links} products"
    )


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export_command(
        out: Path = typer.Option(Path("export"), "--out", help="Directory for the JSONL files"),
    ) -> None:
        """Write products, notes, users (no password hashes) and orders as JSON Lines."""
        db = _store()
        try:
            counts = export_store(db, out)
        finally:
            db.dispose()
        typer.echo(", ".join(f"{n} {name}" for name, n in counts.items()) + f" written to {out}")
