"""Live rooms: scheduling one, the line-up with the pinned product, chat and metrics polled by htmx,
buying through the room, and the host's controls (start, end, pin, line-up)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from nichely.accounts import service as accounts
from nichely.accounts.models import User
from nichely.catalog import repo as catalog_repo
from nichely.catalog import service as catalog
from nichely.catalog.models import Product
from nichely.errors import InvalidInput, NichelyError
from nichely.live import service as live
from nichely.live.models import LiveRoom
from nichely.web.deps import DbDep
from nichely.web.i18n import N_
from nichely.web.pages.cards import product_cards
from nichely.web.pages.forms import FormDep, message, optional_id, text, texts
from nichely.web.pages.rendering import Page, PageDep

router = APIRouter()
ROOMS_SHOWN = 24
# Enough of each shop's products to pick a line-up from (the line-up itself holds at most 100).
SHOP_PRODUCTS_OFFERED = live.MAX_LINEUP
BAD_TIME = N_("Enter when the show starts as a date and a time.")
MESSAGES = [
    N_("only managers and creators may host live rooms"),
    N_("scheduled_at must be a date and time"),
]


def may_host(user: User | None) -> bool:
    """Whether the live rules let this person host a room at all (managers and creators)."""
    return user is not None and (user.has_role("manager") or user.has_role("creator"))


def parse_when(value: str) -> datetime:
    """A `datetime-local` form value (`2026-05-01T19:30`), taken as UTC like every stored time."""
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(BAD_TIME, field="scheduled_at") from None


# -- the list and the room ---------------------------------------------------------------------


@router.get("/live")
def rooms_page(page: PageDep, db: DbDep) -> Response:
    with db.read() as session:
        on_air, _ = live.list_rooms(session, status="live", limit=ROOMS_SHOWN)
        coming, _ = live.list_rooms(session, status="scheduled", limit=ROOMS_SHOWN)
        hosts = {r.host_id: accounts.get_user(session, r.host_id) for r in [*on_air, *coming]}
        return page.render(
            "live_rooms.html", on_air=on_air, coming=coming, hosts=hosts, may_host=may_host(page.user)
        )


def _shop_offers(session: Session, user: User, shop_id: int | None) -> list[tuple[Any, list[Product]]]:
    """The shops a host may pick a line-up from, each with its products on sale."""
    shops = catalog_repo.shops_of(session, user.id)
    if shop_id is not None:
        shops = [s for s in shops if s.id == shop_id]
    return [
        (shop, catalog.list_products(session, shop_id=shop.id, limit=SHOP_PRODUCTS_OFFERED)[0])
        for shop in shops
    ]


def _products(session: Session, ids: list[int]) -> list[Product]:
    """Products by id in the given order (unknown ids dropped), for re-showing a picked line-up."""
    if not ids:
        return []
    found = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def _picked_ids(data: Any) -> list[int]:
    ids: list[int] = []
    for raw in texts(data, "product_ids"):
        pid = optional_id(raw, "product_ids")
        if pid is not None and pid not in ids:
            ids.append(pid)
    return ids


def _offered_ids(offers: list[tuple[Any, list[Product]]]) -> set[int]:
    return {p.id for _, products in offers for p in products}


def _render_new(
    page: Page, session: Session, user: User, form: dict[str, Any], error: str | None, status: int = 200
) -> Response:
    offers = _shop_offers(session, user, None)
    # Products picked with the finder (creators may feature any shop's products) stay on the form.
    extra = [p for p in _products(session, form["product_ids"]) if p.id not in _offered_ids(offers)]
    return page.render(
        "live_form.html",
        status=status,
        form=form,
        offers=offers,
        picked=extra,
        is_creator=user.has_role("creator"),
        error=error,
    )


@router.get("/live/new")
def new_room_form(page: PageDep, db: DbDep) -> Response:
    """The form to schedule a live show (managers and creators)."""
    user = page.require_user()
    with db.read() as session:
        shops = catalog_repo.shops_of(session, user.id)
        form = {
            "title": "",
            "description": "",
            "scheduled_at": "",
            "shop_id": str(shops[0].id) if shops and not user.has_role("creator") else "",
            "product_ids": [],
        }
        return _render_new(page, session, user, form, None if may_host(user) else _not_a_host(page))


def _not_a_host(page: Page) -> str:
    return page.gettext(N_("Only managers and creators may host live shows."))


@router.post("/live/new")
def create_room(page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    form: dict[str, Any] = {
        "title": text(data, "title"),
        "description": text(data, "description"),
        "scheduled_at": text(data, "scheduled_at"),
        "shop_id": text(data, "shop_id"),
        "product_ids": [],
    }
    try:
        form["product_ids"] = _picked_ids(data)
        with db.write() as session:
            room = live.create_room(
                session,
                user,
                title=form["title"],
                description=form["description"],
                scheduled_at=parse_when(form["scheduled_at"]),
                shop_id=optional_id(form["shop_id"], "shop_id"),
                product_ids=form["product_ids"],
            )
            room_id = room.id
    except NichelyError as exc:
        with db.read() as session:
            return _render_new(page, session, user, form, message(page.gettext, exc), status=exc.status)
    return page.redirect(f"/live/{room_id}")


def _room_context(session: Session, page: Page, room: LiveRoom) -> dict[str, Any]:
    host = accounts.require_user(session, room.host_id)
    products = live.lineup(session, room.id)
    pinned = next((p for p in products if p.id == room.pinned_product_id), None)
    chat = live.latest_chat(session, room.id, limit=live.CHAT_PAGE)
    return {
        "room": room,
        "host": host,
        "author": host,
        "following": page.user is not None and accounts.is_following(session, page.user.id, host.id),
        "cards": product_cards(products),
        "pinned": pinned,
        "chat": chat,
        "last_id": chat[-1][0].id if chat else 0,
        "metrics": live.room_metrics(session, room.id),
        "is_host": page.user is not None and page.user.id == room.host_id,
        "error": None,
    }


@router.get("/live/{room_id}")
def room_page(room_id: int, page: PageDep, db: DbDep) -> Response:
    if page.user is not None:
        # Count the visit first, so the viewer is among the viewers the page shows.
        with db.write() as session:
            live.record_view(session, page.user, room_id)
    with db.read() as session:
        room = live.require_room(session, room_id)
        return page.render("live_room.html", **_room_context(session, page, room))


@router.get("/live/{room_id}/chat")
def chat_since(room_id: int, page: PageDep, db: DbDep, after: int = 0) -> Response:
    """Messages after `after` and the next poller (an htmx fragment polled every 2 seconds)."""
    with db.read() as session:
        room = live.require_room(session, room_id)
        chat = live.list_chat(session, room.id, after=after, limit=live.CHAT_PAGE)
        return page.render(
            "_chat_update.html", room=room, chat=chat, last_id=chat[-1][0].id if chat else after
        )


@router.get("/live/{room_id}/pinned")
def pinned_now(room_id: int, page: PageDep, db: DbDep, shown: int = 0, status: str = "") -> Response:
    """The pinned product for viewers' pages, polled by htmx.

    Nothing is swapped while the page already shows what is pinned (204), so a viewer choosing
    an option is not interrupted; when the room went live or ended the page reloads as a whole.
    """
    with db.read() as session:
        room = live.require_room(session, room_id)
        if status and status != room.status:
            return page.finish(Response(status_code=204, headers={"HX-Refresh": "true"}))
        if (room.pinned_product_id or 0) == shown:
            return page.finish(Response(status_code=204))
        pinned = catalog.get_product(session, room.pinned_product_id) if room.pinned_product_id else None
        return page.render("_live_pinned.html", room=room, pinned=pinned)


@router.get("/live/{room_id}/metrics")
def metrics_now(room_id: int, page: PageDep, db: DbDep) -> Response:
    """Viewers, orders and sales so far (an htmx fragment polled while the room is not over)."""
    with db.read() as session:
        room = live.require_room(session, room_id)
        return page.render("_live_metrics.html", room=room, metrics=live.room_metrics(session, room.id))


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


# -- host controls -----------------------------------------------------------------------------


def _lineup_offers(session: Session, user: User, room: LiveRoom) -> list[tuple[Any, list[Product]]]:
    return _shop_offers(session, user, room.shop_id)


def _render_lineup(
    page: Page,
    session: Session,
    user: User,
    room: LiveRoom,
    ids: list[int],
    error: str | None,
    status: int = 200,
) -> Response:
    offers = _lineup_offers(session, user, room)
    extra = [p for p in _products(session, ids) if p.id not in _offered_ids(offers)]
    return page.render(
        "live_lineup.html",
        status=status,
        room=room,
        offers=offers,
        picked=extra,
        chosen=set(ids),
        finder=room.shop_id is None,
        error=error,
    )


@router.get("/live/{room_id}/lineup")
def lineup_form(room_id: int, page: PageDep, db: DbDep) -> Response:
    """The host's form to change the line-up (products of the room's shop, or any with the finder)."""
    user = page.require_user()
    with db.read() as session:
        room = live.require_room(session, room_id)
        if room.host_id != user.id:
            return page.redirect(f"/live/{room.id}")
        ids = [p.id for p in live.lineup(session, room.id)]
        return _render_lineup(page, session, user, room, ids, None)


@router.post("/live/{room_id}/lineup")
def change_lineup(room_id: int, page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    ids: list[int] = []
    try:
        ids = _picked_ids(data)
        with db.write() as session:
            live.set_lineup(session, user, room_id, ids)
    except NichelyError as exc:
        if exc.status in (403, 404):
            raise
        with db.read() as session:
            room = live.require_room(session, room_id)
            return _render_lineup(page, session, user, room, ids, message(page.gettext, exc), exc.status)
    return page.redirect(f"/live/{room_id}")


@router.post("/live/{room_id}/{move}")
def host_control(room_id: int, move: str, page: PageDep, db: DbDep, data: FormDep) -> Response:
    """Start, end, or pin (`product_id`, empty to unpin): the live rules decide who may."""
    user = page.require_user()
    try:
        with db.write() as session:
            if move == "pin":
                live.pin_product(session, user, room_id, optional_id(text(data, "product_id"), "product_id"))
            else:
                live.move_room(session, user, room_id, move)
    except NichelyError as exc:
        if exc.status in (403, 404):
            raise
        # A double click on "Go live", or a pin after the show ended: say why on the room's page.
        with db.read() as session:
            room = live.require_room(session, room_id)
            context = _room_context(session, page, room)
            context["error"] = message(page.gettext, exc)
            return page.render("live_room.html", status=exc.status, **context)
    return page.redirect(f"/live/{room_id}")
