"""The moderators' page: reports and automatic trust flags with scores and reasons (riskiest
first, or newest first), decisions (clear, hide, restore, warn, points), flagged accounts, appeals,
and the decisions log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from nichely.accounts.models import User
from nichely.community import moderation
from nichely.errors import NichelyError, NotFound
from nichely.storage.engine import Database
from nichely.trust import review
from nichely.web.deps import DbDep, ModeratorUser
from nichely.web.i18n import N_
from nichely.web.pages.forms import FormDep, message, text, whole_number
from nichely.web.pages.rendering import Page, PageDep, safe_next

router = APIRouter()
QUEUE_SIZE = 50
LOG_SIZE = 20
NOTE_STATUSES = [N_("published"), N_("hidden"), N_("deleted")]
FLAG_KINDS = [N_("undisclosed_ad"), N_("near_duplicate"), N_("ring")]
# The queue's orders as the page names them (trust.review.QUEUE_SORTS holds the same keys).
QUEUE_SORTS = {"risk": N_("Riskiest first"), "newest": N_("Newest first")}
# Appealable decisions as the appeals list names them.
DECISION_LABELS = {"hide_note": N_("Note hidden"), "warn": N_("Warning")}
APPEAL_DECISIONS = {"accept": True, "reject": False}
ACTIONS: dict[str, Callable[..., Any]] = {
    "hide": review.hide_note,
    "restore": review.restore_note,
    "clear": review.clear_note,
}


def _points(data: Any, default: float) -> float:
    raw = text(data, "points")
    try:
        return float(raw) if raw else default
    except ValueError:
        raise NichelyError("points must be a number") from None


def _render(
    page: Page,
    db: Database,
    moderator: User,
    error: str | None = None,
    status: int = 200,
    cursor: str | None = None,
    sort: str = "risk",
) -> Response:
    with db.read() as session:
        queue = review.review_queue(session, moderator, limit=QUEUE_SIZE, cursor=cursor, sort=sort)
        appeals = review.list_appeals(session, moderator, limit=QUEUE_SIZE)
        log = moderation.moderation_log(session, moderator, limit=LOG_SIZE)
        return page.render(
            "moderation.html",
            status=status,
            queue=queue,
            sort=sort,
            sorts=QUEUE_SORTS,
            decision_labels=DECISION_LABELS,
            appeals=appeals,
            log=log,
            error=error,
        )


def _back(data: Any) -> str:
    """Where a decision returns to: the queue as the moderator had it (its order and page)."""
    target = safe_next(text(data, "next"), "/moderation")
    return target if target == "/moderation" or target.startswith("/moderation?") else "/moderation"


def _decide(
    page: Page, db: Database, moderator: User, act: Callable[[Any], Any], back: str = "/moderation"
) -> Response:
    """Run one decision in a write transaction; a refused one re-renders the page with the reason."""
    try:
        with db.write() as session:
            act(session)
    except NichelyError as exc:
        if exc.status == 404:
            raise
        return _render(page, db, moderator, error=message(page.gettext, exc), status=exc.status)
    return page.redirect(back)


@router.get("/moderation")
def moderation_page(
    page: PageDep, db: DbDep, moderator: ModeratorUser, cursor: str | None = None, sort: str = "risk"
) -> Response:
    """The queue riskiest first (or `?sort=newest`), open appeals, and the latest decisions."""
    return _render(page, db, moderator, cursor=cursor, sort=sort)


@router.post("/moderation/notes/{note_id}/{action}")
def act_on_note(
    note_id: int, action: str, page: PageDep, db: DbDep, moderator: ModeratorUser, data: FormDep
) -> Response:
    """Hide, restore or clear a note, with the reason the moderator gives (kept in the log)."""
    if action not in ACTIONS:
        error = NichelyError(f"unknown action {action!r}; choose from {sorted(ACTIONS)}")
        return _render(page, db, moderator, error=message(page.gettext, error), status=error.status)
    reason = text(data, "reason")
    if action == "hide":
        return _decide(
            page,
            db,
            moderator,
            lambda s: review.hide_note(s, moderator, note_id, reason, _points(data, review.HIDE_POINTS)),
            back=_back(data),
        )
    return _decide(
        page, db, moderator, lambda s: ACTIONS[action](s, moderator, note_id, reason), back=_back(data)
    )


@router.post("/moderation/users/{user_id}/warn")
def warn(user_id: int, page: PageDep, db: DbDep, moderator: ModeratorUser, data: FormDep) -> Response:
    note = text(data, "note_id")
    return _decide(
        page,
        db,
        moderator,
        lambda s: review.warn(
            s,
            moderator,
            user_id,
            text(data, "reason"),
            note_id=whole_number(note, "note_id") if note else None,
            points=_points(data, review.WARN_POINTS),
        ),
        back=_back(data),
    )


@router.post("/moderation/users/{user_id}/points")
def add_points(user_id: int, page: PageDep, db: DbDep, moderator: ModeratorUser, data: FormDep) -> Response:
    return _decide(
        page,
        db,
        moderator,
        lambda s: review.add_points(s, moderator, user_id, _points(data, 0.0), text(data, "reason")),
        back=_back(data),
    )


@router.post("/moderation/users/{user_id}/clear")
def clear_account(
    user_id: int, page: PageDep, db: DbDep, moderator: ModeratorUser, data: FormDep
) -> Response:
    return _decide(
        page,
        db,
        moderator,
        lambda s: review.clear_account(s, moderator, user_id, text(data, "reason")),
        back=_back(data),
    )


@router.post("/moderation/appeals/{appeal_id}/{decision}")
def decide_appeal(
    appeal_id: int, decision: str, page: PageDep, db: DbDep, moderator: ModeratorUser, data: FormDep
) -> Response:
    if decision not in APPEAL_DECISIONS:
        raise NotFound(f"unknown decision {decision!r}; choose from {sorted(APPEAL_DECISIONS)}")
    accept = APPEAL_DECISIONS[decision]
    return _decide(
        page,
        db,
        moderator,
        lambda s: review.decide_appeal(s, moderator, appeal_id, accept, text(data, "reason")),
        back=_back(data),
    )


@router.post("/moderation/reports/{report_id}/dismiss")
def dismiss(report_id: int, page: PageDep, db: DbDep, moderator: ModeratorUser, data: FormDep) -> Response:
    return _decide(
        page,
        db,
        moderator,
        lambda s: moderation.dismiss_report(s, moderator, report_id, text(data, "reason")),
        back=_back(data),
    )


@router.post("/moderation/restore")
def restore_by_id(page: PageDep, db: DbDep, moderator: ModeratorUser, data: FormDep) -> Response:
    """Restore a hidden note by its number (hidden notes leave the queue once hidden)."""
    try:
        note_id = whole_number(text(data, "note_id"), "note_id")
        with db.write() as session:
            review.restore_note(session, moderator, note_id, text(data, "reason"))
    except NichelyError as exc:
        return _render(page, db, moderator, error=message(page.gettext, exc), status=exc.status)
    return page.redirect(_back(data))
