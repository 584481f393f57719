"""A shop's page (the manager is the brand), opening a shop, and a buyer's storefront."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from nichely.accounts import service as accounts
from nichely.accounts.models import User
from nichely.catalog import repo as catalog_repo
from nichely.catalog import service as catalog
from nichely.catalog.models import Product, Storefront
from nichely.errors import Forbidden, NichelyError
from nichely.search import picker
from nichely.web.deps import DbDep
from nichely.web.i18n import N_
from nichely.web.pages.cards import product_card, product_cards
from nichely.web.pages.forms import FormDep, message, optional_id, text, texts
from nichely.web.pages.rendering import Page, PageDep

router = APIRouter()
SHOP_PRODUCTS = 48
FINDER_RESULTS = 8
MESSAGES = [
    N_("only users with the buyer role may open a storefront"),
    N_("you already have a storefront"),
    N_("only the owner of this storefront may change it"),
]


@router.get("/shops/new")
def new_shop_form(page: PageDep) -> Response:
    page.require_user()
    return page.render("shop_form.html", form={"name": "", "description": ""}, error=None)


@router.post("/shops/new")
def create_shop(page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    form = {"name": text(data, "name"), "description": text(data, "description")}
    try:
        with db.write() as session:
            shop_id = catalog.create_shop(
                session, user, name=form["name"], description=form["description"]
            ).id
    except NichelyError as exc:
        return page.render("shop_form.html", status=exc.status, form=form, error=message(page.gettext, exc))
    return page.redirect(f"/shops/{shop_id}")


@router.get("/shops/{shop_id}")
def shop_page(shop_id: int, page: PageDep, db: DbDep, cursor: str | None = None) -> Response:
    with db.read() as session:
        shop = catalog.require_shop(session, shop_id)
        manager = accounts.require_user(session, shop.manager_id)
        products, next_cursor = catalog.list_products(
            session, shop_id=shop.id, limit=SHOP_PRODUCTS, cursor=cursor
        )
        following = page.user is not None and accounts.is_following(session, page.user.id, manager.id)
        return page.render(
            "shop.html",
            shop=shop,
            manager=manager,
            author=manager,
            following=following,
            cards=product_cards(products),
            next_cursor=next_cursor,
            is_manager=catalog.is_shop_manager(page.user, shop),
        )


# -- storefronts: a buyer's curated shelf -------------------------------------------------------


@router.get("/storefronts/new")
def new_storefront_form(page: PageDep, db: DbDep) -> Response:
    user = page.require_user()
    with db.read() as session:
        mine = catalog_repo.storefront_of(session, user.id)
    if mine is not None:
        return page.redirect(f"/storefronts/{mine.id}/edit")
    error = None if user.has_role("buyer") else page.gettext(MESSAGES[0])
    return page.render("storefront_new.html", form={"title": "", "description": ""}, error=error)


@router.post("/storefronts/new")
def create_storefront(page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    form = {"title": text(data, "title"), "description": text(data, "description")}
    try:
        with db.write() as session:
            storefront_id = catalog.create_storefront(
                session, user, title=form["title"], description=form["description"]
            ).id
    except NichelyError as exc:
        return page.render(
            "storefront_new.html", status=exc.status, form=form, error=message(page.gettext, exc)
        )
    return page.redirect(f"/storefronts/{storefront_id}/edit")


def _owned_storefront(session: Session, user: User, storefront_id: int) -> Storefront:
    storefront = catalog.require_storefront(session, storefront_id)
    if storefront.buyer_id != user.id:
        raise Forbidden("only the owner of this storefront may change it")
    return storefront


def _find_products(session: Session, q: str) -> list[Product]:
    return picker.find_products(session, q, limit=FINDER_RESULTS)


def _render_editor(
    page: Page,
    session: Session,
    storefront: Storefront,
    form: dict[str, Any],
    items: list[tuple[Product, str]],
    *,
    q: str = "",
    error: str | None = None,
    status: int = 200,
) -> Response:
    shelved = {p.id for p, _ in items}
    return page.render(
        "storefront_edit.html",
        status=status,
        storefront=storefront,
        form=form,
        items=items,
        q=q,
        found=[p for p in _find_products(session, q) if p.id not in shelved],
        error=error,
    )


@router.get("/storefronts/{storefront_id}/edit")
def edit_storefront_form(storefront_id: int, page: PageDep, db: DbDep, q: str = "") -> Response:
    """The owner's editor: title, description, and the shelf (each product with a short pitch).

    `?q=` lists products to add without JavaScript; with it, the finder fills in the same list.
    """
    user = page.require_user()
    with db.read() as session:
        storefront = _owned_storefront(session, user, storefront_id)
        form = {"title": storefront.title, "description": storefront.description}
        items = [(product, item.pitch) for item, product in catalog.storefront_items(session, storefront.id)]
        return _render_editor(page, session, storefront, form, items, q=q)


@router.get("/storefronts/{storefront_id}/edit/products")
def storefront_finder(storefront_id: int, page: PageDep, db: DbDep, q: str = "") -> Response:
    """Products matching the owner's words, as rows to tick onto the shelf (an htmx fragment)."""
    user = page.require_user()
    with db.read() as session:
        _owned_storefront(session, user, storefront_id)
        return page.render("_shelf_finder.html", found=_find_products(session, q), q=q)


