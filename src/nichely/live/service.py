"""Rules for live rooms: scheduling, going live and ending, the line-up, pinning, chat, views, metrics.

A room only moves forward: scheduled -> live -> ended. Only its host changes it; anyone
logged in may chat while it is live.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, Result, delete, distinct, func, select, update
from sqlalchemy.orm import Session, selectinload

from nichely.accounts.models import User
from nichely.activity.models import Event
from nichely.activity.service import record_event
from nichely.catalog.models import Product, Shop
from nichely.catalog.service import MAX_ID, clean_text, is_shop_manager, parse_id
from nichely.commerce.models import Order, OrderLine
from nichely.commerce.service import OPEN_OR_DONE
from nichely.errors import Conflict, Forbidden, InvalidInput, NotFound
from nichely.live.models import ROOM_STATUSES, LiveChatMessage, LiveRoom, LiveRoomProduct
from nichely.storage.base import as_naive_utc, utcnow
from nichely.storage.pagination import page

MAX_LINEUP = 100
MAX_CHAT = 500
CHAT_PAGE = 100
# Each move names the status it leaves and the timestamp it stamps.
MOVES = {"start": ("scheduled", "live", "started_at"), "end": ("live", "ended", "ended_at")}


def _rowcount(result: Result[Any]) -> int:
    return cast(CursorResult[Any], result).rowcount


def naive_utc(value: datetime, field: str = "scheduled_at") -> datetime:
    """A timestamp as naive UTC, the form both stores keep (naive input is taken as UTC).

    A time whose UTC falls outside years 1-9999 is refused as input, not left to overflow."""
    try:
        return as_naive_utc(value)
    except OverflowError:
        raise InvalidInput(f"{field} must be a date and time", field=field) from None


def get_room(session: Session, room_id: int) -> LiveRoom | None:
    """The live room with this id, or None."""
    return session.get(LiveRoom, room_id) if 1 <= room_id <= MAX_ID else None


def require_room(session: Session, room_id: int) -> LiveRoom:
    """The live room with this id; NotFound otherwise."""
    room = get_room(session, room_id)
    if room is None:
        raise NotFound(f"live room {room_id} does not exist")
    return room


def _require_host(user: User, room: LiveRoom) -> None:
    if room.host_id != user.id:
        raise Forbidden(f"only the host of live room {room.id} may do this")


def _clean_lineup(session: Session, product_ids: Any, shop_id: int | None) -> list[int]:
    if product_ids is None:
        return []
    if not isinstance(product_ids, Sequence) or isinstance(product_ids, str):
        raise InvalidInput("product_ids must be a list of product ids", field="product_ids")
    if len(product_ids) > MAX_LINEUP:
        raise InvalidInput(f"a line-up may hold at most {MAX_LINEUP} products", field="product_ids")
    ids = [parse_id(pid, f"product_ids.{i}") for i, pid in enumerate(product_ids)]
    if len(set(ids)) != len(ids):
        raise InvalidInput("a product appears twice in the line-up", field="product_ids")
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
    for i, pid in enumerate(ids):
        product = products.get(pid)
        if product is None or product.status != "active":
            raise InvalidInput(f"product {pid} does not exist", field=f"product_ids.{i}")
        if shop_id is not None and product.shop_id != shop_id:
            raise InvalidInput(f"product {pid} is not from shop {shop_id}", field=f"product_ids.{i}")
    return ids


def _write_lineup(session: Session, room: LiveRoom, ids: list[int]) -> None:
    session.execute(delete(LiveRoomProduct).where(LiveRoomProduct.room_id == room.id))
    session.add_all(LiveRoomProduct(room_id=room.id, product_id=pid, position=i) for i, pid in enumerate(ids))
    if room.pinned_product_id is not None and room.pinned_product_id not in ids:
        room.pinned_product_id = None
    session.flush()


def create_room(
    session: Session,
    user: User,
    *,
    title: str,
    scheduled_at: datetime,
    description: str = "",
    shop_id: int | None = None,
    product_ids: Sequence[int] | None = None,
) -> LiveRoom:
    """Schedule a live room hosted by `user` (a manager or a creator).

    With `shop_id` the host must manage that shop and the line-up comes from it; without,
    a creator may feature any shop's products.
    """
    if not (user.has_role("manager") or user.has_role("creator")):
        raise Forbidden("only managers and creators may host live rooms")
    title = clean_text(title, "title", 200, required=True)
    description = clean_text(description, "description", 5000)
    if not isinstance(scheduled_at, datetime):
        raise InvalidInput("scheduled_at must be a date and time", field="scheduled_at")
    if shop_id is not None:
        shop = session.get(Shop, parse_id(shop_id, "shop_id"))
        if shop is None:
            raise InvalidInput(f"shop {shop_id} does not exist", field="shop_id")
        if not is_shop_manager(user, shop):
            raise Forbidden(f"only the manager of shop {shop_id} may host a room for it")
    ids = _clean_lineup(session, product_ids, shop_id)
    room = LiveRoom(
        host_id=user.id,
        shop_id=shop_id,
        title=title,
        description=description,
        scheduled_at=naive_utc(scheduled_at),
        status="scheduled",
    )
    session.add(room)
    session.flush()
    _write_lineup(session, room, ids)
    return room


def list_rooms(
    session: Session, *, status: str | None = None, limit: int = 20, cursor: str | None = None
) -> tuple[list[LiveRoom], str | None]:
    """Live rooms, newest first, optionally only those in one status."""
    stmt = select(LiveRoom)
    if status is not None:
        if status not in ROOM_STATUSES:
            raise InvalidInput(f"status must be one of {list(ROOM_STATUSES)}", field="status")
        stmt = stmt.where(LiveRoom.status == status)
    return page(session, stmt, LiveRoom.id, limit, cursor)


def move_room(session: Session, user: User, room_id: int, move: str) -> LiveRoom:
    """Start (scheduled -> live) or end (live -> ended) a room; host only, nothing else."""
    try:
        leaves, enters, stamp = MOVES[move]
    except KeyError:
        raise InvalidInput(f"unknown move {move!r}; choose from {sorted(MOVES)}") from None
    room = require_room(session, room_id)
    _require_host(user, room)
    moved = session.execute(
        update(LiveRoom)
        .where(LiveRoom.id == room.id, LiveRoom.status == leaves)
        .values({"status": enters, stamp: utcnow()})
        .execution_options(synchronize_session=False)
    )
    if _rowcount(moved) == 0:
        session.refresh(room)
        raise Conflict(
            f"cannot {move} a room that is {room.status}; it must be {leaves}", room_status=room.status
        )
    session.refresh(room)
    return room


def start_room(session: Session, user: User, room_id: int) -> LiveRoom:
    """Go live; only a scheduled room may start."""
    return move_room(session, user, room_id, "start")


def end_room(session: Session, user: User, room_id: int) -> LiveRoom:
    """End the show; only a live room may end."""
    return move_room(session, user, room_id, "end")


def lineup(session: Session, room_id: int) -> list[Product]:
    """The room's products in line-up order, with their SKUs."""
    return list(
        session.scalars(
            select(Product)
            .join(LiveRoomProduct, LiveRoomProduct.product_id == Product.id)
            .where(LiveRoomProduct.room_id == room_id)
            .options(selectinload(Product.skus))
            .order_by(LiveRoomProduct.position)
        )
    )


