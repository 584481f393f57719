"""Rules for collections: named shelves of notes a person keeps, public or private.

A private collection is invisible (404, not 403) to everyone but its owner, so its existence leaks
nothing. Hidden or deleted notes stay in a collection but are left out when it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from nichely.accounts.models import User
from nichely.community.models import Collection, CollectionItem, Note
from nichely.community.service import authors_of, check_text, require_visible_note
from nichely.errors import Conflict, Forbidden, NotFound
from nichely.storage.ids import get_by_id, matches_id
from nichely.storage.pagination import page

MAX_NAME = 80
MAX_COLLECTIONS = 200


@dataclass
class CollectionView:
    """A collection with the published notes in it (newest notes first) and their authors."""

    collection: Collection
    owner: User
    notes: list[Note]
    authors: dict[int, User]
    next_cursor: str | None
    note_count: int


def _check_name(name: str) -> str:
    return check_text(name, "name", MAX_NAME)


def create_collection(session: Session, owner: User, *, name: str, is_public: bool = True) -> Collection:
    """Start a new collection; names are unique per owner."""
    name = _check_name(name)
    taken = session.scalar(
        select(Collection.id).where(Collection.owner_id == owner.id, Collection.name == name)
    )
    if taken is not None:
        raise Conflict(f"you already have a collection named {name!r}", field="name", collection_id=taken)
    count = session.scalar(select(func.count(Collection.id)).where(Collection.owner_id == owner.id)) or 0
    if count >= MAX_COLLECTIONS:
        raise Conflict(f"a person may have at most {MAX_COLLECTIONS} collections")
    collection = Collection(owner_id=owner.id, name=name, is_public=bool(is_public))
    session.add(collection)
    session.flush()
    return collection


def require_visible_collection(session: Session, collection_id: int, viewer: User | None) -> Collection:
    """The collection if it is public or the viewer's own; NotFound otherwise."""
    collection = get_by_id(session, Collection, collection_id)
    if collection is None or not (collection.is_public or (viewer and viewer.id == collection.owner_id)):
        raise NotFound(f"collection {collection_id} does not exist")
    return collection


def require_own_collection(session: Session, collection_id: int, user: User) -> Collection:
    """A collection the user may change; NotFound for private ones of others, Forbidden for public."""
    collection = require_visible_collection(session, collection_id, user)
    if collection.owner_id != user.id:
        raise Forbidden("only the owner may change this collection")
    return collection


def update_collection(
    session: Session,
    user: User,
    collection_id: int,
    *,
    name: str | None = None,
    is_public: bool | None = None,
) -> Collection:
    """Rename a collection or make it public or private."""
    collection = require_own_collection(session, collection_id, user)
    if name is not None:
        name = _check_name(name)
        clash = session.scalar(
            select(Collection.id).where(
                Collection.owner_id == user.id, Collection.name == name, Collection.id != collection.id
            )
        )
        if clash is not None:
            raise Conflict(f"you already have a collection named {name!r}", field="name")
        collection.name = name
    if is_public is not None:
        collection.is_public = bool(is_public)
    session.flush()
    return collection


def delete_collection(session: Session, user: User, collection_id: int) -> None:
    """Remove a collection (the notes in it are untouched)."""
    collection = require_own_collection(session, collection_id, user)
    session.execute(delete(CollectionItem).where(CollectionItem.collection_id == collection.id))
    session.delete(collection)
    session.flush()


def add_to_collection(session: Session, user: User, collection_id: int, note_id: int) -> bool:
    """Put a note the user can see into their collection; False when it was already there."""
    collection = require_own_collection(session, collection_id, user)
    note = require_visible_note(session, note_id, user)
    if note.status != "published":
        raise NotFound(f"note {note_id} is not published")
    if session.get(CollectionItem, (collection.id, note_id)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(CollectionItem(collection_id=collection.id, note_id=note_id))
    except IntegrityError:
        return False
    return True


def remove_from_collection(session: Session, user: User, collection_id: int, note_id: int) -> bool:
    """Take a note out of the user's collection; False when it was not there."""
    collection = require_own_collection(session, collection_id, user)
    removed = session.execute(
        delete(CollectionItem).where(
            CollectionItem.collection_id == collection.id, matches_id(CollectionItem.note_id, note_id)
        )
    ).rowcount  # type: ignore[attr-defined]
    return bool(removed)


def count_notes(session: Session, collection_id: int) -> int:
    """How many published notes a collection holds."""
    stmt = (
        select(func.count())
        .select_from(CollectionItem)
        .join(Note, Note.id == CollectionItem.note_id)
        .where(CollectionItem.collection_id == collection_id, Note.status == "published")
    )
    return int(session.scalar(stmt) or 0)


def list_collections(session: Session, owner_id: int, viewer: User | None) -> list[tuple[Collection, int]]:
    """A person's collections with how many published notes each holds; private ones only for the owner."""
    visible_count = (
        select(func.count())
        .select_from(CollectionItem)
        .join(Note, Note.id == CollectionItem.note_id)
        .where(CollectionItem.collection_id == Collection.id, Note.status == "published")
        .scalar_subquery()
    )
    stmt = select(Collection, visible_count).where(matches_id(Collection.owner_id, owner_id))
    if viewer is None or viewer.id != owner_id:
        stmt = stmt.where(Collection.is_public.is_(True))
    rows = session.execute(stmt.order_by(Collection.id.desc()))
    return [(row[0], int(row[1])) for row in rows]


def collection_view(
    session: Session, collection_id: int, viewer: User | None, *, limit: int = 20, cursor: str | None = None
) -> CollectionView:
    """A collection and a page of its published notes."""
    collection = require_visible_collection(session, collection_id, viewer)
    owner = session.get(User, collection.owner_id)
    assert owner is not None
    stmt = (
        select(Note)
        .join(CollectionItem, CollectionItem.note_id == Note.id)
        .where(CollectionItem.collection_id == collection.id, Note.status == "published")
        .options(selectinload(Note.tags), selectinload(Note.photos), selectinload(Note.product_links))
    )
    notes, next_cursor = page(session, stmt, Note.id, limit, cursor)
    return CollectionView(
        collection, owner, notes, authors_of(session, notes), next_cursor, count_notes(session, collection.id)
    )
