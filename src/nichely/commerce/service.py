"""Rules for orders: placing them without overselling, idempotent retries, and their life cycle.

Stock is never read-then-written. Each line takes its units with one conditional statement,
``UPDATE skus SET stock = stock - :q WHERE id = :id AND stock >= :q``, and a line that
touches no row means the SKU ran short: the whole order (its rows, every earlier decrement,
its events) lives in one savepoint and is rolled back together. The statement is atomic on
both stores: SQLite serialises writers (BEGIN IMMEDIATE) and PostgreSQL re-checks the WHERE
clause against the newest row version after waiting for a concurrent writer's lock. Lines are
taken in SKU-id order so two orders on PostgreSQL can never wait on each other in a cycle.

Life cycle (who may move an order from which status)::

    placed --pay (customer)--> paid --ship (manager)--> shipped --deliver (manager)--> delivered
    cancel: customer from placed/paid, manager from placed/paid/shipped; stock comes back
    refund: manager from paid/shipped/delivered; stock comes back unless it was delivered
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, cast

from sqlalchemy import CursorResult, Result, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from nichely.accounts.models import User
from nichely.activity.service import record_event
from nichely.catalog.models import Product, Shop, Sku, Storefront, StorefrontItem
from nichely.catalog.service import MAX_ID, is_shop_manager, parse_count, parse_id
from nichely.commerce.models import Order, OrderLine, OrderStatusChange
from nichely.community.verification import refresh_verified_purchases
from nichely.errors import Conflict, Forbidden, InvalidInput, NotFound, OutOfStock
from nichely.live.models import LiveRoom, LiveRoomProduct
from nichely.search import index as search_index
from nichely.storage.base import utcnow
from nichely.storage.pagination import page

MAX_LINES = 50
MAX_QUANTITY = 10_000
# Orders that still count as sales: the rest were undone.
OPEN_OR_DONE = ("placed", "paid", "shipped", "delivered")


def _rowcount(result: Result[Any]) -> int:
    return cast(CursorResult[Any], result).rowcount


# --- payment seam --------------------------------------------------------------------------


class PaymentProvider(Protocol):
    """Takes the money for an order; raises a NichelyError when the payment is declined."""

    def charge(self, order: Order) -> str: ...


class RecordedPayment:
    """The default provider: no money moves, the payment is only recorded (self-hosted shops
    settle outside the platform). A real provider implements the same one method."""

    def charge(self, order: Order) -> str:
        """Approve and return a reference for the order's payment."""
        return f"recorded-{order.id}"


# --- value checks (pure) -------------------------------------------------------------------


def normalise_lines(lines: Any) -> list[tuple[int, int]]:
    """(sku_id, quantity) pairs sorted by SKU, duplicates merged; refuses anything malformed."""
    if not isinstance(lines, Sequence) or isinstance(lines, str) or not lines:
        raise InvalidInput("an order needs at least one line", field="lines")
    if len(lines) > MAX_LINES:
        raise InvalidInput(f"an order may have at most {MAX_LINES} lines", field="lines")
    merged: dict[int, int] = {}
    for i, line in enumerate(lines):
        if not isinstance(line, Mapping):
            raise InvalidInput(f"lines.{i} must be an object with sku_id and quantity", field=f"lines.{i}")
        sku_id = parse_id(line.get("sku_id"), f"lines.{i}.sku_id")
        quantity = parse_count(line.get("quantity"), f"lines.{i}.quantity", low=1, high=MAX_QUANTITY)
        merged[sku_id] = merged.get(sku_id, 0) + quantity
        if merged[sku_id] > MAX_QUANTITY:
            raise InvalidInput(f"at most {MAX_QUANTITY} units of SKU {sku_id} per order", field="lines")
    return sorted(merged.items())


def clean_idempotency_key(key: str | None) -> str | None:
    """An Idempotency-Key: 1-100 visible ASCII characters, or None when none was sent."""
    if key is None:
        return None
    key = key.strip()
    if not 1 <= len(key) <= 100 or not all(33 <= ord(c) <= 126 for c in key):
        raise InvalidInput("Idempotency-Key must be 1-100 visible ASCII characters", field="Idempotency-Key")
    return key


