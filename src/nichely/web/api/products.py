"""Products and their SKUs: list, read with buyer shows, and change (shop managers)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from nichely.catalog import service as catalog
from nichely.catalog.models import Product, Sku
from nichely.community.repo import notes_for_product
from nichely.web.api.shops import users_by_id
from nichely.web.deps import CurrentUser, DbDep, OptionalUser, ReadSession
from nichely.web.schemas import NoteBrief, note_brief

router = APIRouter(tags=["products"])


class SkuIn(BaseModel):
    attributes: dict[str, str] = Field(default_factory=dict)
    price: Decimal
    stock: int = 0


class SkuPatch(BaseModel):
    price: Decimal | None = None
    stock: int | None = Field(default=None, description="Set the stock to this many units.")
    stock_delta: int | None = Field(
        default=None, description="Add (or with a negative number take) units atomically."
    )


class ProductIn(BaseModel):
    shop_id: int
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=20000)
    category: str = Field(default="", max_length=120)
    attributes: dict[str, Any] = Field(default_factory=dict)
    skus: list[SkuIn] = Field(max_length=catalog.MAX_SKUS)


class ProductPatch(BaseModel):
    title: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=20000)
    category: str | None = Field(default=None, max_length=120)
    attributes: dict[str, Any] | None = None
    status: str | None = None


class SkuOut(BaseModel):
    id: int
    product_id: int
    attributes: dict[str, str]
    price: Decimal
    stock: int


class ProductOut(BaseModel):
    id: int
    shop_id: int
    title: str
    description: str
    category: str
    attributes: dict[str, Any]
    status: str
    price_min: Decimal | None
    price_max: Decimal | None
    in_stock: bool
    note_count: int
    buyer_show_count: int
    sold_count: int
    created_at: datetime
    skus: list[SkuOut]


class ProductDetail(ProductOut):
    notes: list[NoteBrief]


class ProductPage(BaseModel):
    items: list[ProductOut]
    next_cursor: str | None


def sku_out(sku: Sku) -> SkuOut:
    """A SKU as the API shows it."""
    return SkuOut(
        id=sku.id,
        product_id=sku.product_id,
        attributes=dict(sku.attributes or {}),
        price=sku.price,
        stock=sku.stock,
    )


def product_out(product: Product) -> ProductOut:
    """A product with its SKUs and price range."""
    prices = [s.price for s in product.skus]
    return ProductOut(
        id=product.id,
        shop_id=product.shop_id,
        title=product.title,
        description=product.description,
        category=product.category,
        attributes=dict(product.attributes or {}),
        status=product.status,
        price_min=min(prices, default=None),
        price_max=max(prices, default=None),
        in_stock=any(s.stock > 0 for s in product.skus),
        note_count=product.note_count,
        buyer_show_count=product.buyer_show_count,
        sold_count=product.sold_count,
        created_at=product.created_at,
        skus=[sku_out(s) for s in product.skus],
    )


def product_detail(session: Session, product: Product) -> ProductDetail:
    """A product with its SKUs and its notes, buyer shows first."""
    notes = notes_for_product(session, product.id)
    authors = users_by_id(session, (n.author_id for n in notes))
    return ProductDetail(
        **product_out(product).model_dump(), notes=[note_brief(n, authors[n.author_id]) for n in notes]
    )


@router.get("/products")
def list_products(
    session: ReadSession,
    shop_id: int | None = None,
    category: str | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> ProductPage:
    """Products on sale, newest first; filter by shop and category."""
    products, next_cursor = catalog.list_products(
        session, shop_id=shop_id, category=category, limit=limit, cursor=cursor
    )
    return ProductPage(items=[product_out(p) for p in products], next_cursor=next_cursor)


@router.post("/products", status_code=201)
def create_product(body: ProductIn, user: CurrentUser, db: DbDep) -> ProductOut:
    """List a product with its SKUs in a shop you manage."""
    with db.write() as session:
        product = catalog.create_product(
            session,
            user,
            shop_id=body.shop_id,
            title=body.title,
            description=body.description,
            category=body.category,
            attributes=body.attributes,
            skus=[s.model_dump() for s in body.skus],
        )
        return product_out(product)


@router.get("/products/{product_id}")
def get_product(product_id: int, session: ReadSession, user: OptionalUser) -> ProductDetail:
    """One product with its SKUs and its notes (buyer shows first)."""
    return product_detail(session, catalog.require_product(session, product_id, user))


@router.patch("/products/{product_id}")
def update_product(product_id: int, body: ProductPatch, user: CurrentUser, db: DbDep) -> ProductOut:
    """Change a product of your shop: title, description, category, attributes or status."""
    with db.write() as session:
        product = catalog.update_product(session, user, product_id, **body.model_dump(exclude_none=True))
        return product_out(product)


@router.post("/products/{product_id}/skus", status_code=201)
def add_sku(product_id: int, body: SkuIn, user: CurrentUser, db: DbDep) -> SkuOut:
    """Add an option (a size, a colour) to a product of your shop."""
    with db.write() as session:
        return sku_out(catalog.add_sku(session, user, product_id, body.model_dump()))


@router.patch("/products/{product_id}/skus/{sku_id}")
def update_sku(product_id: int, sku_id: int, body: SkuPatch, user: CurrentUser, db: DbDep) -> SkuOut:
    """Change a SKU's price, set its stock, or add to its stock atomically with stock_delta."""
    with db.write() as session:
        sku = catalog.update_sku(
            session,
            user,
            product_id,
            sku_id,
            price=body.price,
            stock=body.stock,
            stock_delta=body.stock_delta,
        )
        return sku_out(sku)
