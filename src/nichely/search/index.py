"""Keeping the search index in step with the store.

Services call `index_product`, `index_note` or `index_user` inside the write transaction that
changed the thing, so a committed change is searchable as soon as it commits (and a rolled-back
one never is). `reindex` rebuilds everything from the store. Term statistics are maintained
by deltas in the same transaction.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session, selectinload

from nichely.accounts.models import User
from nichely.catalog.models import Product
from nichely.community.models import Note, NoteProduct
from nichely.search.analysis import analyze, words
from nichely.search.backends import LexicalBackend, lexical_backend
from nichely.search.models import FIELDS, KINDS, SearchDocument, SearchStat, SearchTerm
from nichely.storage.base import utcnow
from nichely.storage.engine import Database
from nichely.trust.service import trust_for_notes, trust_for_users

MAX_TERM = 120
# Title words are also counted (per kind, pseudo-field "word", unstemmed) so that the engine
# can build its spelling corrector from the store: a typo is corrected towards words that
# the indexed titles actually use.
SPELL_FIELD = "word"
_SPELLABLE = re.compile(r"^[^\W\d_]{3,24}$")
Progress = Callable[[str, int, int], None]

# Both stores accept this upsert verbatim (SQLite >= 3.24, PostgreSQL >= 9.5).
_TERM_DELTA = text(
    "INSERT INTO search_terms (kind, field, term, df) VALUES (:kind, :field, :term, :delta) "
    "ON CONFLICT (kind, field, term) DO UPDATE SET df = search_terms.df + excluded.df"
)
_STAT_DELTA = text(
    "INSERT INTO search_stats (kind, field, doc_count, total_length) "
    "VALUES (:kind, :field, :docs, :length) ON CONFLICT (kind, field) DO UPDATE SET "
    "doc_count = search_stats.doc_count + excluded.doc_count, "
    "total_length = search_stats.total_length + excluded.total_length"
)


@dataclass(frozen=True)
class IndexDoc:
    """One thing as the index sees it: display title, analysed fields, ranking signals."""

    kind: str
    ref_id: int
    title: str
    title_terms: tuple[str, ...]
    body_terms: tuple[str, ...]
    popularity: float = 0.0
    note_count: int = 0
    buyer_show_count: int = 0

    def fields(self) -> dict[str, tuple[str, ...]]:
        return {"title": self.title_terms, "body": self.body_terms}


def _terms(text_: str) -> tuple[str, ...]:
    return tuple(t for t in analyze(text_) if len(t) <= MAX_TERM)


_PRODUCT_COLUMNS = (
    Product.id,
    Product.title,
    Product.description,
    Product.category,
    Product.attributes,
    Product.status,
    Product.sold_count,
    Product.note_count,
    Product.buyer_show_count,
)


def product_doc(product: Product | Row[Any]) -> IndexDoc:
    """A product's document: title; description, category and attribute values as body."""
    attrs = " ".join(f"{k} {v}" for k, v in sorted((product.attributes or {}).items()))
    body = " ".join(part for part in (product.description, product.category, attrs) if part)
    return IndexDoc(
        "product",
        product.id,
        product.title,
        _terms(product.title),
        _terms(body),
        popularity=math.log1p(product.sold_count or 0),
        note_count=product.note_count or 0,
        buyer_show_count=product.buyer_show_count or 0,
    )


def note_doc(note: Note) -> IndexDoc:
    """A note's document: title; body and tags as body."""
    body = note.body + " " + " ".join(t.tag for t in note.tags)
    engagement = (note.like_count or 0) + 2 * (note.save_count or 0) + 3 * (note.comment_count or 0)
    return IndexDoc(
        "note",
        note.id,
        note.title,
        _terms(note.title),
        _terms(body),
        popularity=math.log1p(engagement),
        buyer_show_count=int(bool(note.verified_purchase)),
    )


def user_doc(user: User) -> IndexDoc:
    """A person's document: display name and username; bio and interests as body."""
    title = f"{user.display_name} {user.username}"
    body = user.bio + " " + " ".join(user.interests or [])
    return IndexDoc(
        "user", user.id, user.display_name, _terms(title), _terms(body), math.log1p(user.follower_count)
    )


def spelling_words(title: str) -> set[str]:
    """The distinct title words the spelling vocabulary counts (letters only, 3 to 24 of them)."""
    return {w for w in words(title) if _SPELLABLE.match(w)}


def _field_deltas(kind: str, docs: Iterable[IndexDoc], sign: int, df: Counter, stats: Counter) -> None:
    for doc in docs:
        for word in spelling_words(doc.title):
            df[(kind, SPELL_FIELD, word)] += sign
        for field, terms in doc.fields().items():
            for term in set(terms):
                df[(kind, field, term)] += sign
            stats[(kind, field, "docs")] += sign
            stats[(kind, field, "length")] += sign * len(terms)


