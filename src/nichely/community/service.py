"""Rules for notes: writing, editing, deleting, reading and listing them.

Who may see a note: published notes are public; hidden (by a moderator) and deleted (by their
author) notes are visible only to their author and to moderators, and never appear in a list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from nichely.accounts.models import User
from nichely.activity.service import record_event
from nichely.catalog.models import Product, Shop
from nichely.community import verification
from nichely.community.models import DISCLOSURES, Note, NoteProduct, NoteTag, Reaction
from nichely.errors import Forbidden, InvalidInput, NotFound
from nichely.search import index as search_index
from nichely.storage.ids import MAX_ID, get_by_id, matches_id
from nichely.storage.pagination import page
from nichely.text.language import LANGUAGES, detect_language
from nichely.text.normalize import without_nul

MAX_TITLE = 200
MAX_BODY = 20_000
MAX_TAGS = 20
MAX_TAG_LENGTH = 60
MAX_PRODUCTS = 20
_SPACES = re.compile(r"\s+")
# Sentinel for "the caller did not send this field" in partial updates.
UNSET: Any = object()


@dataclass
class NotePage:
    """One page of notes with their authors, ready to render."""

    items: list[Note]
    authors: dict[int, User]
    next_cursor: str | None


@dataclass
class NoteView:
    """One note as a reader sees it: the note, its author, its products and the reader's reactions."""

    note: Note
    author: User
    products: list[Product]
    my_reactions: list[str] = field(default_factory=list)


# -- validation ------------------------------------------------------------------------------


def normalise_tag(raw: str) -> str:
    """A tag as stored: trimmed, leading '#' removed, inner spaces collapsed, lower-case."""
    tag = _SPACES.sub(" ", clean_text(raw).lstrip("#＃").strip())
    # str.lower leaves CJK untouched, so this lower-cases Latin (and other cased) scripts only.
    return tag.lower()


def normalise_tags(raw: Iterable[str]) -> list[str]:
    """Distinct normalised tags in first-seen order; refuses too many or too long."""
    tags: list[str] = []
    for item in raw:
        if not isinstance(item, str):
            raise InvalidInput("tags must be strings", field="tags")
        tag = normalise_tag(item)
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise InvalidInput(f"tag {tag[:20]!r}… is longer than {MAX_TAG_LENGTH} characters", field="tags")
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidInput(f"a note may have at most {MAX_TAGS} tags, got {len(tags)}", field="tags")
    return tags


def clean_text(value: str) -> str:
    """Text without NUL characters (PostgreSQL cannot store them), trimmed."""
    return without_nul(value).strip()


def check_text(value: str, name: str, limit: int) -> str:
    """Cleaned text of 1..limit characters, or InvalidInput naming the field."""
    value = clean_text(value) if isinstance(value, str) else ""
    if not value:
        raise InvalidInput(f"{name} must not be empty", field=name)
    if len(value) > limit:
        raise InvalidInput(f"{name} must have at most {limit} characters, got {len(value)}", field=name)
    return value


def _resolve_language(language: str | None, title: str, body: str) -> str:
    if language is None or language == "auto":
        return detect_language(f"{title}\n{body}")
    if language not in LANGUAGES:
        raise InvalidInput(
            f"language must be 'auto' or one of {list(LANGUAGES)}, got {language!r}", field="language"
        )
    return language


def _check_products(session: Session, product_ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(product_ids))
    if len(ids) > MAX_PRODUCTS:
        raise InvalidInput(f"a note may link at most {MAX_PRODUCTS} products", field="product_ids")
    wanted = [i for i in ids if 1 <= i <= MAX_ID]
    found = set(session.scalars(select(Product.id).where(Product.id.in_(wanted)))) if wanted else set()
    for product_id in ids:
        if product_id not in found:
            raise InvalidInput(
                f"product {product_id} does not exist", field="product_ids", product_id=product_id
            )
    return ids


