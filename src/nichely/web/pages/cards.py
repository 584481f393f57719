"""What a card in a grid needs beside the row itself: author, cover photo, sponsor, lowest price."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog.models import Product, Shop
from nichely.community.models import Note
from nichely.community.service import authors_of


@dataclass
class NoteCard:
    note: Note
    author: User | None
    photo: str | None
    sponsor_name: str | None


@dataclass
class ProductCard:
    product: Product
    min_price: Decimal | None
    in_stock: bool


def shop_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {
        row.id: row.name for row in session.execute(select(Shop.id, Shop.name).where(Shop.id.in_(wanted)))
    }


def note_cards(
    session: Session,
    notes: list[Note],
    authors: dict[int, User] | None = None,
    sponsors: dict[int, str] | None = None,
) -> list[NoteCard]:
    """Cards for notes, with their authors and sponsors fetched in one query each (unless given)."""
    authors = authors if authors is not None else authors_of(session, notes)
    sponsors = sponsors if sponsors is not None else shop_names(session, (n.sponsor_shop_id for n in notes))
    return [
        NoteCard(
            note=n,
            author=authors.get(n.author_id),
            photo=n.photos[0].path if n.photos else None,
            sponsor_name=sponsors.get(n.sponsor_shop_id) if n.sponsor_shop_id else None,
        )
        for n in notes
    ]


def product_card(product: Product) -> ProductCard:
    prices = [s.price for s in product.skus]
    return ProductCard(
        product=product,
        min_price=min(prices) if prices else None,
        in_stock=any(s.stock > 0 for s in product.skus),
    )


def product_cards(products: Iterable[Product]) -> list[ProductCard]:
    return [product_card(p) for p in products]
