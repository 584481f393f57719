"""Notes, their photos, comments and reactions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog.models import Product
from nichely.community import engagement, photos
from nichely.community import service as notes
from nichely.community.models import Comment, Note, NotePhoto
from nichely.community.service import NoteView
from nichely.trust import service as trust
from nichely.web.deps import CurrentUser, DbDep, OptionalUser, SettingsDep
from nichely.web.schemas import NoteBrief, UserBrief, note_brief, user_brief

router = APIRouter(tags=["notes"])


class NoteIn(BaseModel):
    title: str = Field(max_length=1000)
    body: str = Field(max_length=100_000)
    language: str | None = Field(default=None, description="zh, en, es, or 'auto'/absent to detect it.")
    product_ids: list[int] = Field(default_factory=list, max_length=100)
    tags: list[str] = Field(default_factory=list, max_length=100)
    disclosure: str = "none"
    sponsor_shop_id: int | None = None


class NotePatch(BaseModel):
    title: str | None = Field(default=None, max_length=1000)
    body: str | None = Field(default=None, max_length=100_000)
    language: str | None = None
    product_ids: list[int] | None = Field(default=None, max_length=100)
    tags: list[str] | None = Field(default=None, max_length=100)
    disclosure: str | None = None
    sponsor_shop_id: int | None = None


class PhotoOut(BaseModel):
    id: int
    url: str
    content_type: str
    position: int


class ProductBrief(BaseModel):
    id: int
    shop_id: int
    title: str
    status: str
    note_count: int
    buyer_show_count: int


class NoteCard(NoteBrief):
    """A note in a list: the shared brief plus its cover photo and linked product ids."""

    product_ids: list[int]
    cover_url: str | None
    photo_count: int


class NoteOut(BaseModel):
    id: int
    title: str
    body: str
    language: str
    status: str
    author: UserBrief
    verified_purchase: bool
    disclosure: str
    sponsor_shop_id: int | None
    tags: list[str]
    product_ids: list[int]
    products: list[ProductBrief]
    photos: list[PhotoOut]
    like_count: int
    save_count: int
    comment_count: int
    my_reactions: list[str]
    created_at: datetime
    updated_at: datetime


class NotePageOut(BaseModel):
    items: list[NoteCard]
    next_cursor: str | None


class CommentIn(BaseModel):
    body: str = Field(max_length=10_000)


class CommentOut(BaseModel):
    id: int
    note_id: int
    author: UserBrief
    body: str
    created_at: datetime


class CommentPageOut(BaseModel):
    items: list[CommentOut]
    next_cursor: str | None


class ReactionIn(BaseModel):
    kind: str


class ReactionOut(BaseModel):
    note_id: int
    kind: str
    changed: bool
    like_count: int
    save_count: int


def photo_out(photo: NotePhoto) -> PhotoOut:
    return PhotoOut(
        id=photo.id, url=photos.photo_url(photo), content_type=photo.content_type, position=photo.position
    )


def note_card(note: Note, author: User) -> NoteCard:
    """The list shape of a note (its author must be given: notes do not load their authors)."""
    return NoteCard(
        **note_brief(note, author).model_dump(),
        product_ids=sorted(link.product_id for link in note.product_links),
        cover_url=photos.photo_url(note.photos[0]) if note.photos else None,
        photo_count=len(note.photos),
    )


def note_cards(notes_: list[Note], authors: dict[int, User]) -> list[NoteCard]:
    return [note_card(n, authors[n.author_id]) for n in notes_]


def _product_brief(product: Product) -> ProductBrief:
    return ProductBrief(
        id=product.id,
        shop_id=product.shop_id,
        title=product.title,
        status=product.status,
        note_count=product.note_count,
        buyer_show_count=product.buyer_show_count,
    )


def note_out(view: NoteView) -> NoteOut:
    note = view.note
    return NoteOut(
        id=note.id,
        title=note.title,
        body=note.body,
        language=note.language,
        status=note.status,
        author=user_brief(view.author),
        verified_purchase=note.verified_purchase,
        disclosure=note.disclosure,
        sponsor_shop_id=note.sponsor_shop_id,
        tags=[t.tag for t in note.tags],
        product_ids=[p.id for p in view.products],
        products=[_product_brief(p) for p in view.products],
        photos=[photo_out(p) for p in note.photos],
        like_count=note.like_count,
        save_count=note.save_count,
        comment_count=note.comment_count,
        my_reactions=view.my_reactions,
        created_at=note.created_at,
        updated_at=note.updated_at,
    )


def _view(session: Session, note_id: int, user: User | None) -> NoteOut:
    return note_out(notes.note_view(session, note_id, user))


# -- notes -----------------------------------------------------------------------------------


@router.get("/notes")
def list_notes(
    db: DbDep,
    limit: int = 20,
    cursor: str | None = None,
    author_id: int | None = None,
    product_id: int | None = None,
    tag: str | None = None,
    language: str | None = None,
) -> NotePageOut:
    """Published notes, newest first."""
    with db.read() as session:
        found = notes.list_notes(
            session,
            limit=limit,
            cursor=cursor,
            author_id=author_id,
            product_id=product_id,
            tag=tag,
            language=language,
        )
        return NotePageOut(items=note_cards(found.items, found.authors), next_cursor=found.next_cursor)


@router.post("/notes", status_code=201)
def create_note(body: NoteIn, user: CurrentUser, db: DbDep) -> NoteOut:
    """Publish a note."""
    with db.write() as session:
        note = notes.create_note(session, user, **body.model_dump())
        trust.note_created(session, note.id)
        return _view(session, note.id, user)


@router.get("/notes/{note_id}")
def get_note(note_id: int, user: OptionalUser, db: DbDep) -> NoteOut:
    """One note with its products, photos and counts; a signed-in read is logged as a view."""
    with db.read() as session:
        out = _view(session, note_id, user)
    if user is not None:
        with db.write() as session:
            notes.record_view(session, note_id, user)
    return out


@router.patch("/notes/{note_id}")
def update_note(note_id: int, body: NotePatch, user: CurrentUser, db: DbDep) -> NoteOut:
    """Change a note you wrote; only the fields sent change."""
    sent: dict[str, Any] = {name: getattr(body, name) for name in body.model_fields_set}
    with db.write() as session:
        notes.update_note(session, user, note_id, **sent)
        trust.note_created(session, note_id)
        return _view(session, note_id, user)


@router.delete("/notes/{note_id}", status_code=204)
def delete_note(note_id: int, user: CurrentUser, db: DbDep) -> None:
    """Delete a note you wrote."""
    with db.write() as session:
        notes.delete_note(session, user, note_id)


# -- photos ----------------------------------------------------------------------------------


@router.post("/notes/{note_id}/photos", status_code=201)
def upload_photo(
    note_id: int, file: UploadFile, user: CurrentUser, db: DbDep, settings: SettingsDep
) -> PhotoOut:
    """Add a JPEG, PNG or WebP photo to a note you wrote (multipart field 'file')."""
    # Read one byte past the limit: enough to know it is too large without holding a huge upload.
    data = file.file.read(settings.max_upload_bytes + 1)
    with db.write() as session:
        photo = photos.add_photo(session, user, note_id, data, settings.media_dir, settings.max_upload_bytes)
        return photo_out(photo)


@router.delete("/notes/{note_id}/photos/{photo_id}", status_code=204)
def delete_photo(note_id: int, photo_id: int, user: CurrentUser, db: DbDep, settings: SettingsDep) -> None:
    """Remove a photo from a note you wrote."""
    with db.write() as session:
        photos.remove_photo(session, user, note_id, photo_id, settings.media_dir)


# -- comments --------------------------------------------------------------------------------


def _comment_out(comment: Comment, author: User) -> CommentOut:
    return CommentOut(
        id=comment.id,
        note_id=comment.note_id,
        author=user_brief(author),
        body=comment.body,
        created_at=comment.created_at,
    )


@router.post("/notes/{note_id}/comments", status_code=201)
def add_comment(note_id: int, body: CommentIn, user: CurrentUser, db: DbDep) -> CommentOut:
    """Comment on a note."""
    with db.write() as session:
        return _comment_out(engagement.add_comment(session, user, note_id, body.body), user)


@router.get("/notes/{note_id}/comments")
def list_comments(
    note_id: int, user: OptionalUser, db: DbDep, limit: int = 20, cursor: str | None = None
) -> CommentPageOut:
    """Comments on a note, newest first."""
    with db.read() as session:
        found = engagement.list_comments(session, note_id, user, limit=limit, cursor=cursor)
        items = [_comment_out(c, found.authors[c.author_id]) for c in found.items]
        return CommentPageOut(items=items, next_cursor=found.next_cursor)


@router.delete("/comments/{comment_id}", status_code=204)
def delete_comment(comment_id: int, user: CurrentUser, db: DbDep) -> None:
    """Delete a comment (yours, on your note, or as a moderator)."""
    with db.write() as session:
        engagement.delete_comment(session, user, comment_id)


# -- reactions -------------------------------------------------------------------------------


@router.post("/notes/{note_id}/reactions")
def react(note_id: int, body: ReactionIn, user: CurrentUser, db: DbDep) -> ReactionOut:
    """Like or save a note; doing it twice is one reaction."""
    with db.write() as session:
        return ReactionOut(**vars(engagement.react(session, user, note_id, body.kind)))


@router.delete("/notes/{note_id}/reactions/{kind}")
def unreact(note_id: int, kind: str, user: CurrentUser, db: DbDep) -> ReactionOut:
    """Take back a like or save."""
    with db.write() as session:
        return ReactionOut(**vars(engagement.unreact(session, user, note_id, kind)))


__all__ = ["NoteCard", "NoteOut", "note_card", "note_cards", "note_out", "router"]
