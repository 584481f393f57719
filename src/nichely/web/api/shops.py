"""Shops: open one (managers), read them, change your own."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog import service as catalog
from nichely.catalog.models import Shop
from nichely.web.deps import CurrentUser, DbDep, ReadSession
from nichely.web.schemas import UserBrief, user_brief

router = APIRouter(tags=["shops"])


class ShopIn(BaseModel):
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=5000)


class ShopPatch(BaseModel):
    name: str | None = Field(default=None, max_length=120)
    description: str | None = Field(default=None, max_length=5000)


class ShopOut(BaseModel):
    id: int
    name: str
    description: str
    manager: UserBrief
    product_count: int
    created_at: datetime


class ShopPage(BaseModel):
    items: list[ShopOut]
    next_cursor: str | None


def users_by_id(session: Session, ids: Iterable[int]) -> dict[int, User]:
    """The users with these ids, in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))}


def shop_out(session: Session, shop: Shop, manager: User | None = None) -> ShopOut:
    """A shop with its manager and how many products it has on sale."""
    manager = manager or session.get(User, shop.manager_id)
    assert manager is not None
    return ShopOut(
        id=shop.id,
        name=shop.name,
        description=shop.description,
        manager=user_brief(manager),
        product_count=catalog.shop_product_count(session, shop.id),
        created_at=shop.created_at,
    )


@router.get("/shops")
def list_shops(session: ReadSession, limit: int = 20, cursor: str | None = None) -> ShopPage:
    """Shops, newest first."""
    shops, next_cursor = catalog.list_shops(session, limit=limit, cursor=cursor)
    managers = users_by_id(session, (s.manager_id for s in shops))
    return ShopPage(
        items=[shop_out(session, s, managers[s.manager_id]) for s in shops], next_cursor=next_cursor
    )


@router.post("/shops", status_code=201)
def create_shop(body: ShopIn, user: CurrentUser, db: DbDep) -> ShopOut:
    """Open a shop; you must have the manager role, and you become its manager."""
    with db.write() as session:
        shop = catalog.create_shop(session, user, name=body.name, description=body.description)
        return shop_out(session, shop)


@router.get("/shops/{shop_id}")
def get_shop(shop_id: int, session: ReadSession) -> ShopOut:
    """One shop."""
    return shop_out(session, catalog.require_shop(session, shop_id))


@router.patch("/shops/{shop_id}")
def update_shop(shop_id: int, body: ShopPatch, user: CurrentUser, db: DbDep) -> ShopOut:
    """Rename or redescribe your shop."""
    with db.write() as session:
        shop = catalog.update_shop(session, user, shop_id, name=body.name, description=body.description)
        return shop_out(session, shop)