def _apply_deltas(session: Session, df: Counter, stats: Counter) -> None:
    rows = [{"kind": k, "field": f, "term": t, "delta": d} for (k, f, t), d in sorted(df.items()) if d != 0]
    if rows:
        session.execute(_TERM_DELTA, rows)
        if any(r["delta"] < 0 for r in rows):
            session.execute(delete(SearchTerm).where(SearchTerm.df <= 0))
    for kind, field in sorted({(k, f) for k, f, _ in stats}):
        docs, length = stats[(kind, field, "docs")], stats[(kind, field, "length")]
        if docs or length:
            session.execute(_STAT_DELTA, {"kind": kind, "field": field, "docs": docs, "length": length})


def _stored_doc(row: SearchDocument) -> IndexDoc:
    return IndexDoc(
        row.kind, row.ref_id, row.title, tuple(row.title_terms.split()), tuple(row.body_terms.split())
    )


def _trust(session: Session, kind: str, ids: Sequence[int]) -> dict[int, float]:
    """Trust of notes and people as the trust layer scored them (products carry none of their own)."""
    readers = {"note": trust_for_notes, "user": trust_for_users}
    return readers[kind](session, ids) if kind in readers else {}


def write_documents(
    session: Session,
    docs: Sequence[IndexDoc],
    backend: LexicalBackend | None = None,
    *,
    replacing: bool = True,
) -> None:
    """Add or replace documents of one kind, keeping term statistics and the backend in step
    (`replacing=False` when the kind was just cleared: there is nothing to look up and replace)."""
    if not docs:
        return
    backend = backend or lexical_backend(session.get_bind().dialect.name)
    kind = docs[0].kind
    ids = [d.ref_id for d in docs]
    old = (
        list(
            session.scalars(
                select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref_id.in_(ids))
            )
        )
        if replacing
        else []
    )
    df: Counter = Counter()
    stats: Counter = Counter()
    _field_deltas(kind, (_stored_doc(r) for r in old), -1, df, stats)
    _field_deltas(kind, docs, +1, df, stats)
    if old:
        session.execute(
            delete(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref_id.in_(ids))
        )
    now = utcnow()
    trust = _trust(session, kind, ids)
    session.execute(
        insert(SearchDocument),
        [
            {
                "kind": d.kind,
                "ref_id": d.ref_id,
                "title": d.title,
                "title_terms": " ".join(d.title_terms),
                "body_terms": " ".join(d.body_terms),
                "title_length": len(d.title_terms),
                "body_length": len(d.body_terms),
                "trust": trust.get(d.ref_id, 1.0),
                "popularity": d.popularity,
                "note_count": d.note_count,
                "buyer_show_count": d.buyer_show_count,
                "indexed_at": now,
            }
            for d in docs
        ],
    )
    _apply_deltas(session, df, stats)
    backend.put(session, kind, [(d.ref_id, " ".join(d.title_terms), " ".join(d.body_terms)) for d in docs])


def remove_documents(
    session: Session, kind: str, ref_ids: Sequence[int], backend: LexicalBackend | None = None
) -> None:
    """Take things out of the index (deleted, hidden, unpublished)."""
    if not ref_ids:
        return
    backend = backend or lexical_backend(session.get_bind().dialect.name)
    where = (SearchDocument.kind == kind, SearchDocument.ref_id.in_(list(ref_ids)))
    old = list(session.scalars(select(SearchDocument).where(*where)))
    if not old:
        return
    df: Counter = Counter()
    stats: Counter = Counter()
    _field_deltas(kind, (_stored_doc(r) for r in old), -1, df, stats)
    session.execute(delete(SearchDocument).where(*where))
    _apply_deltas(session, df, stats)
    backend.remove(session, kind, [r.ref_id for r in old])


def refresh_popularity(session: Session, product_ids: Iterable[int]) -> None:
    """Carry products' sales into their index entries (an order placed, cancelled or refunded).

    Only the ranking signal changes, so the analysed text and term statistics are left alone.
    """
    ids = sorted(set(product_ids))
    if not ids:
        return
    sold = session.execute(select(Product.id, Product.sold_count).where(Product.id.in_(ids))).all()
    table = cast(Table, SearchDocument.__table__)
    session.execute(
        update(table)
        .where(table.c.kind == "product", table.c.ref_id == bindparam("product_id"))
        .values(popularity=bindparam("new_popularity")),
        [{"product_id": pid, "new_popularity": math.log1p(count or 0)} for pid, count in sold],
    )


