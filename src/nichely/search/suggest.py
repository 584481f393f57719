"""Autocomplete: what people searched before, product titles and tags that start with what is typed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nichely.activity.searchlog import popular_queries
from nichely.catalog.models import Product
from nichely.community.models import Note, NoteTag
from nichely.search.service import clean_query

__all__ = ["MAX_PREFIX", "suggest"]

MAX_PREFIX = 60


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def suggest(session: Session, prefix: str, limit: int = 8) -> list[dict[str, str]]:
    """Up to `limit` completions of `prefix`: popular queries first, then product titles, then tags.

    Each is `{"text", "source"}` with source one of query, product, tag; duplicates (ignoring case)
    are dropped. An empty prefix gives nothing.
    """
    text, _ = clean_query(prefix)
    text = text[:MAX_PREFIX].lower()
    if not text:
        return []
    like = _escape(text) + "%"
    out: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(value: str, source: str) -> None:
        key = value.lower()
        if key not in seen and len(out) < limit:
            seen.add(key)
            out.append({"text": value, "source": source})

    for q in popular_queries(session, text, limit=limit):
        add(q, "query")
    if len(out) < limit:
        titles = session.scalars(
            select(Product.title)
            .where(Product.status == "active", func.lower(Product.title).like(like, escape="\\"))
            .order_by(Product.sold_count.desc(), Product.id.desc())
            .limit(limit)
        )
        for title in titles:
            add(title, "product")
    if len(out) < limit:
        tags = session.execute(
            select(NoteTag.tag, func.count())
            .join(Note, Note.id == NoteTag.note_id)
            .where(Note.status == "published", NoteTag.tag.like(like, escape="\\"))
            .group_by(NoteTag.tag)
            .order_by(func.count().desc(), NoteTag.tag)
            .limit(limit)
        )
        for tag, _count in tags:
            add(tag, "tag")
    return out
