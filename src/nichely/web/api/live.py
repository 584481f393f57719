"""Live rooms: schedule, go live, end, line-up and pin, chat, views and the show's metrics."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.live import service as live
from nichely.live.models import LiveChatMessage, LiveRoom
from nichely.web.api.products import ProductOut, product_out
from nichely.web.api.shops import users_by_id
from nichely.web.deps import CurrentUser, DbDep, ReadSession
from nichely.web.schemas import UserBrief, user_brief

router = APIRouter(prefix="/live-rooms", tags=["live"])


class RoomIn(BaseModel):
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=5000)
    scheduled_at: datetime
    shop_id: int | None = None
    product_ids: list[int] = Field(default_factory=list, max_length=live.MAX_LINEUP)


class LineupIn(BaseModel):
    product_ids: list[int] = Field(max_length=live.MAX_LINEUP)


class PinIn(BaseModel):
    product_id: int | None


class ChatIn(BaseModel):
    body: str = Field(max_length=2000)


class RoomOut(BaseModel):
    id: int
    host: UserBrief
    shop_id: int | None
    title: str
    description: str
    status: str
    scheduled_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    pinned_product_id: int | None


class MetricsOut(BaseModel):
    viewers: int
    chat_messages: int
    orders: int
    units: int
    gmv: Decimal
    buyers: int
    conversion: float


class RoomDetail(RoomOut):
    lineup: list[ProductOut]
    pinned_product: ProductOut | None
    metrics: MetricsOut


class RoomPage(BaseModel):
    items: list[RoomOut]
    next_cursor: str | None


class MessageOut(BaseModel):
    id: int
    author: UserBrief
    body: str
    created_at: datetime


class ChatPage(BaseModel):
    items: list[MessageOut]
    last_id: int | None = Field(description="Pass as ?after= to fetch only newer messages.")


def room_out(room: LiveRoom, host: User) -> RoomOut:
    """A room without its line-up."""
    return RoomOut(
        id=room.id,
        host=user_brief(host),
        shop_id=room.shop_id,
        title=room.title,
        description=room.description,
        status=room.status,
        scheduled_at=room.scheduled_at,
        started_at=room.started_at,
        ended_at=room.ended_at,
        pinned_product_id=room.pinned_product_id,
    )


def room_detail(session: Session, room: LiveRoom) -> RoomDetail:
    """A room with its line-up, its pinned product and its metrics so far."""
    host = session.get(User, room.host_id)
    assert host is not None
    products = [product_out(p) for p in live.lineup(session, room.id)]
    metrics = live.room_metrics(session, room.id)
    return RoomDetail(
        **room_out(room, host).model_dump(),
        lineup=products,
        pinned_product=next((p for p in products if p.id == room.pinned_product_id), None),
        metrics=MetricsOut(
            viewers=metrics.viewers,
            chat_messages=metrics.chat_messages,
            orders=metrics.orders,
            units=metrics.units,
            gmv=metrics.gmv,
            buyers=metrics.buyers,
            conversion=metrics.conversion,
        ),
    )


def message_out(message: LiveChatMessage, author: User) -> MessageOut:
    """A chat message with its author."""
    return MessageOut(
        id=message.id, author=user_brief(author), body=message.body, created_at=message.created_at
    )


@router.get("")
def list_rooms(
    session: ReadSession, status: str | None = None, limit: int = 20, cursor: str | None = None
) -> RoomPage:
    """Live rooms, newest first; filter by status (scheduled, live, ended)."""
    rooms, next_cursor = live.list_rooms(session, status=status, limit=limit, cursor=cursor)
    hosts = users_by_id(session, (r.host_id for r in rooms))
    return RoomPage(items=[room_out(r, hosts[r.host_id]) for r in rooms], next_cursor=next_cursor)


@router.post("", status_code=201)
def create_room(body: RoomIn, user: CurrentUser, db: DbDep) -> RoomDetail:
    """Schedule a room you host (manager or creator role)."""
    with db.write() as session:
        room = live.create_room(
            session,
            user,
            title=body.title,
            description=body.description,
            scheduled_at=body.scheduled_at,
            shop_id=body.shop_id,
            product_ids=body.product_ids,
        )
        return room_detail(session, room)


@router.get("/{room_id}")
def get_room(room_id: int, session: ReadSession) -> RoomDetail:
    """One room with its line-up, pinned product and metrics."""
    return room_detail(session, live.require_room(session, room_id))


@router.post("/{room_id}/start")
def start_room(room_id: int, user: CurrentUser, db: DbDep) -> RoomDetail:
    """Go live (host only; the room must be scheduled)."""
    with db.write() as session:
        return room_detail(session, live.start_room(session, user, room_id))


@router.post("/{room_id}/end")
def end_room(room_id: int, user: CurrentUser, db: DbDep) -> RoomDetail:
    """End the show (host only; the room must be live)."""
    with db.write() as session:
        return room_detail(session, live.end_room(session, user, room_id))


@router.put("/{room_id}/lineup")
def set_lineup(room_id: int, body: LineupIn, user: CurrentUser, db: DbDep) -> RoomDetail:
    """Replace the line-up (host only)."""
    with db.write() as session:
        live.set_lineup(session, user, room_id, body.product_ids)
        return room_detail(session, live.require_room(session, room_id))


@router.post("/{room_id}/pin")
def pin_product(room_id: int, body: PinIn, user: CurrentUser, db: DbDep) -> RoomDetail:
    """Pin a line-up product on screen, or unpin with null (host only)."""
    with db.write() as session:
        return room_detail(session, live.pin_product(session, user, room_id, body.product_id))


@router.get("/{room_id}/chat")
def list_chat(room_id: int, session: ReadSession, after: int | None = None, limit: int = 100) -> ChatPage:
    """Chat messages oldest first; poll with ?after=<last_id> for new ones."""
    rows = live.list_chat(session, room_id, after=after, limit=limit)
    return ChatPage(items=[message_out(m, a) for m, a in rows], last_id=rows[-1][0].id if rows else after)


@router.post("/{room_id}/chat", status_code=201)
def post_chat(room_id: int, body: ChatIn, user: CurrentUser, db: DbDep) -> MessageOut:
    """Say something while the room is live (1-500 characters)."""
    with db.write() as session:
        return message_out(live.post_chat(session, user, room_id, body.body), user)


@router.post("/{room_id}/view", status_code=204)
def record_view(room_id: int, user: CurrentUser, db: DbDep) -> None:
    """Count yourself as a viewer of this room."""
    with db.write() as session:
        live.record_view(session, user, room_id)
