"""Collections: named shelves of notes, public or private."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from nichely.community import collections
from nichely.community.models import Collection
from nichely.web.api.notes import NoteCard, note_cards
from nichely.web.deps import CurrentUser, DbDep, OptionalUser
from nichely.web.schemas import UserBrief, user_brief

router = APIRouter(tags=["collections"])


class CollectionIn(BaseModel):
    name: str = Field(max_length=1000)
    is_public: bool = True


class CollectionPatch(BaseModel):
    name: str | None = Field(default=None, max_length=1000)
    is_public: bool | None = None


class CollectionItemIn(BaseModel):
    note_id: int


class CollectionOut(BaseModel):
    id: int
    owner_id: int
    name: str
    is_public: bool
    note_count: int
    created_at: datetime


class CollectionDetail(CollectionOut):
    owner: UserBrief
    notes: list[NoteCard]
    next_cursor: str | None


class CollectionListOut(BaseModel):
    items: list[CollectionOut]


class CollectionItemOut(BaseModel):
    collection_id: int
    note_id: int
    changed: bool


def _out(collection: Collection, note_count: int) -> CollectionOut:
    return CollectionOut(
        id=collection.id,
        owner_id=collection.owner_id,
        name=collection.name,
        is_public=collection.is_public,
        note_count=note_count,
        created_at=collection.created_at,
    )


@router.post("/collections", status_code=201)
def create_collection(body: CollectionIn, user: CurrentUser, db: DbDep) -> CollectionOut:
    """Start a collection."""
    with db.write() as session:
        return _out(collections.create_collection(session, user, name=body.name, is_public=body.is_public), 0)


@router.get("/me/collections")
def my_collections(user: CurrentUser, db: DbDep) -> CollectionListOut:
    """Your collections, public and private."""
    with db.read() as session:
        return CollectionListOut(
            items=[_out(c, n) for c, n in collections.list_collections(session, user.id, user)]
        )


@router.get("/users/{user_id}/collections")
def user_collections(user_id: int, viewer: OptionalUser, db: DbDep) -> CollectionListOut:
    """Someone's public collections (and private ones too, if they are yours)."""
    with db.read() as session:
        return CollectionListOut(
            items=[_out(c, n) for c, n in collections.list_collections(session, user_id, viewer)]
        )


@router.get("/collections/{collection_id}")
def get_collection(
    collection_id: int, viewer: OptionalUser, db: DbDep, limit: int = 20, cursor: str | None = None
) -> CollectionDetail:
    """A public collection, or one of yours, with a page of its notes."""
    with db.read() as session:
        view = collections.collection_view(session, collection_id, viewer, limit=limit, cursor=cursor)
        return CollectionDetail(
            **_out(view.collection, view.note_count).model_dump(),
            owner=user_brief(view.owner),
            notes=note_cards(view.notes, view.authors),
            next_cursor=view.next_cursor,
        )


@router.patch("/collections/{collection_id}")
def update_collection(
    collection_id: int, body: CollectionPatch, user: CurrentUser, db: DbDep
) -> CollectionOut:
    """Rename a collection of yours or change who can see it."""
    with db.write() as session:
        collection = collections.update_collection(
            session, user, collection_id, name=body.name, is_public=body.is_public
        )
        return _out(collection, collections.count_notes(session, collection.id))


@router.delete("/collections/{collection_id}", status_code=204)
def delete_collection(collection_id: int, user: CurrentUser, db: DbDep) -> None:
    """Delete a collection of yours (its notes stay)."""
    with db.write() as session:
        collections.delete_collection(session, user, collection_id)


@router.post("/collections/{collection_id}/notes")
def add_note(collection_id: int, body: CollectionItemIn, user: CurrentUser, db: DbDep) -> CollectionItemOut:
    """Put a note into a collection of yours."""
    with db.write() as session:
        changed = collections.add_to_collection(session, user, collection_id, body.note_id)
        return CollectionItemOut(collection_id=collection_id, note_id=body.note_id, changed=changed)


@router.delete("/collections/{collection_id}/notes/{note_id}")
def remove_note(collection_id: int, note_id: int, user: CurrentUser, db: DbDep) -> CollectionItemOut:
    """Take a note out of a collection of yours."""
    with db.write() as session:
        changed = collections.remove_from_collection(session, user, collection_id, note_id)
        return CollectionItemOut(collection_id=collection_id, note_id=note_id, changed=changed)
