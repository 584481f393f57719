"""Orders: place (idempotently), read, list, and move through their life cycle."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel, Field, StrictInt
from sqlalchemy.orm import Session

from nichely.commerce import service as commerce
from nichely.commerce.models import Order
from nichely.errors import NotFound
from nichely.web.deps import CurrentUser, DbDep, ReadSession

router = APIRouter(tags=["orders"])


class LineIn(BaseModel):
    # Strict: an order is money and stock, so `true` or "2" is refused rather than read as 1 or 2.
    sku_id: StrictInt
    quantity: StrictInt


class OrderIn(BaseModel):
    lines: list[LineIn] = Field(max_length=commerce.MAX_LINES)
    storefront_id: StrictInt | None = None
    live_room_id: StrictInt | None = None


class LineOut(BaseModel):
    id: int
    sku_id: int
    product_id: int
    quantity: int
    unit_price: Decimal
    line_total: Decimal


class CommissionOut(BaseModel):
    storefront_id: int
    buyer_id: int
    rate: Decimal
    amount: Decimal


class StatusChangeOut(BaseModel):
    from_status: str | None
    to_status: str
    changed_by: int | None
    changed_at: datetime


class OrderOut(BaseModel):
    id: int
    customer_id: int
    shop_id: int
    status: str
    total: Decimal
    storefront_id: int | None
    live_room_id: int | None
    lines: list[LineOut]
    commission: CommissionOut | None
    history: list[StatusChangeOut]
    created_at: datetime
    updated_at: datetime


class OrderPage(BaseModel):
    items: list[OrderOut]
    next_cursor: str | None


def order_out(session: Session, order: Order) -> OrderOut:
    """An order with its lines, the storefront commission it earns, and its status history."""
    earned = commerce.commission(session, order)
    return OrderOut(
        id=order.id,
        customer_id=order.customer_id,
        shop_id=commerce.order_shop_id(session, order),
        status=order.status,
        total=order.total,
        storefront_id=order.storefront_id,
        live_room_id=order.live_room_id,
        lines=[
            LineOut(
                id=line.id,
                sku_id=line.sku_id,
                product_id=line.product_id,
                quantity=line.quantity,
                unit_price=line.unit_price,
                line_total=line.unit_price * line.quantity,
            )
            for line in order.lines
        ],
        commission=CommissionOut(**earned) if earned else None,
        history=[
            StatusChangeOut(
                from_status=c.from_status,
                to_status=c.to_status,
                changed_by=c.changed_by,
                changed_at=c.changed_at,
            )
            for c in commerce.order_history(session, order.id)
        ],
        created_at=order.created_at,
        updated_at=order.updated_at,
    )


@router.post("/orders", status_code=201)
def place_order(
    body: OrderIn,
    user: CurrentUser,
    db: DbDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> OrderOut:
    """Place an order from one shop. Send an Idempotency-Key to retry safely: the same key
    returns the same order (200) without taking stock again. 409 when a SKU is short."""
    with db.write() as session:
        order, created = commerce.place_order(
            session,
            user,
            [line.model_dump() for line in body.lines],
            storefront_id=body.storefront_id,
            live_room_id=body.live_room_id,
            idempotency_key=idempotency_key,
        )
        if not created:
            response.status_code = 200
            response.headers["Idempotent-Replayed"] = "true"
        return order_out(session, order)


@router.get("/orders")
def list_orders(
    user: CurrentUser,
    session: ReadSession,
    shop_id: int | None = None,
    status: str | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> OrderPage:
    """Your orders, newest first; with shop_id, the orders of a shop you manage."""
    orders, next_cursor = commerce.list_orders(
        session, user, shop_id=shop_id, status=status, limit=limit, cursor=cursor
    )
    return OrderPage(items=[order_out(session, o) for o in orders], next_cursor=next_cursor)


@router.get("/orders/{order_id}")
def get_order(order_id: int, user: CurrentUser, session: ReadSession) -> OrderOut:
    """One order, for its customer or its shop's manager."""
    return order_out(session, commerce.get_order(session, user, order_id))


@router.post("/orders/{order_id}/{action}")
def change_status(order_id: int, action: str, user: CurrentUser, db: DbDep) -> OrderOut:
    """Move an order on: pay (customer), ship and deliver (manager), cancel (either), refund (manager)."""
    if action not in commerce.TRANSITIONS:
        raise NotFound(f"unknown order action {action!r}; choose from {sorted(commerce.TRANSITIONS)}")
    with db.write() as session:
        return order_out(session, commerce.change_status(session, user, order_id, action))
