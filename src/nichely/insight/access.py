"""Who may read which insight.

Unmet needs are aggregates of what people searched (queries and counts, never who): managers, who
design products, and moderators may read them. SKU fit reads a shop's sales, which belong to the
shop: a manager sees only the shops they run; moderators and admins may read any shop or the
whole store.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog.models import Product, Shop
from nichely.errors import Forbidden, NotFound
from nichely.storage.ids import get_by_id

__all__ = ["check_needs_reader", "check_sku_reader"]


def check_needs_reader(user: User) -> None:
    """Managers and moderators (and admins) may read unmet needs."""
    if not (user.has_role("manager") or user.has_role("moderator")):
        raise Forbidden("only shop managers and moderators may read demand insight")


def check_sku_reader(session: Session, user: User, *, shop_id: int | None, product_id: int | None) -> None:
    """A manager may read SKU fit for their own shop or product; moderators for any, or all."""
    shop = get_by_id(session, Shop, shop_id) if shop_id is not None else None
    if shop_id is not None and shop is None:
        raise NotFound(f"shop {shop_id} does not exist")
    product = get_by_id(session, Product, product_id) if product_id is not None else None
    if product_id is not None and product is None:
        raise NotFound(f"product {product_id} does not exist")
    if user.has_role("moderator"):
        return
    if not user.has_role("manager"):
        raise Forbidden("only shop managers and moderators may read SKU fit")
    if shop is None and product is None:
        raise Forbidden("name one of your shops (shop_id) or products (product_id)")
    owners = {s.manager_id for s in (shop,) if s is not None}
    if product is not None:
        product_shop = session.get(Shop, product.shop_id)
        owners.add(product_shop.manager_id if product_shop else -1)
    if owners != {user.id}:
        raise Forbidden("SKU fit is only shown to the manager of the shop")
