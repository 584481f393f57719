"""The home page and the language switch."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from nichely.community import service as community
from nichely.errors import NotFound
from nichely.web import i18n
from nichely.web.deps import DbDep
from nichely.web.pages.cards import note_cards
from nichely.web.pages.rendering import PageDep, safe_next

router = APIRouter()
HOME_NOTES = 24


@router.get("/")
def home(page: PageDep, db: DbDep, cursor: str | None = None) -> Response:
    """Latest notes as a card grid; a logged-in person's home is their feed."""
    if page.user is not None and cursor is None:
        return page.redirect("/feed")
    with db.read() as session:
        notes = community.list_notes(session, limit=HOME_NOTES, cursor=cursor)
        cards = note_cards(session, notes.items, notes.authors)
    return page.render("home.html", cards=cards, next_cursor=notes.next_cursor)


@router.get("/lang/{code}")
def choose_language(code: str, page: PageDep, next: str | None = None) -> Response:
    """Remember the chosen interface language for a year and go back where the visitor was."""
    if code not in i18n.LANGUAGES:
        raise NotFound(f"unknown language {code!r}")
    response = page.redirect(safe_next(next))
    response.set_cookie(
        i18n.LANG_COOKIE, code, max_age=365 * 86400, samesite="lax", secure=page.request.url.scheme == "https"
    )
    return response