def _check_disclosure(session: Session, disclosure: str, sponsor_shop_id: int | None) -> None:
    if disclosure not in DISCLOSURES:
        raise InvalidInput(
            f"disclosure must be one of {list(DISCLOSURES)}, got {disclosure!r}", field="disclosure"
        )
    if disclosure == "none" and sponsor_shop_id is not None:
        raise InvalidInput(
            "a note with a sponsor shop must disclose it as 'sponsored' or 'gifted'", field="disclosure"
        )
    if disclosure != "none":
        if sponsor_shop_id is None:
            raise InvalidInput(f"a {disclosure} note must name its sponsor_shop_id", field="sponsor_shop_id")
        if get_by_id(session, Shop, sponsor_shop_id) is None:
            raise InvalidInput(f"shop {sponsor_shop_id} does not exist", field="sponsor_shop_id")


# -- reading ---------------------------------------------------------------------------------


def can_see(note: Note, viewer: User | None) -> bool:
    """Whether `viewer` may read this note at all."""
    if note.status == "published":
        return True
    return viewer is not None and (viewer.id == note.author_id or viewer.has_role("moderator"))


def get_note(session: Session, note_id: int) -> Note | None:
    """The note with this id whatever its status, or None."""
    return get_by_id(session, Note, note_id)


def require_visible_note(session: Session, note_id: int, viewer: User | None) -> Note:
    """The note if `viewer` may see it; otherwise NotFound (hiding that it exists)."""
    note = get_by_id(session, Note, note_id)
    if note is None or not can_see(note, viewer):
        raise NotFound(f"note {note_id} does not exist")
    return note


def require_own_note(session: Session, note_id: int, user: User) -> Note:
    """A note `user` wrote and has not deleted; NotFound or Forbidden otherwise."""
    note = require_visible_note(session, note_id, user)
    if note.status == "deleted":
        raise NotFound(f"note {note_id} does not exist")
    if note.author_id != user.id:
        raise Forbidden("only the author may change this note")
    return note


def authors_of(session: Session, notes: Iterable[Note]) -> dict[int, User]:
    """The authors of some notes, by id, in one query."""
    ids = {n.author_id for n in notes}
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}


def note_view(session: Session, note_id: int, viewer: User | None) -> NoteView:
    """Everything a reader sees on a note's page; NotFound if they may not see it."""
    note = require_visible_note(session, note_id, viewer)
    author = session.get(User, note.author_id)
    assert author is not None  # notes.author_id is a non-null foreign key
    product_ids = [link.product_id for link in note.product_links]
    products = (
        list(session.scalars(select(Product).where(Product.id.in_(product_ids)).order_by(Product.id)))
        if product_ids
        else []
    )
    mine: list[str] = []
    if viewer is not None:
        mine = sorted(
            session.scalars(
                select(Reaction.kind).where(Reaction.note_id == note.id, Reaction.user_id == viewer.id)
            )
        )
    return NoteView(note=note, author=author, products=products, my_reactions=mine)


def record_view(session: Session, note_id: int, viewer: User) -> None:
    """Log that a logged-in person read a note (their own reads are not signal, so skipped)."""
    author_id = session.scalar(select(Note.author_id).where(Note.id == note_id))
    if author_id is not None and author_id != viewer.id:
        record_event(session, viewer.id, "view", "note", note_id)


def published_notes() -> Select[Note]:
    """Published notes with what a card needs loaded; add filters and paginate."""
    return (
        select(Note)
        .where(Note.status == "published")
        .options(selectinload(Note.tags), selectinload(Note.photos), selectinload(Note.product_links))
    )


def list_notes(
    session: Session,
    *,
    limit: int = 20,
    cursor: str | None = None,
    author_id: int | None = None,
    product_id: int | None = None,
    tag: str | None = None,
    language: str | None = None,
) -> NotePage:
    """Published notes newest first, optionally by author, product, tag or language."""
    stmt = published_notes()
    if author_id is not None:
        stmt = stmt.where(matches_id(Note.author_id, author_id))
    if product_id is not None:
        stmt = stmt.where(
            Note.id.in_(select(NoteProduct.note_id).where(matches_id(NoteProduct.product_id, product_id)))
        )
    if tag:
        stmt = stmt.where(Note.id.in_(select(NoteTag.note_id).where(NoteTag.tag == normalise_tag(tag))))
    if language is not None:
        if language not in LANGUAGES:
            raise InvalidInput(f"language must be one of {list(LANGUAGES)}", field="language")
        stmt = stmt.where(Note.language == language)
    notes, next_cursor = page(session, stmt, Note.id, limit, cursor)
    return NotePage(items=notes, authors=authors_of(session, notes), next_cursor=next_cursor)


