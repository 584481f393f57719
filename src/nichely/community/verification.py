"""The buyer-show badge: a note is a verified purchase while its author has a delivered order
of one of its linked products. Stored on the note so every listing and ranking reads it for free;
recomputed whenever an order changes status or a note's product links change."""

from __future__ import annotations

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from nichely.catalog.models import Product
from nichely.commerce.models import Order, OrderLine
from nichely.community.models import Note, NoteProduct


def verified_clause():  # type: ignore[no-untyped-def]
    """SQL truth of 'this note's author has a delivered order of a product the note links'."""
    return exists(
        select(1)
        .select_from(NoteProduct)
        .join(OrderLine, OrderLine.product_id == NoteProduct.product_id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            NoteProduct.note_id == Note.id,
            Order.customer_id == Note.author_id,
            Order.status == "delivered",
        )
    )


def refresh_verified_purchases(session: Session, author_id: int) -> list[int]:
    """Recompute the badge on every note by `author_id` (call after any order status change);
    returns the ids of the notes whose badge changed, for the caller to re-index.

    The badge is derived state, so the notes' updated_at (the author's last edit) is kept."""
    changed = list(
        session.scalars(
            select(Note.id)
            .where(Note.author_id == author_id, Note.verified_purchase.is_distinct_from(verified_clause()))
            .order_by(Note.id)
        )
    )
    session.execute(
        update(Note)
        .where(Note.author_id == author_id)
        .values(verified_purchase=verified_clause(), updated_at=Note.updated_at)
    )
    _refresh_product_counts(session, author_id)
    return changed


def refresh_note(session: Session, note_id: int) -> None:
    """Recompute the badge of one note (call after its product links change)."""
    session.execute(
        update(Note)
        .where(Note.id == note_id)
        .values(verified_purchase=verified_clause(), updated_at=Note.updated_at)
    )
    author_id = session.scalar(select(Note.author_id).where(Note.id == note_id))
    if author_id is not None:
        _refresh_product_counts(session, author_id)


def _refresh_product_counts(session: Session, author_id: int) -> None:
    product_ids = (
        select(NoteProduct.product_id)
        .join(Note, Note.id == NoteProduct.note_id)
        .where(Note.author_id == author_id)
    )
    refresh_product_note_counts(session, product_ids)


def refresh_product_note_counts(session: Session, product_ids) -> None:  # type: ignore[no-untyped-def]
    """Recount published notes and buyer shows on the given products (ids or a subquery)."""
    session.execute(
        update(Product)
        .where(Product.id.in_(product_ids))
        .values(
            # Derived counters are not an edit: keep the product's own updated_at.
            updated_at=Product.updated_at,
            note_count=select(func.count())
            .select_from(NoteProduct)
            .join(Note, Note.id == NoteProduct.note_id)
            .where(NoteProduct.product_id == Product.id, Note.status == "published")
            .scalar_subquery(),
            buyer_show_count=select(func.count())
            .select_from(NoteProduct)
            .join(Note, Note.id == NoteProduct.note_id)
            .where(
                NoteProduct.product_id == Product.id,
                Note.status == "published",
                Note.verified_purchase.is_(True),
            )
            .scalar_subquery(),
        )
    )
