"""A simple search over products, notes and people: case-insensitive LIKE per term, ranked by matches.

Split as in sqlite-utils: `query_terms` and `search_sql` are pure (the SQL is built, never run,
so it is testable without a store) and `search` runs it. A later search engine replaces the insides;
the result shape stays.

Terms: whitespace-separated words, lower-cased, with punctuation trimmed from their ends; runs of
CJK characters (which have no spaces) become overlapping bigrams, the usual cheap stand-in for word
segmentation. Every term is a bound parameter with LIKE's % and _ escaped, so a query is only ever
data. SQLite's lower() folds ASCII only, so a stored 'Ñ' matches 'ñ' only on PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session, selectinload

from nichely.accounts.models import User
from nichely.catalog.models import Product
from nichely.community.models import Note, NoteTag
from nichely.community.service import authors_of
from nichely.errors import InvalidInput
from nichely.storage.pagination import MAX_OFFSET, check_limit, decode_offset, encode_offset
from nichely.text.language import detect_language

MAX_QUERY = 200
MAX_TERMS = 16
KINDS = ("products", "notes", "people")
TYPES = ("all", *KINDS)
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Punctuation and maths/modifier symbols are trimmed from term ends; emoji (So) are kept as terms.
_TRIM_CATEGORIES = ("P", "Sm", "Sk")
_ESCAPE = "\\"


@dataclass
class SearchResult:
    """What a search found, per kind, plus what it understood of the query."""

    query: str
    language: str
    terms: list[str]
    kinds: tuple[str, ...]
    products: list[Product] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    people: list[User] = field(default_factory=list)
    note_authors: dict[int, User] = field(default_factory=dict)
    total: int = 0
    next_cursor: str | None = None


def _trim(word: str) -> str:
    def keep(ch: str) -> bool:
        return not unicodedata.category(ch).startswith(_TRIM_CATEGORIES)

    start, end = 0, len(word)
    while start < end and not keep(word[start]):
        start += 1
    while end > start and not keep(word[end - 1]):
        end -= 1
    return word[start:end]


def clean_query(query: str) -> str:
    """The query as searched and logged: NUL and other control characters out, spaces collapsed."""
    query = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in query or "")
    return " ".join(query.split())


def query_terms(query: str) -> list[str]:
    """Distinct lower-case terms of a query: words, and bigrams of CJK runs (at most MAX_TERMS)."""
    terms: list[str] = []

    def add(term: str) -> None:
        term = _trim(term)
        if term and term not in terms:
            terms.append(term)

    for chunk in clean_query(query).lower().split():
        pos = 0
        for run in _CJK_RUN.finditer(chunk):
            add(chunk[pos : run.start()])
            text = run.group()
            if len(text) == 1:
                add(text)
            for i in range(len(text) - 1):
                add(text[i : i + 2])
            pos = run.end()
        add(chunk[pos:])
    return terms[:MAX_TERMS]


def like_pattern(term: str) -> str:
    """A LIKE pattern matching `term` anywhere, with LIKE's own wildcards escaped."""
    escaped = term.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")
    return f"%{escaped}%"


def _contains(column: Any, term: str) -> ColumnElement[bool]:
    return func.lower(column).like(like_pattern(term), escape=_ESCAPE)


def _product_match(term: str) -> ColumnElement[bool]:
    return or_(
        _contains(Product.title, term),
        _contains(Product.description, term),
        _contains(Product.category, term),
    )


def _note_match(term: str) -> ColumnElement[bool]:
    tagged = exists(
        select(NoteTag.note_id).where(
            NoteTag.note_id == Note.id, NoteTag.tag.like(like_pattern(term), escape=_ESCAPE)
        )
    )
    return or_(_contains(Note.title, term), _contains(Note.body, term), tagged)


def _person_match(term: str) -> ColumnElement[bool]:
    return or_(_contains(User.username, term), _contains(User.display_name, term), _contains(User.bio, term))