# -- writing ---------------------------------------------------------------------------------


def create_note(
    session: Session,
    author: User,
    *,
    title: str,
    body: str,
    language: str | None = None,
    product_ids: Iterable[int] = (),
    tags: Iterable[str] = (),
    disclosure: str = "none",
    sponsor_shop_id: int | None = None,
) -> Note:
    """Publish a note; validates everything before writing anything."""
    title = check_text(title, "title", MAX_TITLE)
    body = check_text(body, "body", MAX_BODY)
    language = _resolve_language(language, title, body)
    clean_tags = normalise_tags(tags)
    ids = _check_products(session, product_ids)
    _check_disclosure(session, disclosure, sponsor_shop_id)
    note = Note(
        author_id=author.id,
        title=title,
        body=body,
        language=language,
        disclosure=disclosure,
        sponsor_shop_id=sponsor_shop_id,
        status="published",
        verified_purchase=False,
        like_count=0,
        save_count=0,
        comment_count=0,
    )
    note.tags = [NoteTag(tag=t) for t in clean_tags]
    note.product_links = [NoteProduct(product_id=i) for i in ids]
    session.add(note)
    session.flush()
    verification.refresh_note(session, note.id)
    search_index.index_note(session, note.id)
    session.refresh(note)
    return note


def update_note(
    session: Session,
    user: User,
    note_id: int,
    *,
    title: str | None = None,
    body: str | None = None,
    language: str | None = UNSET,
    product_ids: Iterable[int] | None = None,
    tags: Iterable[str] | None = None,
    disclosure: str | None = None,
    sponsor_shop_id: int | None = UNSET,
) -> Note:
    """Change a note its author wrote; fields left out keep their value."""
    note = require_own_note(session, note_id, user)
    new_title = check_text(title, "title", MAX_TITLE) if title is not None else note.title
    new_body = check_text(body, "body", MAX_BODY) if body is not None else note.body
    new_language = (
        _resolve_language(language, new_title, new_body) if language is not UNSET else note.language
    )
    new_tags = normalise_tags(tags) if tags is not None else None
    new_ids = _check_products(session, product_ids) if product_ids is not None else None
    new_disclosure = disclosure if disclosure is not None else note.disclosure
    new_sponsor = sponsor_shop_id if sponsor_shop_id is not UNSET else note.sponsor_shop_id
    _check_disclosure(session, new_disclosure, new_sponsor)

    note.title, note.body, note.language = new_title, new_body, new_language
    note.disclosure, note.sponsor_shop_id = new_disclosure, new_sponsor
    if new_tags is not None:
        note.tags = [NoteTag(tag=t) for t in new_tags]
    unlinked: set[int] = set()
    if new_ids is not None:
        old_ids = [link.product_id for link in note.product_links]
        if set(old_ids) != set(new_ids):
            unlinked = set(old_ids) - set(new_ids)
            note.product_links = [NoteProduct(product_id=i) for i in new_ids]
            session.flush()
            verification.refresh_note(session, note.id)
            # refresh_note recounts products the author still links; the unlinked ones need it too.
            verification.refresh_product_note_counts(session, sorted(set(old_ids) | set(new_ids)))
    session.flush()
    search_index.index_note(session, note.id)
    search_index.index_products(session, sorted(unlinked))
    session.refresh(note)
    return note


def delete_note(session: Session, user: User, note_id: int) -> None:
    """Soft-delete a note its author wrote; it leaves every list and product count."""
    note = require_own_note(session, note_id, user)
    note.status = "deleted"
    session.flush()
    recount_products_of(session, note)
    search_index.index_note(session, note.id)


def recount_products_of(session: Session, note: Note) -> None:
    """Recount note and buyer-show counts on every product this note links."""
    ids = [link.product_id for link in note.product_links]
    if ids:
        verification.refresh_product_note_counts(session, ids)
