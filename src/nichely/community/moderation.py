"""Reports and moderation: anyone may report a note; moderators hide or restore it, on the record.

Every decision writes a ModerationAction row (who, what, why) in the same transaction as the
change, so the audit log cannot disagree with what happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.community.models import ModerationAction, Note, Report
from nichely.community.service import check_text, clean_text, recount_products_of, require_visible_note
from nichely.errors import Conflict, Forbidden, InvalidInput, NotFound
from nichely.search import index as search_index
from nichely.storage.ids import get_by_id
from nichely.storage.pagination import page

MAX_REASON = 2000


@dataclass
class QueueEntry:
    """An open report with the note it is about and who is involved."""

    report: Report
    note: Note
    reporter: User
    author: User


@dataclass
class QueuePage:
    items: list[QueueEntry]
    next_cursor: str | None


@dataclass
class LogPage:
    items: list[ModerationAction]
    moderators: dict[int, User]
    next_cursor: str | None


def _check_reason(reason: str, *, required: bool = True) -> str:
    if required:
        return check_text(reason, "reason", MAX_REASON)
    reason = clean_text(reason) if isinstance(reason, str) else ""
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"reason must have at most {MAX_REASON} characters", field="reason")
    return reason


def _require_moderator(user: User) -> None:
    if not user.has_role("moderator"):
        raise Forbidden("only moderators may do this")


def report_note(session: Session, reporter: User, note_id: int, reason: str) -> Report:
    """Flag a published note for moderators; a second report by the same person returns the first."""
    reason = _check_reason(reason)
    note = require_visible_note(session, note_id, reporter)
    if note.status != "published":
        raise NotFound(f"note {note_id} is not published")
    existing = session.scalar(
        select(Report).where(
            Report.note_id == note_id, Report.reporter_id == reporter.id, Report.status == "open"
        )
    )
    if existing is not None:
        return existing
    report = Report(reporter_id=reporter.id, note_id=note_id, reason=reason, status="open")
    session.add(report)
    session.flush()
    return report


def moderation_queue(
    session: Session, moderator: User, *, limit: int = 20, cursor: str | None = None
) -> QueuePage:
    """Open reports, newest first, each with its note, reporter and the note's author."""
    _require_moderator(moderator)
    reports, next_cursor = page(
        session, select(Report).where(Report.status == "open"), Report.id, limit, cursor
    )
    notes = {n.id: n for n in session.scalars(select(Note).where(Note.id.in_({r.note_id for r in reports})))}
    people_ids = {r.reporter_id for r in reports} | {n.author_id for n in notes.values()}
    people = {u.id: u for u in session.scalars(select(User).where(User.id.in_(people_ids)))}
    items = [
        QueueEntry(r, notes[r.note_id], people[r.reporter_id], people[notes[r.note_id].author_id])
        for r in reports
    ]
    return QueuePage(items, next_cursor)


def _resolve_reports(session: Session, note_id: int) -> int:
    return session.execute(
        update(Report).where(Report.note_id == note_id, Report.status == "open").values(status="resolved")
    ).rowcount  # type: ignore[attr-defined]


def _act(session: Session, moderator: User, note: Note, action: str, reason: str) -> ModerationAction:
    entry = ModerationAction(
        moderator_id=moderator.id, note_id=note.id, user_id=note.author_id, action=action, reason=reason
    )
    session.add(entry)
    session.flush()
    return entry


def _move_note(
    session: Session, moderator: User, note_id: int, reason: str, *, source: str, target: str, action: str
) -> ModerationAction:
    """Move a note from `source` to `target` status, refresh what depends on it, log the decision."""
    _require_moderator(moderator)
    reason = _check_reason(reason)
    note = get_by_id(session, Note, note_id)
    if note is None:
        raise NotFound(f"note {note_id} does not exist")
    if note.status != source:
        raise Conflict(f"note {note_id} is {note.status}, not {source}")
    note.status = target
    session.flush()
    recount_products_of(session, note)
    search_index.index_note(session, note.id)
    _resolve_reports(session, note_id)
    return _act(session, moderator, note, action, reason)


def hide_note(session: Session, moderator: User, note_id: int, reason: str) -> ModerationAction:
    """Take a published note out of public view and resolve its open reports."""
    return _move_note(
        session, moderator, note_id, reason, source="published", target="hidden", action="hide_note"
    )


def restore_note(session: Session, moderator: User, note_id: int, reason: str) -> ModerationAction:
    """Put a hidden note back in public view and resolve its open reports.

    Only hidden notes come back: a deleted note was its author's choice."""
    return _move_note(
        session, moderator, note_id, reason, source="hidden", target="published", action="restore_note"
    )


def dismiss_report(session: Session, moderator: User, report_id: int, reason: str = "") -> ModerationAction:
    """Close a report without acting on its note."""
    _require_moderator(moderator)
    reason = _check_reason(reason, required=False)
    report = get_by_id(session, Report, report_id)
    if report is None:
        raise NotFound(f"report {report_id} does not exist")
    if report.status != "open":
        raise Conflict(f"report {report_id} is already {report.status}")
    report.status = "dismissed"
    note = session.get(Note, report.note_id)
    assert note is not None
    return _act(session, moderator, note, "dismiss_report", reason or f"report {report_id} dismissed")


def moderation_log(
    session: Session, moderator: User, *, limit: int = 20, cursor: str | None = None
) -> LogPage:
    """Every moderator decision, newest first."""
    _require_moderator(moderator)
    actions, next_cursor = page(session, select(ModerationAction), ModerationAction.id, limit, cursor)
    ids = {a.moderator_id for a in actions}
    moderators = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return LogPage(actions, moderators, next_cursor)
