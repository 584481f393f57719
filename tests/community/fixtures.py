"""Factory fixtures for community tests: notes through the service, delivered orders, moderators.

Registered for every folder by `pytest_plugins` in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from nichely.accounts.models import User
from nichely.catalog.models import Product
from nichely.commerce.models import Order, OrderLine
from nichely.community import service as community
from nichely.community import verification
from nichely.community.models import Note
from nichely.search.index import index_note
from nichely.storage.engine import Database


@pytest.fixture
def make_note(db: Database, make_user: Callable[..., User]) -> Callable[..., Note]:
    """A note written through the service (a new creator unless `author` is given); `status` may hide it."""

    def make(
        author: User | None = None,
        products: list[Product] | None = None,
        status: str = "published",
        **overrides: Any,
    ) -> Note:
        author = author or make_user(roles=["creator"])
        fields: dict[str, Any] = {
            "title": "Wore them for a month",
            "body": "Grippy on wet rock.",
            "language": "en",
        }
        fields.update(overrides)
        with db.write() as session:
            note = community.create_note(
                session, author, product_ids=[p.id for p in products or []], **fields
            )
            if status != "published":
                note.status = status
                session.flush()
                community.recount_products_of(session, note)
                index_note(session, note.id)
            return note

    return make


@pytest.fixture
def make_moderator(make_user: Callable[..., User]) -> Callable[..., User]:
    """A person with the moderator role."""

    def make(**overrides: Any) -> User:
        return make_user(roles=["moderator"], **overrides)

    return make


@pytest.fixture
def deliver(db: Database) -> Callable[[User, Product], Order]:
    """A delivered order of one unit of `product` for `customer`, written straight to the tables."""

    def make(customer: User, product: Product) -> Order:
        with db.write() as session:
            sku_id = product.skus[0].id
            order = Order(customer_id=customer.id, status="delivered", total=Decimal("10.00"))
            session.add(order)
            session.flush()
            session.add(
                OrderLine(
                    order_id=order.id,
                    sku_id=sku_id,
                    product_id=product.id,
                    quantity=1,
                    unit_price=Decimal("10.00"),
                )
            )
            session.flush()
            verification.refresh_verified_purchases(session, customer.id)
            return order

    return make
