"""A shop whose buyers show one known preference, for the insight tests of every layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nichely.catalog.models import Product, Shop


def plant_wide_feet(
    make_user: Callable[..., Any],
    make_shop: Callable[..., Shop],
    make_product: Callable[..., Product],
    place: Callable[..., Any],
    manager: Any,
    **shop_fields: Any,
) -> tuple[Shop, Product]:
    """`manager`'s shop sells one shoe in standard and wide; 20 people into wide-feet buy wide 9
    times in 10, 30 other buyers once in 10 (50 orders)."""
    shop = make_shop(manager=manager, **shop_fields)
    skus = [{"attributes": {"width": w}, "price": "80.00", "stock": 500} for w in ("standard", "wide")]
    product = make_product(shop=shop, skus=skus)
    standard, wide = (s.id for s in product.skus)
    for i in range(20):
        place(make_user(interests=["wide-feet"]), (wide if i % 10 else standard, 1))
    for i in range(30):
        place(make_user(), (wide if i % 10 == 0 else standard, 1))
    return shop, product