def set_lineup(session: Session, user: User, room_id: int, product_ids: Sequence[int]) -> list[Product]:
    """Replace the line-up (host only, not after the room ended); unpins a product left out."""
    room = require_room(session, room_id)
    _require_host(user, room)
    if room.status == "ended":
        raise Conflict(f"live room {room.id} has ended; its line-up is final")
    _write_lineup(session, room, _clean_lineup(session, product_ids, room.shop_id))
    return lineup(session, room.id)


def pin_product(session: Session, user: User, room_id: int, product_id: int | None) -> LiveRoom:
    """Pin a line-up product on screen, or unpin with None; host only, not after the room ended."""
    room = require_room(session, room_id)
    _require_host(user, room)
    if room.status == "ended":
        raise Conflict(f"live room {room.id} has ended")
    if product_id is not None:
        product_id = parse_id(product_id, "product_id")
        if session.get(LiveRoomProduct, (room.id, product_id)) is None:
            raise InvalidInput(f"product {product_id} is not in this room's line-up", field="product_id")
    room.pinned_product_id = product_id
    session.flush()
    return room


def post_chat(session: Session, user: User, room_id: int, body: str) -> LiveChatMessage:
    """Say something in a live room's chat (1-500 characters, only while it is live)."""
    room = require_room(session, room_id)
    if room.status != "live":
        raise Conflict(f"live room {room.id} is {room.status}; chat is open only while it is live")
    body = clean_text(body, "body", MAX_CHAT, required=True)
    message = LiveChatMessage(room_id=room.id, author_id=user.id, body=body)
    session.add(message)
    session.flush()
    return message


