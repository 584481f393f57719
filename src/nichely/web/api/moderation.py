"""Reports (anyone signed in), appeals (authors), and the moderators' queue, decisions and audit log.

The queue holds reports and automatic trust flags together, with trust scores and their reasons.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from nichely.community import moderation
from nichely.community.models import ModerationAction, Report
from nichely.errors import NotFound
from nichely.trust import review
from nichely.trust import service as trust
from nichely.trust.models import Appeal, TrustFlag, TrustScore
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


class QueueReport(ReportOut):
    reporter: UserBrief


class FlagOut(BaseModel):
    id: int
    kind: str
    score: float
    reasons: list[str]
    group_key: str | None
    status: str
    created_at: datetime


class TrustOut(BaseModel):
    score: float
    reasons: list[str]
    computed_at: datetime


class QueueItem(BaseModel):
    note: NoteBrief
    note_status: str
    trust: TrustOut | None
    author_trust: TrustOut | None
    reports: list[QueueReport]
    flags: list[FlagOut]


class AccountOut(BaseModel):
    user: UserBrief
    status: str
    violation_points: float
    trust: TrustOut | None
    flags: list[FlagOut]


class QueueOut(BaseModel):
    items: list[QueueItem]
    accounts: list[AccountOut]
    next_cursor: str | None


class HideIn(ReasonIn):
    points: float = Field(default=review.HIDE_POINTS, ge=0, le=review.MAX_POINTS, allow_inf_nan=False)


class WarnIn(ReasonIn):
    note_id: int | None = None
    points: float = Field(default=review.WARN_POINTS, ge=0, le=review.MAX_POINTS, allow_inf_nan=False)


class PointsIn(ReasonIn):
    points: float = Field(gt=0, le=review.MAX_POINTS, allow_inf_nan=False)


class AppealOut(BaseModel):
    id: int
    note_id: int | None
    user_id: int
    action_id: int
    reason: str
    status: str
    decision_reason: str
    created_at: datetime
    decided_at: datetime | None


class AppealItem(AppealOut):
    author: UserBrief
    action: str
    action_reason: str
    note_title: str | None
    note_status: str | None


class AppealsOut(BaseModel):
    items: list[AppealItem]
    next_cursor: str | None


class DecisionOut(BaseModel):
    """A hide or warning as its author sees it (the moderator is not named)."""

    action_id: int
    action: str
    reason: str
    created_at: datetime
    note_id: int | None
    note_title: str | None
    note_status: str | None
    appeal: AppealOut | None
    can_appeal: bool


class DecisionsOut(BaseModel):
    items: list[DecisionOut]
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
        report = moderation.report_note(session, user, note_id, body.reason)
        trust.note_changed(session, note_id)
        return _report_out(report)


def _flag_out(flag: TrustFlag) -> FlagOut:
    return FlagOut(
        id=flag.id,
        kind=flag.kind,
        score=flag.score,
        reasons=list(flag.reasons),
        group_key=flag.group_key,
        status=flag.status,
        created_at=flag.created_at,
    )


def _trust_out(score: TrustScore | None) -> TrustOut | None:
    if score is None:
        return None
    return TrustOut(score=score.score, reasons=list(score.reasons), computed_at=score.computed_at)


def _appeal_out(appeal: Appeal) -> AppealOut:
    return AppealOut(
        id=appeal.id,
        note_id=appeal.note_id,
        user_id=appeal.user_id,
        action_id=appeal.action_id,
        reason=appeal.reason,
        status=appeal.status,
        decision_reason=appeal.decision_reason,
        created_at=appeal.created_at,
        decided_at=appeal.decided_at,
    )


@router.get("/moderation/queue")
def queue(
    user: ModeratorUser, db: DbDep, limit: int = 20, cursor: str | None = None, sort: str = "risk"
) -> QueueOut:
    """Notes with open reports or automatic flags, with trust scores and reasons: riskiest first
    (lowest trust, then most open reports, then newest), or newest first with `sort=newest`;
    flagged accounts (rings) on the first page."""
    with db.read() as session:
        found = review.review_queue(session, user, limit=limit, cursor=cursor, sort=sort)
        items = [
            QueueItem(
                note=note_brief(e.note, e.author),
                note_status=e.note.status,
                trust=_trust_out(e.trust),
                author_trust=_trust_out(e.author_trust),
                reports=[
                    QueueReport(
                        **_report_out(r).model_dump(), reporter=user_brief(e.reporters[r.reporter_id])
                    )
                    for r in e.reports
                ],
                flags=[_flag_out(f) for f in e.flags],
            )
            for e in found.items
        ]
        accounts = [
            AccountOut(
                user=user_brief(a.user),
                status=a.user.status,
                violation_points=a.points,
                trust=_trust_out(a.trust),
                flags=[_flag_out(f) for f in a.flags],
            )
            for a in found.accounts
        ]
        return QueueOut(items=items, accounts=accounts, next_cursor=found.next_cursor)


@router.post("/moderation/notes/{note_id}/hide")
def hide_note(note_id: int, body: HideIn, user: ModeratorUser, db: DbDep) -> ActionOut:
    """Hide a note from everyone but its author, resolving its reports and flags; the author gets
    `points` violation points (2 unless given)."""
    with db.write() as session:
        return _action_out(review.hide_note(session, user, note_id, body.reason, body.points))


@router.post("/moderation/notes/{note_id}/restore")
def restore_note(note_id: int, body: ReasonIn, user: ModeratorUser, db: DbDep) -> ActionOut:
    """Put a hidden note back, resolving its open reports."""
    with db.write() as session:
        return _action_out(review.restore_note(session, user, note_id, body.reason))


@router.post("/moderation/notes/{note_id}/clear")
def clear_note(note_id: int, body: ReasonIn, user: ModeratorUser, db: DbDep) -> ActionOut:
    """The note is fine: clear its automatic flags and dismiss its open reports."""
    with db.write() as session:
        return _action_out(review.clear_note(session, user, note_id, body.reason))


@router.post("/moderation/users/{user_id}/warn")
def warn_user(user_id: int, body: WarnIn, user: ModeratorUser, db: DbDep) -> ActionOut:
    """Warn a person (about one of their notes, if note_id is given), with violation points."""
    with db.write() as session:
        return _action_out(
            review.warn(session, user, user_id, body.reason, note_id=body.note_id, points=body.points)
        )


@router.post("/moderation/users/{user_id}/points")
def add_points(user_id: int, body: PointsIn, user: ModeratorUser, db: DbDep) -> ActionOut:
    """Give violation points: they lower the person's trust (and reach) and suspend at 10."""
    with db.write() as session:
        return _action_out(review.add_points(session, user, user_id, body.points, body.reason))


