"""Storefronts: a buyer's curated shelf of other shops' products."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog import service as catalog
from nichely.catalog.models import Product, Storefront, StorefrontItem
from nichely.web.api.products import ProductOut, product_out
from nichely.web.api.shops import users_by_id
from nichely.web.deps import CurrentUser, DbDep, ReadSession
from nichely.web.schemas import UserBrief, user_brief

router = APIRouter(tags=["storefronts"])


class StorefrontIn(BaseModel):
    title: str = Field(max_length=120)
    description: str = Field(default="", max_length=5000)


class ItemIn(BaseModel):
    product_id: int
    pitch: str = Field(default="", max_length=500)


class ItemsIn(BaseModel):
    items: list[ItemIn] = Field(max_length=catalog.MAX_STOREFRONT_ITEMS)


class ItemOut(BaseModel):
    position: int
    pitch: str
    product: ProductOut


class StorefrontBrief(BaseModel):
    id: int
    buyer: UserBrief
    title: str
    description: str
    commission_rate: Decimal
    created_at: datetime


class StorefrontOut(StorefrontBrief):
    items: list[ItemOut]


class StorefrontPage(BaseModel):
    items: list[StorefrontBrief]
    next_cursor: str | None


def storefront_brief(storefront: Storefront, buyer: User) -> StorefrontBrief:
    """A storefront without its shelf."""
    return StorefrontBrief(
        id=storefront.id,
        buyer=user_brief(buyer),
        title=storefront.title,
        description=storefront.description,
        commission_rate=storefront.commission_rate.quantize(Decimal("0.001")),
        created_at=storefront.created_at,
    )


def storefront_out(
    session: Session, storefront: Storefront, items: list[tuple[StorefrontItem, Product]] | None = None
) -> StorefrontOut:
    """A storefront with its shelf in order; products no longer on sale are left off."""
    buyer = session.get(User, storefront.buyer_id)
    assert buyer is not None
    if items is None:
        items = catalog.storefront_items(session, storefront.id)
    return StorefrontOut(
        **storefront_brief(storefront, buyer).model_dump(),
        items=[
            ItemOut(position=item.position, pitch=item.pitch, product=product_out(product))
            for item, product in items
            if product.status == "active"
        ],
    )


@router.get("/storefronts")
def list_storefronts(session: ReadSession, limit: int = 20, cursor: str | None = None) -> StorefrontPage:
    """Storefronts, newest first."""
    storefronts, next_cursor = catalog.list_storefronts(session, limit=limit, cursor=cursor)
    buyers = users_by_id(session, (s.buyer_id for s in storefronts))
    return StorefrontPage(
        items=[storefront_brief(s, buyers[s.buyer_id]) for s in storefronts], next_cursor=next_cursor
    )


@router.post("/storefronts", status_code=201)
def create_storefront(body: StorefrontIn, user: CurrentUser, db: DbDep) -> StorefrontOut:
    """Open your storefront (buyer role; one each)."""
    with db.write() as session:
        storefront = catalog.create_storefront(session, user, title=body.title, description=body.description)
        return storefront_out(session, storefront, [])


@router.get("/storefronts/{storefront_id}")
def get_storefront(storefront_id: int, session: ReadSession) -> StorefrontOut:
    """One storefront with its items."""
    return storefront_out(session, catalog.require_storefront(session, storefront_id))


@router.put("/storefronts/{storefront_id}/items")
def set_items(storefront_id: int, body: ItemsIn, user: CurrentUser, db: DbDep) -> StorefrontOut:
    """Replace your storefront's shelf with these products, in this order."""
    with db.write() as session:
        items = catalog.set_storefront_items(
            session, user, storefront_id, [i.model_dump() for i in body.items]
        )
        return storefront_out(session, catalog.require_storefront(session, storefront_id), items)