def _score(matches: list[ColumnElement[bool]]) -> ColumnElement[int]:
    total: ColumnElement[int] = literal(0)
    for match in matches:
        total = total + case((match, 1), else_=0)
    return total


def _base(kind: str, terms: list[str]) -> tuple[Select[Any], ColumnElement[int]]:
    try:
        entity, matcher, visible = _KINDS[kind]
    except KeyError:
        raise InvalidInput(f"type must be one of {list(TYPES)}, got {kind!r}", field="type") from None
    matches = [matcher(t) for t in terms]
    score = _score(matches).label("score")
    stmt = select(entity, score).where(visible(), or_(*matches) if matches else literal(False))
    return stmt, score


_KINDS: dict[str, tuple[Any, Any, Any]] = {
    "products": (Product, _product_match, lambda: Product.status == "active"),
    "notes": (Note, _note_match, lambda: Note.status == "published"),
    "people": (User, _person_match, lambda: User.status == "active"),
}


def search_sql(kind: str, terms: list[str], *, limit: int, offset: int = 0) -> Select[Any]:
    """The ranked query for one kind: matched-term count first, then the kind's own signal."""
    stmt, score = _base(kind, terms)
    if kind == "products":
        order: list[Any] = [
            score.desc(),
            Product.buyer_show_count.desc(),
            Product.note_count.desc(),
            Product.id.desc(),
        ]
    elif kind == "notes":
        engagement = Note.like_count + 2 * Note.save_count + 3 * Note.comment_count
        order = [score.desc(), Note.verified_purchase.desc(), engagement.desc(), Note.id.desc()]
        stmt = stmt.options(
            selectinload(Note.tags), selectinload(Note.photos), selectinload(Note.product_links)
        )
    else:
        order = [score.desc(), User.follower_count.desc(), User.id.desc()]
    return stmt.order_by(*order).limit(limit).offset(offset)


def count_sql(kind: str, terms: list[str]) -> Select[Any]:
    """How many rows of one kind match at all."""
    stmt, _ = _base(kind, terms)
    return select(func.count()).select_from(stmt.subquery())


def check_query(query: str) -> str:
    """The cleaned query, or InvalidInput saying what is wrong with it."""
    if not isinstance(query, str):
        raise InvalidInput("q must be text", field="q")
    cleaned = clean_query(query)
    if not cleaned:
        raise InvalidInput("q must not be empty; type what you are looking for", field="q")
    if len(cleaned) > MAX_QUERY:
        raise InvalidInput(
            f"q must have at most {MAX_QUERY} characters, got {len(cleaned)}; shorten the query", field="q"
        )
    return cleaned


def search(
    session: Session, query: str, *, type: str = "all", limit: int = 10, cursor: str | None = None
) -> SearchResult:
    """Run a search; `type` 'all' gives the top `limit` of each kind, one kind pages with a cursor."""
    query = check_query(query)
    check_limit(limit)
    if type not in TYPES:
        raise InvalidInput(f"type must be one of {list(TYPES)}, got {type!r}", field="type")
    if type == "all" and cursor:
        raise InvalidInput(
            "cursor pages one type at a time; add type=products, notes or people", field="cursor"
        )
    offset = decode_offset(cursor)
    terms = query_terms(query)
    kinds = KINDS if type == "all" else (type,)
    result = SearchResult(query=query, language=detect_language(query), terms=terms, kinds=kinds)
    if not terms:
        # Only punctuation: nothing to look for, which is an empty result, not an error.
        return result
    for kind in kinds:
        rows = [row[0] for row in session.execute(search_sql(kind, terms, limit=limit + 1, offset=offset))]
        if type != "all" and len(rows) > limit and offset + limit < MAX_OFFSET:
            result.next_cursor = encode_offset(offset + limit)
        setattr(result, kind, rows[:limit])
        result.total += int(session.scalar(count_sql(kind, terms)) or 0)
    result.note_authors = authors_of(session, result.notes)
    return result
