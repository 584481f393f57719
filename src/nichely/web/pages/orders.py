"""Lists of orders: a person's own ("My orders") and a shop's, where its manager ships, delivers,
cancels or refunds them. One order's own page is in `checkout`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog import service as catalog
from nichely.catalog.models import Product
from nichely.commerce import service as commerce
from nichely.commerce.models import ORDER_STATUSES, Order
from nichely.errors import NichelyError, NotFound
from nichely.web.deps import DbDep
from nichely.web.pages.cards import shop_names
from nichely.web.pages.checkout import ACTION_LABELS, STATUS_LABELS
from nichely.web.pages.forms import FormDep, message, text
from nichely.web.pages.rendering import Page, PageDep, safe_next

router = APIRouter()
ORDERS_PER_PAGE = 20


def manager_actions(order: Order) -> list[str]:
    """What a shop's manager may do to the order now, read from the commerce rules."""
    return [
        action
        for action, rule in commerce.TRANSITIONS.items()
        if order.status in rule.allowed.get("manager", frozenset())
    ]


def _lines_context(session: Session, orders: list[Order]) -> dict[str, Any]:
    """The products every listed order buys, fetched in one query, and their shops' names."""
    ids = {line.product_id for order in orders for line in order.lines}
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))} if ids else {}
    return {
        "products": products,
        "shop_names": shop_names(session, (p.shop_id for p in products.values())),
        "status_labels": STATUS_LABELS,
        "action_labels": ACTION_LABELS,
        "statuses": ORDER_STATUSES,
    }


@router.get("/orders")
def my_orders(page: PageDep, db: DbDep, cursor: str | None = None, status: str | None = None) -> Response:
    """The visitor's own orders, newest first, a page at a time."""
    user = page.require_user()
    with db.read() as session:
        orders, next_cursor = commerce.list_orders(
            session, user, status=status or None, limit=ORDERS_PER_PAGE, cursor=cursor
        )
        return page.render(
            "orders.html",
            orders=orders,
            next_cursor=next_cursor,
            filter_status=status or "",
            **_lines_context(session, orders),
        )


def _render_shop_orders(
    page: Page,
    session: Session,
    user: User,
    shop_id: int,
    *,
    status: str | None,
    cursor: str | None,
    error: str | None = None,
    code: int = 200,
    back: str | None = None,
) -> Response:
    shop = catalog.require_shop(session, shop_id)
    # list_orders refuses anyone but the shop's manager (403).
    orders, next_cursor = commerce.list_orders(
        session, user, shop_id=shop.id, status=status or None, limit=ORDERS_PER_PAGE, cursor=cursor
    )
    customers = {
        u.id: u for u in session.scalars(select(User).where(User.id.in_({o.customer_id for o in orders})))
    }
    return page.render(
        "shop_orders.html",
        status=code,
        shop=shop,
        orders=orders,
        next_cursor=next_cursor,
        filter_status=status or "",
        customers=customers,
        actions={o.id: manager_actions(o) for o in orders},
        back=back or page.request.url.path + (f"?{page.request.url.query}" if page.request.url.query else ""),
        error=error,
        **_lines_context(session, orders),
    )


@router.get("/shops/{shop_id}/orders")
def shop_orders(
    shop_id: int, page: PageDep, db: DbDep, cursor: str | None = None, status: str | None = None
) -> Response:
    """A shop's orders for its manager, with the actions each allows now."""
    user = page.require_user()
    with db.read() as session:
        return _render_shop_orders(page, session, user, shop_id, status=status, cursor=cursor)


@router.post("/shops/{shop_id}/orders/{order_id}/{action}")
def change_shop_order(
    shop_id: int, order_id: int, action: str, page: PageDep, db: DbDep, data: FormDep
) -> Response:
    """Ship, deliver, cancel or refund one of the shop's orders, then go back to the list."""
    user = page.require_user()
    back = safe_next(text(data, "next"), f"/shops/{shop_id}/orders")
    try:
        with db.write() as session:
            order = commerce.get_order(session, user, order_id)
            if commerce.order_shop_id(session, order) != shop_id:
                raise NotFound(f"order {order_id} does not exist")
            commerce.change_status(session, user, order_id, action)
    except NichelyError as exc:
        if exc.status in (403, 404):
            raise
        with db.read() as session:
            return _render_shop_orders(
                page,
                session,
                user,
                shop_id,
                status=None,
                cursor=None,
                error=message(page.gettext, exc),
                code=exc.status,
                back=back,
            )
    return page.redirect(back)
