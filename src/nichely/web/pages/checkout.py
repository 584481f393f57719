"""Checkout (confirm one SKU and quantity, then place the order) and the order page."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog import repo as catalog_repo
from nichely.catalog import service as catalog
from nichely.catalog.models import Product, Shop
from nichely.commerce import service as commerce
from nichely.commerce.models import Order
from nichely.errors import InvalidInput, NichelyError
from nichely.web.deps import DbDep
from nichely.web.i18n import N_
from nichely.web.pages.forms import FormDep, message, optional_id, text, whole_number
from nichely.web.pages.rendering import Page, PageDep

router = APIRouter()
NO_SKU = N_("Choose an option of the product first.")
ACTION_LABELS = {
    "pay": N_("Pay"),
    "ship": N_("Mark as shipped"),
    "deliver": N_("Mark as delivered"),
    "cancel": N_("Cancel the order"),
    "refund": N_("Refund"),
}
STATUS_LABELS = {
    "placed": N_("placed"),
    "paid": N_("paid"),
    "shipped": N_("shipped"),
    "delivered": N_("delivered"),
    "cancelled": N_("cancelled"),
    "refunded": N_("refunded"),
}


def _render_checkout(
    page: Page, session: Session, values: dict[str, str], error: str | None, status: int = 200
) -> Response:
    sku = None
    if values["sku"].strip().isdigit():
        sku = catalog_repo.get_sku(session, int(values["sku"]))
    if sku is None or sku.product.status != "active":
        error = error or page.gettext(NO_SKU)
        sku = None
        status = 422 if status == 200 else status
    shop = session.get(Shop, sku.product.shop_id) if sku else None
    quantity = int(values["qty"]) if values["qty"].strip().isdigit() else 1
    return page.render(
        "checkout.html",
        status=status,
        sku=sku,
        product=sku.product if sku else None,
        shop=shop,
        values=values,
        estimate=(sku.price * quantity) if sku else None,
        error=error,
    )


@router.get("/checkout")
def checkout_page(
    page: PageDep, db: DbDep, sku: str = "", qty: str = "1", storefront: str = "", room: str = ""
) -> Response:
    page.require_user()
    # A fresh key per confirmation page: a double click or a resubmitted form places one order.
    values = {
        "sku": sku,
        "qty": qty,
        "storefront": storefront,
        "room": room,
        "key": secrets.token_urlsafe(16),
    }
    with db.read() as session:
        return _render_checkout(page, session, values, None)


@router.post("/checkout")
def place_order(page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    values = {k: text(data, k) for k in ("sku", "qty", "storefront", "room", "key")}
    try:
        if not values["sku"].strip():
            raise InvalidInput(NO_SKU, field="sku")
        lines = [
            {
                "sku_id": whole_number(values["sku"], "sku"),
                "quantity": whole_number(values["qty"], "quantity"),
            }
        ]
        with db.write() as session:
            order, _created = commerce.place_order(
                session,
                user,
                lines,
                storefront_id=optional_id(values["storefront"], "storefront_id"),
                live_room_id=optional_id(values["room"], "live_room_id"),
                idempotency_key=values["key"] or None,
            )
            order_id = order.id
    except NichelyError as exc:
        error = message(page.gettext, exc)
        with db.read() as session:
            return _render_checkout(page, session, values, error, status=exc.status)
    return page.redirect(f"/orders/{order_id}")


def _actions(session: Session, user: User, order: Order) -> list[str]:
    """The actions this person may take on the order now, read from the commerce rules."""
    parties = set()
    if order.customer_id == user.id:
        parties.add("customer")
    shop = session.get(Shop, commerce.order_shop_id(session, order))
    if shop is not None and catalog.is_shop_manager(user, shop):
        parties.add("manager")
    return [
        action
        for action, rule in commerce.TRANSITIONS.items()
        if any(order.status in rule.allowed.get(party, frozenset()) for party in parties)
    ]


def _order_context(session: Session, user: User, order_id: int) -> dict[str, Any]:
    order = commerce.get_order(session, user, order_id)
    ids = {line.product_id for line in order.lines}
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
    skus = {line.sku_id: catalog_repo.get_sku(session, line.sku_id) for line in order.lines}
    return {
        "order": order,
        "products": products,
        "skus": skus,
        "history": commerce.order_history(session, order.id),
        "actions": _actions(session, user, order),
        "action_labels": ACTION_LABELS,
        "status_labels": STATUS_LABELS,
    }


@router.get("/orders/{order_id}")
def order_page(order_id: int, page: PageDep, db: DbDep) -> Response:
    user = page.require_user()
    with db.read() as session:
        return page.render("order.html", error=None, **_order_context(session, user, order_id))


@router.post("/orders/{order_id}/{action}")
def change_order(order_id: int, action: str, page: PageDep, db: DbDep) -> Response:
    user = page.require_user()
    try:
        with db.write() as session:
            commerce.change_status(session, user, order_id, action)
    except NichelyError as exc:
        if exc.status == 404:
            raise
        with db.read() as session:
            return page.render(
                "order.html",
                status=exc.status,
                error=message(page.gettext, exc),
                **_order_context(session, user, order_id),
            )
    return page.redirect(f"/orders/{order_id}")
