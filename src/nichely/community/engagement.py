"""Rules for how people respond to notes: comments and reactions (like, save).

Counters on the note change with `UPDATE ... SET x = x + 1` in the same transaction as the row
they count, so concurrent reactions never lose an increment and a count never drifts from its rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.activity.service import record_event
from nichely.community.models import REACTIONS, Comment, Note, Reaction
from nichely.community.service import check_text, require_visible_note
from nichely.errors import Forbidden, InvalidInput, NotFound
from nichely.storage.ids import get_by_id
from nichely.storage.pagination import page

MAX_COMMENT = 2000
_COUNTERS = {"like": Note.like_count, "save": Note.save_count}


@dataclass
class CommentPage:
    """One page of comments with their authors."""

    items: list[Comment]
    authors: dict[int, User]
    next_cursor: str | None


@dataclass
class ReactionState:
    """Where a note's reactions stand after a change, and whether the change did anything."""

    note_id: int
    kind: str
    changed: bool
    like_count: int
    save_count: int


def _published(session: Session, note_id: int, user: User | None) -> Note:
    note = require_visible_note(session, note_id, user)
    if note.status != "published":
        # Authors and moderators may read a hidden note, but it takes no new engagement.
        raise NotFound(f"note {note_id} is not published")
    return note


# -- comments --------------------------------------------------------------------------------


def add_comment(session: Session, user: User, note_id: int, body: str) -> Comment:
    """Comment on a published note."""
    body = check_text(body, "body", MAX_COMMENT)
    _published(session, note_id, user)
    comment = Comment(note_id=note_id, author_id=user.id, body=body, status="published")
    session.add(comment)
    session.execute(
        update(Note)
        .where(Note.id == note_id)
        .values(comment_count=Note.comment_count + 1, updated_at=Note.updated_at)
    )
    session.flush()
    record_event(session, user.id, "comment", "note", note_id, {"comment_id": comment.id})
    return comment


def list_comments(
    session: Session, note_id: int, viewer: User | None, *, limit: int = 20, cursor: str | None = None
) -> CommentPage:
    """Published comments on a note the viewer may see, newest first."""
    require_visible_note(session, note_id, viewer)
    stmt = select(Comment).where(Comment.note_id == note_id, Comment.status == "published")
    comments, next_cursor = page(session, stmt, Comment.id, limit, cursor)
    ids = {c.author_id for c in comments}
    authors = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return CommentPage(items=comments, authors=authors, next_cursor=next_cursor)


def delete_comment(session: Session, user: User, comment_id: int) -> None:
    """Remove a comment: its author, the note's author or a moderator may."""
    comment = get_by_id(session, Comment, comment_id)
    if comment is None or comment.status != "published":
        raise NotFound(f"comment {comment_id} does not exist")
    note_author = session.scalar(select(Note.author_id).where(Note.id == comment.note_id))
    if user.id not in (comment.author_id, note_author) and not user.has_role("moderator"):
        raise Forbidden("only the comment's author, the note's author or a moderator may delete it")
    comment.status = "deleted"
    session.execute(
        update(Note)
        .where(Note.id == comment.note_id)
        .values(comment_count=Note.comment_count - 1, updated_at=Note.updated_at)
    )
    session.flush()


# -- reactions -------------------------------------------------------------------------------


def _check_kind(kind: str) -> None:
    if kind not in REACTIONS:
        raise InvalidInput(f"kind must be one of {list(REACTIONS)}, got {kind!r}", field="kind")


def _state(session: Session, note_id: int, kind: str, changed: bool) -> ReactionState:
    row = session.execute(select(Note.like_count, Note.save_count).where(Note.id == note_id)).one()
    return ReactionState(note_id, kind, changed, row.like_count, row.save_count)


def react(session: Session, user: User, note_id: int, kind: str) -> ReactionState:
    """Like or save a note; doing it twice is still one reaction."""
    _check_kind(kind)
    _published(session, note_id, user)
    if session.get(Reaction, (user.id, note_id, kind)) is not None:
        return _state(session, note_id, kind, changed=False)
    try:
        # A savepoint, so a concurrent identical reaction loses cleanly instead of failing the request.
        with session.begin_nested():
            session.add(Reaction(user_id=user.id, note_id=note_id, kind=kind))
    except IntegrityError:
        return _state(session, note_id, kind, changed=False)
    counter = _COUNTERS[kind]
    session.execute(
        update(Note)
        .where(Note.id == note_id)
        .values({counter: counter + 1, Note.updated_at: Note.updated_at})
    )
    record_event(session, user.id, kind, "note", note_id)
    session.flush()
    return _state(session, note_id, kind, changed=True)


def unreact(session: Session, user: User, note_id: int, kind: str) -> ReactionState:
    """Take back a like or save; taking back one that is not there changes nothing."""
    _check_kind(kind)
    require_visible_note(session, note_id, user)
    removed = session.execute(
        delete(Reaction).where(
            Reaction.user_id == user.id, Reaction.note_id == note_id, Reaction.kind == kind
        )
    ).rowcount  # type: ignore[attr-defined]
    if removed:
        counter = _COUNTERS[kind]
        session.execute(
            update(Note)
            .where(Note.id == note_id)
            .values({counter: counter - 1, Note.updated_at: Note.updated_at})
        )
    session.flush()
    return _state(session, note_id, kind, changed=bool(removed))