def list_chat(
    session: Session, room_id: int, *, after: int | None = None, limit: int = CHAT_PAGE
) -> list[tuple[LiveChatMessage, User]]:
    """Chat messages after id `after` (all from the start without it), oldest first, with authors."""
    require_room(session, room_id)
    if not 1 <= limit <= CHAT_PAGE:
        raise InvalidInput(f"limit must be between 1 and {CHAT_PAGE}", field="limit")
    stmt = (
        select(LiveChatMessage, User)
        .join(User, User.id == LiveChatMessage.author_id)
        .where(LiveChatMessage.room_id == room_id)
    )
    if after is not None:
        if not 0 <= after <= MAX_ID:
            raise InvalidInput("after must be a message id", field="after")
        stmt = stmt.where(LiveChatMessage.id > after)
    rows = session.execute(stmt.order_by(LiveChatMessage.id).limit(limit))
    return [(row[0], row[1]) for row in rows]


def latest_chat(session: Session, room_id: int, limit: int = CHAT_PAGE) -> list[tuple[LiveChatMessage, User]]:
    """The newest `limit` chat messages, oldest first, with authors: what a viewer sees on arrival."""
    require_room(session, room_id)
    if not 1 <= limit <= CHAT_PAGE:
        raise InvalidInput(f"limit must be between 1 and {CHAT_PAGE}", field="limit")
    rows = session.execute(
        select(LiveChatMessage, User)
        .join(User, User.id == LiveChatMessage.author_id)
        .where(LiveChatMessage.room_id == room_id)
        .order_by(LiveChatMessage.id.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in rows][::-1]


def record_view(session: Session, user: User, room_id: int) -> None:
    """Note that `user` watched this room (any status: replays count as views)."""
    room = require_room(session, room_id)
    record_event(session, user.id, "view", "live_room", room.id)
    session.flush()


@dataclass(frozen=True)
class RoomMetrics:
    """How a show did: its audience, its chat, and what it sold."""

    viewers: int
    chat_messages: int
    orders: int
    units: int
    gmv: Decimal
    buyers: int

    @property
    def conversion(self) -> float:
        """Buyers per viewer (0 with no viewers)."""
        return round(self.buyers / self.viewers, 4) if self.viewers else 0.0


def room_metrics(session: Session, room_id: int) -> RoomMetrics:
    """Distinct viewers, chat volume, and the orders, units and GMV placed through the room.

    Cancelled and refunded orders are left out: they are not sales.
    """
    viewers = session.scalar(
        select(func.count(distinct(Event.user_id))).where(
            Event.kind == "view",
            Event.target_type == "live_room",
            Event.target_id == room_id,
            Event.user_id.is_not(None),
        )
    )
    chat = session.scalar(select(func.count()).where(LiveChatMessage.room_id == room_id))
    sold = select(Order).where(Order.live_room_id == room_id, Order.status.in_(OPEN_OR_DONE)).subquery()
    orders, gmv, buyers = session.execute(
        select(
            func.count(), func.coalesce(func.sum(sold.c.total), 0), func.count(distinct(sold.c.customer_id))
        )
    ).one()
    units = session.scalar(
        select(func.coalesce(func.sum(OrderLine.quantity), 0)).where(
            OrderLine.order_id.in_(select(sold.c.id))
        )
    )
    return RoomMetrics(
        viewers=viewers or 0,
        chat_messages=chat or 0,
        orders=orders or 0,
        units=int(units or 0),
        gmv=Decimal(str(gmv or 0)).quantize(Decimal("0.01")),
        buyers=buyers or 0,
    )
