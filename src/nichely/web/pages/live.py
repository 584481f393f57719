"""Live rooms: the line-up with the pinned product, chat polled by htmx, buying, host controls."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from nichely.accounts import service as accounts
from nichely.errors import NichelyError
from nichely.live import service as live
from nichely.web.deps import DbDep
from nichely.web.pages.cards import product_cards
from nichely.web.pages.forms import FormDep, message, optional_id, text
from nichely.web.pages.rendering import PageDep

router = APIRouter()
ROOMS_SHOWN = 24


@router.get("/live")
def rooms_page(page: PageDep, db: DbDep) -> Response:
    with db.read() as session:
        on_air, _ = live.list_rooms(session, status="live", limit=ROOMS_SHOWN)
        coming, _ = live.list_rooms(session, status="scheduled", limit=ROOMS_SHOWN)
        hosts = {r.host_id: accounts.get_user(session, r.host_id) for r in [*on_air, *coming]}
        return page.render("live_rooms.html", on_air=on_air, coming=coming, hosts=hosts)


@router.get("/live/{room_id}")
def room_page(room_id: int, page: PageDep, db: DbDep) -> Response:
    with db.read() as session:
        room = live.require_room(session, room_id)
        host = accounts.require_user(session, room.host_id)
        products = live.lineup(session, room.id)
        pinned = next((p for p in products if p.id == room.pinned_product_id), None)
        chat = live.list_chat(session, room.id, limit=live.CHAT_PAGE)
        response = page.render(
            "live_room.html",
            room=room,
            host=host,
            author=host,
            following=page.user is not None and accounts.is_following(session, page.user.id, host.id),
            cards=product_cards(products),
            pinned=pinned,
            chat=chat,
            last_id=chat[-1][0].id if chat else 0,
            is_host=page.user is not None and page.user.id == room.host_id,
            error=None,
        )
    if page.user is not None:
        with db.write() as session:
            live.record_view(session, page.user, room_id)
    return response


@router.get("/live/{room_id}/chat")
def chat_since(room_id: int, page: PageDep, db: DbDep, after: int = 0) -> Response:
    """Messages after `after` and the next poller (an htmx fragment polled every 2 seconds)."""
    with db.read() as session:
        room = live.require_room(session, room_id)
        chat = live.list_chat(session, room.id, after=after, limit=live.CHAT_PAGE)
        return page.render(
            "_chat_update.html", room=room, chat=chat, last_id=chat[-1][0].id if chat else after
        )


@router.post("/live/{room_id}/chat")
def post_chat(room_id: int, page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    error = None
    try:
        with db.write() as session:
            live.post_chat(session, user, room_id, text(data, "body"))
    except NichelyError as exc:
        if exc.status == 404:
            raise
        error = message(page.gettext, exc)
    if page.is_htmx:
        # The message itself arrives with the next poll; the form comes back empty (or with the error).
        return page.render("_chat_form.html", room_id=room_id, error=error, status=422 if error else 200)
    return page.redirect(f"/live/{room_id}")


@router.post("/live/{room_id}/{move}")
def host_control(room_id: int, move: str, page: PageDep, db: DbDep, data: FormDep) -> Response:
    """Start, end, or pin (`product_id`, empty to unpin): the live rules decide who may."""
    user = page.require_user()
    with db.write() as session:
        if move == "pin":
            live.pin_product(session, user, room_id, optional_id(text(data, "product_id"), "product_id"))
        else:
            live.move_room(session, user, room_id, move)
    return page.redirect(f"/live/{room_id}")