@router.post("/moderation/users/{user_id}/clear")
def clear_account(user_id: int, body: ReasonIn, user: ModeratorUser, db: DbDep) -> ActionOut:
    """The account's own flags (ring membership) were wrong: clear them."""
    with db.write() as session:
        return _action_out(review.clear_account(session, user, user_id, body.reason))


@router.post("/notes/{note_id}/appeal", status_code=201)
def appeal(note_id: int, body: ReasonIn, user: CurrentUser, db: DbDep) -> AppealOut:
    """Appeal the latest hide or warning on a note you wrote."""
    with db.write() as session:
        return _appeal_out(review.appeal(session, user, note_id, body.reason))


@router.get("/me/decisions")
def my_decisions(user: CurrentUser, db: DbDep, limit: int = 20, cursor: str | None = None) -> DecisionsOut:
    """Hides and warnings you were given about your notes, newest first, each with your appeal
    (status and the moderator's answer) and whether you may appeal it now."""
    with db.read() as session:
        found = review.my_decisions(session, user, limit=limit, cursor=cursor)
        return DecisionsOut(
            items=[
                DecisionOut(
                    action_id=d.action.id,
                    action=d.action.action,
                    reason=d.action.reason,
                    created_at=d.action.created_at,
                    note_id=d.action.note_id,
                    note_title=d.note.title if d.note else None,
                    note_status=d.note.status if d.note else None,
                    appeal=_appeal_out(d.appeal) if d.appeal else None,
                    can_appeal=d.can_appeal,
                )
                for d in found.items
            ],
            next_cursor=found.next_cursor,
        )


@router.get("/moderation/appeals")
def appeals(
    user: ModeratorUser, db: DbDep, status: str = "open", limit: int = 20, cursor: str | None = None
) -> AppealsOut:
    """Appeals in one status (open by default), newest first."""
    with db.read() as session:
        found = review.list_appeals(session, user, status=status, limit=limit, cursor=cursor)
        items = [
            AppealItem(
                **_appeal_out(a.appeal).model_dump(),
                author=user_brief(a.author),
                action=a.action.action,
                action_reason=a.action.reason,
                note_title=a.note.title if a.note else None,
                note_status=a.note.status if a.note else None,
            )
            for a in found.items
        ]
        return AppealsOut(items=items, next_cursor=found.next_cursor)


@router.post("/moderation/appeals/{appeal_id}/{decision}")
def decide_appeal(appeal_id: int, decision: str, body: ReasonIn, user: ModeratorUser, db: DbDep) -> ActionOut:
    """Accept (restore the note, void the points) or reject an appeal."""
    decisions = {"accept": True, "reject": False}
    if decision not in decisions:
        raise NotFound(f"unknown decision {decision!r}; choose from {sorted(decisions)}")
    with db.write() as session:
        return _action_out(review.decide_appeal(session, user, appeal_id, decisions[decision], body.reason))


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