def _submitted_items(data: FormData) -> list[tuple[int, str]]:
    """The ticked product ids in the order sent, each with its pitch."""
    items: list[tuple[int, str]] = []
    for raw in texts(data, "product_ids"):
        pid = optional_id(raw, "product_ids")
        if pid is not None and pid not in {p for p, _ in items}:
            items.append((pid, text(data, f"pitch_{pid}")))
    return items


def _with_products(session: Session, items: list[tuple[int, str]]) -> list[tuple[Product, str]]:
    """The submitted items as (product, pitch) for showing the form again (unknown ids dropped)."""
    ids = [pid for pid, _ in items]
    found = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))} if ids else {}
    return [(found[pid], pitch) for pid, pitch in items if pid in found]


@router.post("/storefronts/{storefront_id}/edit")
def save_storefront(storefront_id: int, page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    form = {"title": text(data, "title"), "description": text(data, "description")}
    items: list[tuple[int, str]] = []
    try:
        items = _submitted_items(data)
        with db.write() as session:
            _owned_storefront(session, user, storefront_id)
            catalog.update_storefront(
                session, user, storefront_id, title=form["title"], description=form["description"]
            )
            catalog.set_storefront_items(
                session, user, storefront_id, [{"product_id": pid, "pitch": pitch} for pid, pitch in items]
            )
    except NichelyError as exc:
        if exc.status in (403, 404):
            raise
        with db.read() as session:
            storefront = catalog.require_storefront(session, storefront_id)
            return _render_editor(
                page,
                session,
                storefront,
                form,
                _with_products(session, items),
                error=message(page.gettext, exc),
                status=exc.status,
            )
    return page.redirect(f"/storefronts/{storefront_id}")


@router.get("/storefronts/{storefront_id}")
def storefront_page(storefront_id: int, page: PageDep, db: DbDep) -> Response:
    with db.read() as session:
        storefront = catalog.require_storefront(session, storefront_id)
        buyer = accounts.require_user(session, storefront.buyer_id)
        items = [
            (item, product_card(product))
            for item, product in catalog.storefront_items(session, storefront.id)
            if product.status == "active"
        ]
        following = page.user is not None and accounts.is_following(session, page.user.id, buyer.id)
        return page.render(
            "storefront.html",
            storefront=storefront,
            buyer=buyer,
            author=buyer,
            following=following,
            items=items,
            is_owner=page.user is not None and page.user.id == buyer.id,
        )
