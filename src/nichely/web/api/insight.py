"""Demand insight for managers: unmet niche needs and which SKUs fit which segment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from nichely.insight import access
from nichely.insight.needs import unmet_needs
from nichely.insight.skus import sku_fit
from nichely.insight.views import fit_out, need_out
from nichely.web.deps import CurrentUser, DbDep

router = APIRouter(tags=["insight"])


@router.get("/insight/needs")
def needs(
    user: CurrentUser,
    db: DbDep,
    days: int = 30,
    limit: int = 20,
    min_searches: int = 3,
    language: str | None = None,
    long_tail: bool = False,
    supply: bool = True,
) -> dict[str, Any]:
    """Needs many people search for and do not find answered, highest gap first (managers and
    moderators). With `supply`, each need's top products and notes are searched now."""
    access.check_needs_reader(user)
    with db.read() as session:
        report = unmet_needs(
            session,
            days=days,
            limit=limit,
            min_searches=min_searches,
            language=language or None,
            long_tail_only=long_tail,
            supply=supply,
        )
    return {
        "days": report.days,
        "since": report.since.isoformat(),
        "searches": report.searches,
        "wordings": report.wordings,
        "needs": [need_out(n) for n in report.needs],
    }


@router.get("/insight/skus")
def skus(
    user: CurrentUser,
    db: DbDep,
    shop_id: int | None = None,
    product_id: int | None = None,
    category: str | None = None,
    days: int = 180,
    min_units: int = 5,
    min_lift: float = 1.2,
    limit: int = 50,
) -> dict[str, Any]:
    """Which SKU attribute values each declared segment buys more than other buyers, with refund
    rates: a manager for their own shop or product, moderators for any or the whole store."""
    with db.read() as session:
        access.check_sku_reader(session, user, shop_id=shop_id, product_id=product_id)
        report = sku_fit(
            session,
            shop_id=shop_id,
            product_id=product_id,
            category=category or None,
            days=days,
            min_units=min_units,
            min_lift=min_lift,
            limit=limit,
        )
    return {
        "days": days,
        "since": report.since.isoformat(),
        "orders": report.orders,
        "units": report.units,
        "buyers": report.buyers,
        "segments": report.segments,
        "fits": [fit_out(f) for f in report.fits],
    }
