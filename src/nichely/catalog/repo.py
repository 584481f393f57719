"""Read-only queries over the catalog that pages and other domains read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from nichely.catalog.models import Shop, Sku, Storefront


def shops_of(session: Session, manager_id: int) -> list[Shop]:
    """The shops a person runs, oldest first (the first is their main brand)."""
    return list(session.scalars(select(Shop).where(Shop.manager_id == manager_id).order_by(Shop.id)))


def storefront_of(session: Session, buyer_id: int) -> Storefront | None:
    """The storefront a buyer curates, if they have opened one."""
    return session.scalar(select(Storefront).where(Storefront.buyer_id == buyer_id))


def get_sku(session: Session, sku_id: int) -> Sku | None:
    """A SKU with its product loaded, or None."""
    if not 1 <= sku_id <= 2**31 - 1:
        return None
    return session.scalar(select(Sku).where(Sku.id == sku_id).options(selectinload(Sku.product)))