def index_product(session: Session, product_id: int) -> None:
    """Bring one product's entry up to date (removed unless the product exists and is active)."""
    session.flush()
    # Columns, not the ORM object: refreshing the caller's Product would drop its loaded SKUs.
    product = session.execute(select(*_PRODUCT_COLUMNS).where(Product.id == product_id)).first()
    if product is None or product.status != "active":
        remove_documents(session, "product", [product_id])
        return
    write_documents(session, [product_doc(product)])


def index_products(session: Session, product_ids: Sequence[int], batch: int = 2000) -> None:
    """Bring many products' entries up to date at once (for bulk imports)."""
    session.flush()
    backend = lexical_backend(session.get_bind().dialect.name)
    ids = sorted(set(product_ids))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        products = list(session.scalars(select(Product).where(Product.id.in_(chunk))))
        active = [p for p in products if p.status == "active"]
        gone = sorted(set(chunk) - {p.id for p in active})
        remove_documents(session, "product", gone, backend)
        write_documents(session, [product_doc(p) for p in active], backend)


def index_note(session: Session, note_id: int) -> None:
    """Bring one note's entry up to date, and the products it is linked to (their evidence changed)."""
    session.flush()
    note = session.get(Note, note_id, populate_existing=True)
    if note is None or note.status != "published":
        remove_documents(session, "note", [note_id])
    else:
        write_documents(session, [note_doc(note)])
    for product_id in session.scalars(select(NoteProduct.product_id).where(NoteProduct.note_id == note_id)):
        index_product(session, product_id)


def index_notes(session: Session, note_ids: Sequence[int], batch: int = 2000) -> None:
    """Bring many notes' entries up to date at once, and their products' (for bulk imports)."""
    session.flush()
    backend = lexical_backend(session.get_bind().dialect.name)
    ids = sorted(set(note_ids))
    products: set[int] = set()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        notes = list(session.scalars(select(Note).where(Note.id.in_(chunk)).options(selectinload(Note.tags))))
        visible = [n for n in notes if n.status == "published"]
        remove_documents(session, "note", sorted(set(chunk) - {n.id for n in visible}), backend)
        write_documents(session, [note_doc(n) for n in visible], backend)
        products.update(session.scalars(select(NoteProduct.product_id).where(NoteProduct.note_id.in_(chunk))))
    index_products(session, sorted(products), batch)


def index_user(session: Session, user_id: int) -> None:
    """Bring one person's entry up to date (removed unless the account is active)."""
    session.flush()
    user = session.get(User, user_id, populate_existing=True)
    if user is None or user.status != "active":
        remove_documents(session, "user", [user_id])
        return
    write_documents(session, [user_doc(user)])


def clear_kind(session: Session, kind: str, backend: LexicalBackend | None = None) -> None:
    """Drop every entry and statistic of one kind."""
    backend = backend or lexical_backend(session.get_bind().dialect.name)
    session.execute(delete(SearchDocument).where(SearchDocument.kind == kind))
    session.execute(delete(SearchTerm).where(SearchTerm.kind == kind))
    session.execute(delete(SearchStat).where(SearchStat.kind == kind))
    backend.clear(session, kind)


_SOURCES: dict[str, tuple[Any, Any, Callable[[Any], IndexDoc]]] = {
    "product": (Product, Product.status == "active", product_doc),
    "note": (Note, Note.status == "published", note_doc),
    "user": (User, User.status == "active", user_doc),
}


def reindex(
    db: Database, kinds: Sequence[str] = KINDS, progress: Progress | None = None, batch: int = 2000
) -> dict[str, int]:
    """Rebuild the index of `kinds` from the store in one transaction; returns documents per kind."""
    counts: dict[str, int] = {}
    backend = lexical_backend(db.dialect)
    with db.write() as session:
        for kind in kinds:
            model, visible, build = _SOURCES[kind]
            clear_kind(session, kind, backend)
            total = session.scalar(select(func.count()).select_from(model).where(visible)) or 0
            done = 0
            last = 0
            while True:
                rows = list(
                    session.scalars(
                        select(model).where(visible, model.id > last).order_by(model.id).limit(batch)
                    )
                )
                if not rows:
                    break
                # The kind was cleared above: looking up documents to replace would only cost (on
                # PostgreSQL, whose statistics still say the table is empty, a scan per batch).
                write_documents(session, [build(r) for r in rows], backend, replacing=False)
                last = rows[-1].id
                done += len(rows)
                session.expunge_all()
                if progress:
                    progress(kind, done, total)
            counts[kind] = done
    return counts


__all__ = [
    "FIELDS",
    "SPELL_FIELD",
    "IndexDoc",
    "clear_kind",
    "index_note",
    "index_notes",
    "index_product",
    "index_products",
    "index_user",
    "note_doc",
    "product_doc",
    "reindex",
    "remove_documents",
    "spelling_words",
    "user_doc",
    "write_documents",
]
