"""A shop's page (the manager is the brand), opening a shop, and a buyer's storefront."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from nichely.accounts import service as accounts
from nichely.catalog import service as catalog
from nichely.errors import NichelyError
from nichely.web.deps import DbDep
from nichely.web.pages.cards import product_card, product_cards
from nichely.web.pages.forms import FormDep, message, text
from nichely.web.pages.rendering import PageDep

router = APIRouter()
SHOP_PRODUCTS = 48


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
        )
