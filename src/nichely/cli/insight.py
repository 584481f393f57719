"""`nichely insight needs` and `nichely insight skus`: demand insight from the store, as a table or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from nichely.errors import NichelyError
from nichely.settings import Settings
from nichely.storage.engine import open_database

app = typer.Typer(no_args_is_help=True)
T = TypeVar("T")


def _read(compute: Callable[[Session], T]) -> T:
    """Run one analysis in a read session of the configured store; a domain error exits 1."""
    db = open_database(Settings.from_env().database_url)
    try:
        with db.read() as session:
            return compute(session)
    except NichelyError as exc:
        typer.secho(f"error: {exc.detail}", fg="red", err=True)
        raise typer.Exit(1) from exc
    finally:
        db.dispose()


@app.command("needs")
def needs_command(
    days: int = typer.Option(30, help="Read the searches of the last DAYS days"),
    limit: int = typer.Option(20, help="Show this many needs"),
    min_searches: int = typer.Option(3, help="Ignore needs searched fewer times"),
    language: str | None = typer.Option(None, help="Only searches in this language (en, es, zh)"),
    long_tail: bool = typer.Option(False, "--long-tail", help="Only long-tail needs"),
    supply: bool = typer.Option(True, help="Search each need now to measure what the store offers"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table"),
) -> None:
    """Needs many people search for and do not find answered, highest gap first."""
    from nichely.insight.needs import unmet_needs
    from nichely.insight.views import need_out

    report = _read(
        lambda session: unmet_needs(
            session,
            days=days,
            limit=limit,
            min_searches=min_searches,
            language=language,
            long_tail_only=long_tail,
            supply=supply,
        )
    )
    if as_json:
        typer.echo(
            json.dumps(
                {"searches": report.searches, "needs": [need_out(n) for n in report.needs]},
                ensure_ascii=False,
            )
        )
        return
    table = Table(title=f"Unmet needs, last {days} days ({report.searches} searches read)")
    for column in (
        "gap",
        "need",
        "lang",
        "searches",
        "people",
        "no result",
        "clicked",
        "proven products",
    ):
        table.add_column(column)
    for n in report.needs:
        proven = f"{n.supply.proven_products}/{n.supply.products}" if n.supply else "-"
        table.add_row(
            f"{n.gap:.2f}",
            n.query,
            n.language,
            str(n.searches),
            str(n.searchers),
            f"{n.no_result_rate:.0%}",
            f"{n.click_rate:.0%}",
            proven,
        )
    Console().print(table)
    typer.echo("--json gives every need's wordings, supply and reasons.")


@app.command("skus")
def skus_command(
    shop: int | None = typer.Option(None, help="Only this shop's sales"),
    product: int | None = typer.Option(None, help="Only this product's sales"),
    category: str | None = typer.Option(None, help="Only products of this category"),
    days: int = typer.Option(180, help="Read the orders of the last DAYS days"),
    min_units: int = typer.Option(5, help="Ignore options a segment bought fewer units of"),
    min_lift: float = typer.Option(1.2, help="Ignore options picked less than this many times as often"),
    limit: int = typer.Option(50, help="Show this many findings"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table"),
) -> None:
    """Which SKU options each declared segment buys more often than other buyers."""
    from nichely.insight.skus import sku_fit
    from nichely.insight.views import fit_out

    report = _read(
        lambda session: sku_fit(
            session,
            shop_id=shop,
            product_id=product,
            category=category,
            days=days,
            min_units=min_units,
            min_lift=min_lift,
            limit=limit,
        )
    )
    if as_json:
        typer.echo(
            json.dumps(
                {"orders": report.orders, "units": report.units, "fits": [fit_out(f) for f in report.fits]},
                ensure_ascii=False,
            )
        )
        return
    table = Table(
        title=f"SKU fit by segment: {report.orders} orders, {report.units} units, {report.buyers} buyers"
    )
    for column in ("segment", "option", "units", "share", "others", "lift", "refunded", "p"):
        table.add_column(column)
    for f in report.fits:
        table.add_row(
            f.segment,
            f"{f.attribute}={f.value}",
            str(f.units),
            f"{f.segment_share:.0%}",
            f"{f.overall_share:.0%}",
            f"{f.lift:.1f}x",
            f"{f.refund_rate:.0%} ({f.overall_refund_rate:.0%})",
            f"{f.p_value:.3g}",
        )
    Console().print(table)
