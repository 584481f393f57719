"""Friendly HTML error pages for everything outside /api/ (which keeps problem+json)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from nichely.accounts.models import User
from nichely.errors import NichelyError
from nichely.web.deps import optional_user
from nichely.web.i18n import N_
from nichely.web.pages.rendering import Page, login_url

TITLES = {
    400: N_("Something is wrong with that request"),
    401: N_("Please log in"),
    403: N_("You may not do that"),
    404: N_("We could not find that page"),
    405: N_("That does not work here"),
    409: N_("That clashes with something else"),
    422: N_("Please check what you entered"),
    500: N_("Something went wrong on our side"),
}
HINTS = {
    403: N_("If you were filling in a form, reload the page and try again."),
    404: N_("It may have been removed, hidden by a moderator, or never existed."),
}


def is_page_request(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def _visitor(request: Request) -> User | None:
    try:
        return optional_user(request)
    except NichelyError:
        # A bad bearer token on a page is not worth a second error; show the page anonymously.
        return None


def error_page(request: Request, status: int, detail: str) -> Response:
    """The error as a page in the visitor's language; a visitor who must log in is sent to log in."""
    page = Page(request, _visitor(request))
    if status == 401:
        return page.redirect(login_url(request))
    title = page.gettext(TITLES.get(status, TITLES[400] if status < 500 else TITLES[500]))
    hint = page.gettext(HINTS[status]) if status in HINTS else ""
    # gettext("") would return the catalogue's header, so an empty detail stays empty.
    detail = page.gettext(detail) if detail else ""
    if page.is_htmx:
        # A fragment for the htmx error target; the full page would nest inside the current one.
        return page.render("_error_fragment.html", status=status, title=title, detail=detail)
    return page.render("error.html", status=status, title=title, detail=detail, hint=hint, status_code=status)
