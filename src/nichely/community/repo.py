"""Queries over notes that other domains and faces read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from nichely.community.models import Note, NoteProduct


def notes_for_product(session: Session, product_id: int, limit: int = 20) -> list[Note]:
    """Published notes linked to a product: buyer shows first, then the most engaged, then newest."""
    stmt = (
        select(Note)
        .join(NoteProduct, NoteProduct.note_id == Note.id)
        .where(NoteProduct.product_id == product_id, Note.status == "published")
        .options(selectinload(Note.tags), selectinload(Note.photos))
        .order_by(
            Note.verified_purchase.desc(),
            (Note.like_count + 2 * Note.save_count + 3 * Note.comment_count).desc(),
            Note.created_at.desc(),
            Note.id.desc(),
        )
        .limit(limit)
    )
    return list(session.scalars(stmt))
