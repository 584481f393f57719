"""A product's page (SKU picker, buy button, the notes about it) and the form to publish one."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy.orm import Session

from nichely.accounts import service as accounts
from nichely.catalog import repo as catalog_repo
from nichely.catalog import service as catalog
from nichely.community import repo as community_repo
from nichely.errors import InvalidInput, NichelyError
from nichely.web.deps import DbDep
from nichely.web.i18n import N_
from nichely.web.pages.cards import note_cards
from nichely.web.pages.forms import FormDep, message, optional_id, text, whole_number
from nichely.web.pages.rendering import Page, PageDep

router = APIRouter()
PRODUCT_NOTES = 24
SKU_ROWS = 3
MAX_SKU_ROWS = 100
_PAIR_SPLIT = re.compile(r"[,，;；\n]+")
BAD_OPTIONS = N_("Write options as name=value pairs separated by commas, for example: size=42, width=wide")
MESSAGES = [
    N_("title must not be empty"),
    N_("a product needs at least one SKU"),
    N_("only users with the manager role may open a shop"),
]


def parse_options(raw: str) -> dict[str, str]:
    """SKU options typed as `size=42, width=wide` (also with `:` or full-width punctuation)."""
    options: dict[str, str] = {}
    for pair in _PAIR_SPLIT.split(raw):
        if not pair.strip():
            continue
        parts = re.split(r"[=:：]", pair, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise InvalidInput(BAD_OPTIONS, field="skus")
        options[parts[0].strip().lower()] = parts[1].strip()
    return options


def _option_order(value: str) -> tuple[int, float, str]:
    """Sizes sort as numbers (9 before 10), everything else as text."""
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def sku_options(skus: list[Any]) -> list[tuple[str, list[str]]]:
    """One (attribute, values) pair per SKU attribute, for the picker's selectors.

    A SKU without an attribute that others have counts as the empty value, so every SKU
    is still one combination of the selectors.
    """
    names = sorted({k for s in skus for k in (s.attributes or {})})
    return [
        (name, sorted({str((s.attributes or {}).get(name, "")) for s in skus}, key=_option_order))
        for name in names
    ]


# -- reading -----------------------------------------------------------------------------------


@router.get("/products/new")
def new_product_form(page: PageDep, db: DbDep, shop: int | None = None) -> Response:
    user = page.require_user()
    with db.read() as session:
        form = _blank_form(shop)
        return _render_form(page, session, user.id, form, None)


@router.get("/products/new/sku-row")
def sku_row(page: PageDep) -> Response:
    """One more empty SKU row for the product form (an htmx fragment)."""
    page.require_user()
    return page.render("_sku_row.html", row={"attrs": "", "price": "", "stock": ""})


@router.get("/products/{product_id}")
def product_page(
    product_id: int, page: PageDep, db: DbDep, storefront: int | None = None, room: int | None = None
) -> Response:
    """The product; `?storefront=` or `?room=` carries where the visitor came from into the order."""
    with db.read() as session:
        product = catalog.require_product(session, product_id, page.user)
        shop = catalog.require_shop(session, product.shop_id)
        manager = accounts.get_user(session, shop.manager_id)
        notes = community_repo.notes_for_product(session, product.id, limit=PRODUCT_NOTES)
        in_stock = [s for s in product.skus if s.stock > 0]
        return page.render(
            "product.html",
            product=product,
            shop=shop,
            manager=manager,
            cards=note_cards(session, notes),
            default_sku=in_stock[0] if in_stock else None,
            option_names=sorted({k for s in product.skus for k in (s.attributes or {})}),
            options=sku_options(product.skus),
            is_manager=catalog.is_shop_manager(page.user, shop),
            via_storefront=storefront,
            via_room=room,
        )


# -- publishing --------------------------------------------------------------------------------


def _blank_form(shop_id: int | None = None) -> dict[str, Any]:
    return {
        "shop_id": str(shop_id or ""),
        "title": "",
        "description": "",
        "category": "",
        "skus": [{"attrs": "", "price": "", "stock": ""} for _ in range(SKU_ROWS)],
    }


def _render_form(
    page: Page, session: Session, user_id: int, form: dict[str, Any], error: str | None, status: int = 200
) -> Response:
    return page.render(
        "product_form.html",
        status=status,
        form=form,
        shops=catalog_repo.shops_of(session, user_id),
        error=error,
    )


def _sku_rows(data: Any) -> list[dict[str, str]]:
    attrs = data.getlist("sku_attrs")[:MAX_SKU_ROWS]
    prices = data.getlist("sku_price")[:MAX_SKU_ROWS]
    stocks = data.getlist("sku_stock")[:MAX_SKU_ROWS]
    rows = []
    for i in range(max(len(attrs), len(prices), len(stocks))):
        row = {
            "attrs": attrs[i] if i < len(attrs) and isinstance(attrs[i], str) else "",
            "price": prices[i] if i < len(prices) and isinstance(prices[i], str) else "",
            "stock": stocks[i] if i < len(stocks) and isinstance(stocks[i], str) else "",
        }
        rows.append(row)
    return rows


def _sku_specs(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """SKU specs for the catalog from the filled-in rows (rows left blank are skipped)."""
    specs = []
    for row in rows:
        if not any(v.strip() for v in row.values()):
            continue
        specs.append(
            {
                "attributes": parse_options(row["attrs"]),
                "price": row["price"].strip(),
                "stock": whole_number(row["stock"] or "0", "stock"),
            }
        )
    return specs


@router.post("/products/new")
def create_product(page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    rows = _sku_rows(data)
    form: dict[str, Any] = {
        "shop_id": text(data, "shop_id"),
        "title": text(data, "title"),
        "description": text(data, "description"),
        "category": text(data, "category"),
        "skus": rows or _blank_form()["skus"],
    }
    try:
        shop_id = optional_id(form["shop_id"], "shop_id")
        if shop_id is None:
            raise InvalidInput(N_("Choose the shop that sells this product."), field="shop_id")
        with db.write() as session:
            product = catalog.create_product(
                session,
                user,
                shop_id=shop_id,
                title=form["title"],
                description=form["description"],
                category=form["category"],
                skus=_sku_specs(rows),
            )
            product_id = product.id
    except NichelyError as exc:
        with db.read() as session:
            return _render_form(page, session, user.id, form, message(page.gettext, exc), status=exc.status)
    return page.redirect(f"/products/{product_id}")