def request_fingerprint(
    lines: list[tuple[int, int]], storefront_id: int | None, live_room_id: int | None
) -> str:
    """A digest of what an order asks for, to tell a retry from a different order under one key."""
    canonical = json.dumps(
        {"lines": lines, "storefront_id": storefront_id, "live_room_id": live_room_id}, sort_keys=True
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- placing -------------------------------------------------------------------------------


def _order_by_key(session: Session, customer_id: int, key: str) -> Order | None:
    return session.scalar(
        select(Order)
        .where(Order.customer_id == customer_id, Order.idempotency_key == key)
        .options(selectinload(Order.lines))
        .execution_options(populate_existing=True)
    )


def _replay(order: Order, fingerprint: str) -> tuple[Order, bool]:
    if order.request_fingerprint != fingerprint:
        raise InvalidInput(
            "this Idempotency-Key was already used for a different order; use a new key for a new order",
            field="Idempotency-Key",
            order_id=order.id,
        )
    return order, False


def _load_skus(session: Session, lines: list[tuple[int, int]]) -> dict[int, tuple[Sku, Product]]:
    rows = session.execute(
        select(Sku, Product)
        .join(Product, Product.id == Sku.product_id)
        .where(Sku.id.in_([s for s, _ in lines]))
    )
    found = {row[0].id: (row[0], row[1]) for row in rows}
    for i, (sku_id, _) in enumerate(lines):
        if sku_id not in found:
            raise InvalidInput(f"SKU {sku_id} does not exist", field=f"lines.{i}.sku_id", sku_id=sku_id)
        product = found[sku_id][1]
        if product.status != "active":
            raise Conflict(f"product {product.id} (SKU {sku_id}) is not on sale", sku_id=sku_id)
    shops = {product.shop_id for _, product in found.values()}
    if len(shops) > 1:
        by_shop = ", ".join(
            f"shop {shop}: SKUs {sorted(s for s, (_, p) in found.items() if p.shop_id == shop)}"
            for shop in sorted(shops)
        )
        raise InvalidInput(f"all lines of one order must come from one shop ({by_shop})", field="lines")
    return found


def _check_storefront(session: Session, customer: User, storefront_id: int, product_ids: set[int]) -> None:
    storefront = session.get(Storefront, storefront_id)
    if storefront is None:
        raise InvalidInput(f"storefront {storefront_id} does not exist", field="storefront_id")
    if storefront.buyer_id == customer.id:
        raise InvalidInput("you cannot order through your own storefront", field="storefront_id")
    listed = set(
        session.scalars(
            select(StorefrontItem.product_id).where(
                StorefrontItem.storefront_id == storefront_id, StorefrontItem.product_id.in_(product_ids)
            )
        )
    )
    if missing := sorted(product_ids - listed):
        raise InvalidInput(f"products {missing} are not on storefront {storefront_id}", field="storefront_id")


def _check_live_room(session: Session, live_room_id: int, product_ids: set[int]) -> None:
    room = session.get(LiveRoom, live_room_id)
    if room is None:
        raise InvalidInput(f"live room {live_room_id} does not exist", field="live_room_id")
    if room.status != "live":
        raise Conflict(f"live room {live_room_id} is {room.status}, not live", field="live_room_id")
    lineup = set(
        session.scalars(
            select(LiveRoomProduct.product_id).where(
                LiveRoomProduct.room_id == live_room_id, LiveRoomProduct.product_id.in_(product_ids)
            )
        )
    )
    if missing := sorted(product_ids - lineup):
        raise InvalidInput(
            f"products {missing} are not in live room {live_room_id}'s line-up", field="live_room_id"
        )


def _units_per_product(lines: Sequence[OrderLine]) -> dict[int, int]:
    units: dict[int, int] = {}
    for line in lines:
        units[line.product_id] = units.get(line.product_id, 0) + line.quantity
    return units


def _take_stock(session: Session, sku_id: int, quantity: int) -> None:
    taken = session.execute(
        update(Sku)
        .where(Sku.id == sku_id, Sku.stock >= quantity)
        .values(stock=Sku.stock - quantity)
        .execution_options(synchronize_session=False)
    )
    if _rowcount(taken) == 0:
        available = session.scalar(select(Sku.stock).where(Sku.id == sku_id)) or 0
        raise OutOfStock(
            f"SKU {sku_id} has only {available} left, {quantity} asked for",
            sku_id=sku_id,
            available=available,
            requested=quantity,
        )


def place_order(
    session: Session,
    customer: User,
    lines: Any,
    *,
    storefront_id: int | None = None,
    live_room_id: int | None = None,
    idempotency_key: str | None = None,
) -> tuple[Order, bool]:
    """Place an order and take its stock; returns (order, created). A retry with the same
    Idempotency-Key returns the first order with created=False and takes nothing again."""
    wanted = normalise_lines(lines)
    if storefront_id is not None:
        storefront_id = parse_id(storefront_id, "storefront_id")
    if live_room_id is not None:
        live_room_id = parse_id(live_room_id, "live_room_id")
    if storefront_id is not None and live_room_id is not None:
        raise InvalidInput(
            "an order comes through a storefront or a live room, not both", field="storefront_id"
        )
    key = clean_idempotency_key(idempotency_key)
    fingerprint = request_fingerprint(wanted, storefront_id, live_room_id)
    if key is not None and (earlier := _order_by_key(session, customer.id, key)) is not None:
        return _replay(earlier, fingerprint)

    found = _load_skus(session, wanted)
    product_ids = {found[sku_id][1].id for sku_id, _ in wanted}
    if storefront_id is not None:
        _check_storefront(session, customer, storefront_id, product_ids)
    if live_room_id is not None:
        _check_live_room(session, live_room_id, product_ids)

    order = Order(
        customer_id=customer.id,
        status="placed",
        total=sum((found[s][0].price * q for s, q in wanted), Decimal("0.00")),
        storefront_id=storefront_id,
        live_room_id=live_room_id,
        idempotency_key=key,
        request_fingerprint=fingerprint,
        lines=[
            OrderLine(sku_id=s, product_id=found[s][1].id, quantity=q, unit_price=found[s][0].price)
            for s, q in wanted
        ],
    )
    try:
        with session.begin_nested():
            session.add(order)
            # Insert first: on PostgreSQL a concurrent twin with the same key waits here on the
            # unique index and fails once the first commits, before it has taken any stock.
            session.flush()
            for sku_id, quantity in wanted:
                _take_stock(session, sku_id, quantity)
            for product_id, quantity in sorted(_units_per_product(order.lines).items()):
                session.execute(
                    update(Product)
                    .where(Product.id == product_id)
                    .values(sold_count=Product.sold_count + quantity)
                    .execution_options(synchronize_session=False)
                )
                record_event(
                    session,
                    customer.id,
                    "purchase",
                    "product",
                    product_id,
                    {
                        "order_id": order.id,
                        "quantity": quantity,
                        "storefront_id": storefront_id,
                        "live_room_id": live_room_id,
                    },
                )
            search_index.refresh_popularity(session, _units_per_product(order.lines))
            session.add(
                OrderStatusChange(
                    order_id=order.id, from_status=None, to_status="placed", changed_by=customer.id
                )
            )
            session.flush()
    except IntegrityError:
        stored = _order_by_key(session, customer.id, key) if key is not None else None
        if stored is None:
            raise
        return _replay(stored, fingerprint)
    for sku, _ in found.values():
        session.expire(sku, ["stock"])
    return order, True


# --- reading -------------------------------------------------------------------------------


def order_shop_id(session: Session, order: Order) -> int:
    """The shop an order buys from (every line is from one shop)."""
    product_id = order.lines[0].product_id
    return session.scalar(select(Product.shop_id).where(Product.id == product_id)) or 0


def _parties(session: Session, user: User, order: Order) -> set[str]:
    parties = set()
    if order.customer_id == user.id:
        parties.add("customer")
    shop = session.get(Shop, order_shop_id(session, order))
    if shop is not None and is_shop_manager(user, shop):
        parties.add("manager")
    return parties


def get_order(session: Session, user: User, order_id: int) -> Order:
    """An order its customer or its shop's manager may see; NotFound for anyone else."""
    order = None
    if 1 <= order_id <= MAX_ID:
        order = session.scalar(select(Order).where(Order.id == order_id).options(selectinload(Order.lines)))
    if order is None or not _parties(session, user, order):
        raise NotFound(f"order {order_id} does not exist")
    return order


def list_orders(
    session: Session,
    user: User,
    *,
    shop_id: int | None = None,
    status: str | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> tuple[list[Order], str | None]:
    """The user's own orders, or with `shop_id` the orders of a shop they manage; newest first."""
    stmt = select(Order).options(selectinload(Order.lines))
    if shop_id is None:
        stmt = stmt.where(Order.customer_id == user.id)
    else:
        shop = session.get(Shop, parse_id(shop_id, "shop_id"))
        if shop is None:
            raise NotFound(f"shop {shop_id} does not exist")
        if not is_shop_manager(user, shop):
            raise Forbidden(f"only the manager of shop {shop_id} may list its orders")
        stmt = stmt.where(
            Order.id.in_(
                select(OrderLine.order_id)
                .join(Product, Product.id == OrderLine.product_id)
                .where(Product.shop_id == shop_id)
            )
        )
    if status is not None:
        if status not in TRANSITION_TARGETS:
            raise InvalidInput(f"status must be one of {list(TRANSITION_TARGETS)}", field="status")
        stmt = stmt.where(Order.status == status)
    return page(session, stmt, Order.id, limit, cursor)


def order_history(session: Session, order_id: int) -> list[OrderStatusChange]:
    """Every status an order has been in, oldest first."""
    return list(
        session.scalars(
            select(OrderStatusChange)
            .where(OrderStatusChange.order_id == order_id)
            .order_by(OrderStatusChange.id)
        )
    )


def commission(session: Session, order: Order) -> dict[str, Any] | None:
    """What the buyer whose storefront brought this order earns from it, or None."""
    if order.storefront_id is None:
        return None
    storefront = session.get(Storefront, order.storefront_id)
    if storefront is None:
        return None
    earned = order.status in OPEN_OR_DONE
    amount = (
        (order.total * storefront.commission_rate).quantize(Decimal("0.01")) if earned else Decimal("0.00")
    )
    return {
        "storefront_id": storefront.id,
        "buyer_id": storefront.buyer_id,
        "rate": storefront.commission_rate,
        "amount": amount,
    }


# --- life cycle ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One action on an order: the status it leads to and, per party, the statuses it starts from."""

    to: str
    allowed: dict[str, frozenset[str]]
    restock_from: frozenset[str] = field(default_factory=frozenset)


TRANSITIONS = {
    "pay": Transition("paid", {"customer": frozenset({"placed"})}),
    "ship": Transition("shipped", {"manager": frozenset({"paid"})}),
    "deliver": Transition("delivered", {"manager": frozenset({"shipped"})}),
    "cancel": Transition(
        "cancelled",
        {"customer": frozenset({"placed", "paid"}), "manager": frozenset({"placed", "paid", "shipped"})},
        restock_from=frozenset({"placed", "paid", "shipped"}),
    ),
    "refund": Transition(
        "refunded",
        {"manager": frozenset({"paid", "shipped", "delivered"})},
        restock_from=frozenset({"paid", "shipped"}),
    ),
}
TRANSITION_TARGETS = ("placed", *(t.to for t in TRANSITIONS.values()))


def _restock(session: Session, order: Order) -> None:
    # Same lock order as placing (every SKU by id, then every product by id), so a cancel and
    # a placement touching the same rows can never deadlock on PostgreSQL.
    for line in sorted(order.lines, key=lambda line: line.sku_id):
        session.execute(
            update(Sku)
            .where(Sku.id == line.sku_id)
            .values(stock=Sku.stock + line.quantity)
            .execution_options(synchronize_session=False)
        )
    for product_id, quantity in sorted(_units_per_product(order.lines).items()):
        session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(sold_count=Product.sold_count - quantity)
            .execution_options(synchronize_session=False)
        )
    search_index.refresh_popularity(session, _units_per_product(order.lines))


def change_status(
    session: Session, user: User, order_id: int, action: str, payments: PaymentProvider | None = None
) -> Order:
    """Apply `action` (pay, ship, deliver, cancel, refund) to an order, if this user may now."""
    try:
        transition = TRANSITIONS[action]
    except KeyError:
        raise InvalidInput(f"unknown action {action!r}; choose from {sorted(TRANSITIONS)}") from None
    order = get_order(session, user, order_id)
    parties = _parties(session, user, order)
    if not parties & set(transition.allowed):
        raise Forbidden(f"only the {' or '.join(sorted(transition.allowed))} may {action} this order")
    starts = frozenset().union(*(transition.allowed.get(p, frozenset()) for p in parties))
    before = order.status
    if before not in starts:
        raise Conflict(
            f"cannot {action} an order that is {before}; you may {action} it when it is {sorted(starts)}",
            order_status=before,
        )
    if action == "pay":
        (payments or RecordedPayment()).charge(order)
    # Conditional on the status we checked, so two concurrent cancels restore stock only once.
    moved = session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == before)
        .values(status=transition.to, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if _rowcount(moved) == 0:
        raise Conflict(f"order {order.id} changed meanwhile; reload it and try again")
    if before in transition.restock_from:
        _restock(session, order)
    session.add(
        OrderStatusChange(order_id=order.id, from_status=before, to_status=transition.to, changed_by=user.id)
    )
    session.flush()
    # A delivery gives the customer's notes on these products the buyer-show badge and a refund
    # takes it away: the search index's copy of those notes (and of their products' buyer-show
    # counts) changes in the same transaction, as a note edit would.
    search_index.index_notes(session, refresh_verified_purchases(session, order.customer_id))
    session.refresh(order)
    return order
