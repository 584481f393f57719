"""Demand insight pages: unmet needs (with a chart of their gaps) and SKU fit per segment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from nichely.catalog.models import Shop
from nichely.errors import InvalidInput
from nichely.insight import access
from nichely.insight.needs import Need, unmet_needs
from nichely.insight.skus import sku_fit
from nichely.web.deps import DbDep
from nichely.web.pages.rendering import PageDep

router = APIRouter()

BAR_W, BAR_H, LABEL_W = 640, 22, 260
PERIODS = (7, 30, 90, 365)


def gap_chart(needs: list[Need]) -> dict[str, Any]:
    """Horizontal bars of the needs' gap scores, longest for the largest gap (drawn server-side)."""
    top = max((n.gap for n in needs), default=0.0) or 1.0
    inner = BAR_W - LABEL_W - 48
    bars = [
        {
            "y": i * BAR_H,
            "width": max(2.0, round(inner * n.gap / top, 1)),
            "label": n.query if len(n.query) <= 40 else n.query[:39] + "…",
            "need": n,
        }
        for i, n in enumerate(needs)
    ]
    return {
        "width": BAR_W,
        "height": BAR_H * len(needs) + 4,
        "label_w": LABEL_W,
        "bar_h": BAR_H - 6,
        "bars": bars,
    }


@router.get("/insight")
def needs_page(
    page: PageDep, db: DbDep, days: int = 30, language: str = "", long_tail: bool = False
) -> Response:
    """Unmet niche needs for managers and moderators, highest gap first."""
    user = page.require_user()
    access.check_needs_reader(user)
    if days not in PERIODS:
        raise InvalidInput(f"days must be one of {', '.join(map(str, PERIODS))}", field="days")
    with db.read() as session:
        report = unmet_needs(
            session, days=days, limit=20, language=language or None, long_tail_only=long_tail
        )
    return page.render(
        "insight_needs.html",
        report=report,
        chart=gap_chart(report.needs),
        days=days,
        periods=PERIODS,
        language=language,
        long_tail=long_tail,
    )


@router.get("/insight/skus")
def skus_page(page: PageDep, db: DbDep, shop_id: int | None = None, days: int = 180) -> Response:
    """Which SKU options each segment buys more than other buyers, for one of the manager's shops."""
    user = page.require_user()
    with db.read() as session:
        shops = list(
            session.scalars(
                select(Shop).order_by(Shop.name)
                if user.has_role("moderator")
                else select(Shop).where(Shop.manager_id == user.id).order_by(Shop.name)
            )
        )
        if shop_id is None and shops and not user.has_role("moderator"):
            shop_id = shops[0].id
        access.check_sku_reader(session, user, shop_id=shop_id, product_id=None)
        report = sku_fit(session, shop_id=shop_id, days=days)
    return page.render("insight_skus.html", report=report, shops=shops, shop_id=shop_id, days=days)
