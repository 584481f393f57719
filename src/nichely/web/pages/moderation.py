"""The moderators' page: open reports with hide / restore / dismiss, and the decisions log."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from nichely.accounts.models import User
from nichely.community import moderation
from nichely.errors import NichelyError
from nichely.storage.engine import Database
from nichely.web.deps import DbDep, ModeratorUser
from nichely.web.i18n import N_
from nichely.web.pages.forms import FormDep, message, text, whole_number
from nichely.web.pages.rendering import Page, PageDep

router = APIRouter()
QUEUE_SIZE = 50
LOG_SIZE = 20
NOTE_STATUSES = [N_("published"), N_("hidden"), N_("deleted")]
ACTIONS = {"hide": moderation.hide_note, "restore": moderation.restore_note}


def _render(
    page: Page,
    db: Database,
    moderator: User,
    error: str | None = None,
    status: int = 200,
    cursor: str | None = None,
) -> Response:
    with db.read() as session:
        queue = moderation.moderation_queue(session, moderator, limit=QUEUE_SIZE, cursor=cursor)
        log = moderation.moderation_log(session, moderator, limit=LOG_SIZE)
        return page.render("moderation.html", status=status, queue=queue, log=log, error=error)


@router.get("/moderation")
def moderation_page(
    page: PageDep, db: DbDep, moderator: ModeratorUser, cursor: str | None = None
) -> Response:
    return _render(page, db, moderator, cursor=cursor)


@router.post("/moderation/notes/{note_id}/{action}")
def act_on_note(
    note_id: int, action: str, page: PageDep, db: DbDep, moderator: ModeratorUser, data: FormDep
) -> Response:
    """Hide or restore a note, with the reason the moderator gives (kept in the log)."""
    try:
        if action not in ACTIONS:
            raise NichelyError(f"unknown action {action!r}; choose from {sorted(ACTIONS)}")
        with db.write() as session:
            ACTIONS[action](session, moderator, note_id, text(data, "reason"))
    except NichelyError as exc:
        if exc.status == 404:
            raise
        return _render(page, db, moderator, error=message(page.gettext, exc), status=exc.status)
    return page.redirect("/moderation")


@router.post("/moderation/reports/{report_id}/dismiss")
def dismiss(report_id: int, page: PageDep, db: DbDep, moderator: ModeratorUser, data: FormDep) -> Response:
    try:
        with db.write() as session:
            moderation.dismiss_report(session, moderator, report_id, text(data, "reason"))
    except NichelyError as exc:
        if exc.status == 404:
            raise
        return _render(page, db, moderator, error=message(page.gettext, exc), status=exc.status)
    return page.redirect("/moderation")


@router.post("/moderation/restore")
def restore_by_id(page: PageDep, db: DbDep, moderator: ModeratorUser, data: FormDep) -> Response:
    """Restore a hidden note by its number (hidden notes leave the queue once hidden)."""
    try:
        note_id = whole_number(text(data, "note_id"), "note_id")
        with db.write() as session:
            moderation.restore_note(session, moderator, note_id, text(data, "reason"))
    except NichelyError as exc:
        return _render(page, db, moderator, error=message(page.gettext, exc), status=exc.status)
    return page.redirect("/moderation")
