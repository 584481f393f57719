"""Factory fixtures for storefronts, live rooms, notes and orders, shared by the catalog,
commerce and live tests (each of those folders' conftest.py imports them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from nichely.accounts.models import User
from nichely.catalog import service as catalog
from nichely.catalog.models import Product, Storefront
from nichely.commerce import service as commerce
from nichely.commerce.models import Order
from nichely.community.models import Note, NoteProduct
from nichely.live import service as live
from nichely.live.models import LiveRoom
from nichely.storage.engine import Database


@pytest.fixture
def make_storefront(db: Database, make_user: Callable[..., User]) -> Callable[..., Storefront]:
    """A buyer's storefront holding `products` (a new buyer unless one is given)."""

    def make(
        buyer: User | None = None, products: list[Product] | None = None, **overrides: Any
    ) -> Storefront:
        buyer = buyer or make_user(roles=["buyer"])
        with db.write() as session:
            storefront = catalog.create_storefront(
                session, buyer, title=overrides.get("title", "Trail picks"), description=""
            )
            if products:
                catalog.set_storefront_items(
                    session, buyer, storefront.id, [{"product_id": p.id} for p in products]
                )
            return storefront

    return make


@pytest.fixture
def make_live_room(db: Database, make_user: Callable[..., User]) -> Callable[..., LiveRoom]:
    """A live room (scheduled unless `status` says otherwise) with `products` in its line-up."""

    def make(
        host: User | None = None,
        products: list[Product] | None = None,
        status: str = "scheduled",
        **overrides: Any,
    ) -> LiveRoom:
        host = host or make_user(roles=["creator"])
        with db.write() as session:
            room = live.create_room(
                session,
                host,
                title=overrides.get("title", "Trail shoe night"),
                scheduled_at=overrides.get("scheduled_at", datetime(2030, 1, 1, 20, 0)),
                shop_id=overrides.get("shop_id"),
                product_ids=[p.id for p in products or []],
            )
            if status in ("live", "ended"):
                room = live.start_room(session, host, room.id)
            if status == "ended":
                room = live.end_room(session, host, room.id)
            return room

    return make


@pytest.fixture
def make_note(db: Database) -> Callable[..., Note]:
    """A published note by `author` linking `products`, written straight to the tables."""

    def make(author: User, products: list[Product], **overrides: Any) -> Note:
        with db.write() as session:
            note = Note(
                author_id=author.id,
                language="en",
                title=overrides.get("title", "Wore them for a month"),
                body=overrides.get("body", "Grippy on wet rock, a little narrow."),
            )
            note.product_links = [NoteProduct(product_id=p.id) for p in products]
            session.add(note)
            session.flush()
            return note

    return make


@pytest.fixture
def place(db: Database) -> Callable[..., Order]:
    """Place an order through the service in its own transaction; lines are (sku_id, quantity)."""

    def make(customer: User, *lines: tuple[int, int], **options: Any) -> Order:
        with db.write() as session:
            order, _ = commerce.place_order(
                session, customer, [{"sku_id": s, "quantity": q} for s, q in lines], **options
            )
            return order

    return make


@pytest.fixture
def advance(db: Database) -> Callable[..., Order]:
    """Apply order actions in turn, each by the given user, in its own transaction."""

    def make(order_id: int, *steps: tuple[User, str]) -> Order:
        order: Order | None = None
        for user, action in steps:
            with db.write() as session:
                order = commerce.change_status(session, user, order_id, action)
        assert order is not None
        return order

    return make
