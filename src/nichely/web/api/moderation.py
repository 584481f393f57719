"""Reports (anyone signed in) and the moderators' queue, decisions and audit log."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from nichely.community import moderation
from nichely.community.models import ModerationAction, Report
from nichely.web.deps import CurrentUser, DbDep, ModeratorUser
from nichely.web.schemas import NoteBrief, UserBrief, note_brief, user_brief

router = APIRouter(tags=["moderation"])


class ReasonIn(BaseModel):
    reason: str = Field(max_length=10_000)


class OptionalReasonIn(BaseModel):
    reason: str = Field(default="", max_length=10_000)


class ReportOut(BaseModel):
    id: int
    note_id: int
    reporter_id: int
    reason: str
    status: str
    created_at: datetime


class QueueItem(ReportOut):
    reporter: UserBrief
    note: NoteBrief
    note_status: str


class QueueOut(BaseModel):
    items: list[QueueItem]
    next_cursor: str | None


class ActionOut(BaseModel):
    id: int
    moderator_id: int
    note_id: int | None
    user_id: int | None
    action: str
    reason: str
    created_at: datetime


class LogItem(ActionOut):
    moderator: UserBrief | None


class LogOut(BaseModel):
    items: list[LogItem]
    next_cursor: str | None


def _report_out(report: Report) -> ReportOut:
    return ReportOut(
        id=report.id,
        note_id=report.note_id,
        reporter_id=report.reporter_id,
        reason=report.reason,
        status=report.status,
        created_at=report.created_at,
    )


def _action_out(action: ModerationAction) -> ActionOut:
    return ActionOut(
        id=action.id,
        moderator_id=action.moderator_id,
        note_id=action.note_id,
        user_id=action.user_id,
        action=action.action,
        reason=action.reason,
        created_at=action.created_at,
    )


@router.post("/notes/{note_id}/report", status_code=201)
def report_note(note_id: int, body: ReasonIn, user: CurrentUser, db: DbDep) -> ReportOut:
    """Flag a note for moderators, saying why."""
    with db.write() as session:
        return _report_out(moderation.report_note(session, user, note_id, body.reason))


@router.get("/moderation/queue")
def queue(user: ModeratorUser, db: DbDep, limit: int = 20, cursor: str | None = None) -> QueueOut:
    """Open reports with their notes, newest first."""
    with db.read() as session:
        found = moderation.moderation_queue(session, user, limit=limit, cursor=cursor)
        items = [
            QueueItem(
                **_report_out(e.report).model_dump(),
                reporter=user_brief(e.reporter),
                note=note_brief(e.note, e.author),
                note_status=e.note.status,
            )
            for e in found.items
        ]
        return QueueOut(items=items, next_cursor=found.next_cursor)


@router.post("/moderation/notes/{note_id}/hide")
def hide_note(note_id: int, body: ReasonIn, user: ModeratorUser, db: DbDep) -> ActionOut:
    """Hide a note from everyone but its author, resolving its open reports."""
    with db.write() as session:
        return _action_out(moderation.hide_note(session, user, note_id, body.reason))


@router.post("/moderation/notes/{note_id}/restore")
def restore_note(note_id: int, body: ReasonIn, user: ModeratorUser, db: DbDep) -> ActionOut:
    """Put a hidden note back, resolving its open reports."""
    with db.write() as session:
        return _action_out(moderation.restore_note(session, user, note_id, body.reason))


@router.post("/moderation/reports/{report_id}/dismiss")
def dismiss_report(report_id: int, body: OptionalReasonIn, user: ModeratorUser, db: DbDep) -> ActionOut:
    """Close a report without acting on its note."""
    with db.write() as session:
        return _action_out(moderation.dismiss_report(session, user, report_id, body.reason))


@router.get("/moderation/log")
def log(user: ModeratorUser, db: DbDep, limit: int = 20, cursor: str | None = None) -> LogOut:
    """Every moderator decision, newest first."""
    with db.read() as session:
        found = moderation.moderation_log(session, user, limit=limit, cursor=cursor)
        items = [
            LogItem(
                **_action_out(a).model_dump(),
                moderator=user_brief(found.moderators[a.moderator_id])
                if a.moderator_id in found.moderators
                else None,
            )
            for a in found.items
        ]
        return LogOut(items=items, next_cursor=found.next_cursor)
