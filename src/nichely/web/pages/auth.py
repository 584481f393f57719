"""Sign-up, log-in and log-out with a session cookie."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from nichely.accounts import service as accounts
from nichely.errors import Conflict, NichelyError, NotAuthenticated
from nichely.settings import Settings
from nichely.storage.engine import Database
from nichely.web.deps import SESSION_COOKIE, DbDep, SettingsDep
from nichely.web.i18n import N_
from nichely.web.pages.forms import FormDep, message, text, texts
from nichely.web.pages.rendering import Page, PageDep, safe_next, set_session_cookie

router = APIRouter()

ROLE_CHOICES = [
    ("shopper", N_("shop and share what I bought")),
    ("creator", N_("write notes about things I use")),
    ("manager", N_("sell my own products")),
    ("buyer", N_("curate a storefront of others' products")),
]
# The account rules' own sentences, listed so the catalogues translate them.
MESSAGES = [
    N_("username must be 3-40 characters of a-z, 0-9 or _"),
    N_("password must have at least 8 characters"),
    N_("display_name must have 1-80 characters"),
    N_("wrong username or password"),
    N_("this account is suspended"),
]
USERNAME_TAKEN = N_("That username is taken; please choose another.")


def _role_choices(gettext: Callable[[str], str]) -> list[tuple[str, str]]:
    return [(value, gettext(label)) for value, label in ROLE_CHOICES]


def _start_session(
    page: Page, response: Response, db: Database, settings: Settings, user_id: int
) -> Response:
    """Give the browser a fresh session token; any token it held before is revoked."""
    old = page.request.cookies.get(SESSION_COOKIE)
    with db.write() as session:
        if old:
            accounts.revoke_token(session, old)
        user = accounts.require_user(session, user_id)
        token = accounts.issue_token(session, user, "session", settings.session_days)
    set_session_cookie(page.request, response, token, settings.session_days)
    return response


@router.get("/signup")
def signup_form(page: PageDep, next: str | None = None) -> Response:
    if page.user is not None:
        return page.redirect(safe_next(next))
    form = {"username": "", "display_name": "", "roles": ["shopper"]}
    return page.render(
        "signup.html", form=form, next=safe_next(next), role_choices=_role_choices(page.gettext), error=None
    )


@router.post("/signup")
def signup(page: PageDep, db: DbDep, settings: SettingsDep, data: FormDep) -> Response:
    roles = [r for r in texts(data, "roles") if r in accounts.SELF_SERVICE_ROLES] or ["shopper"]
    form: dict[str, Any] = {
        "username": text(data, "username"),
        "display_name": text(data, "display_name"),
        "roles": roles,
    }
    next_url = safe_next(text(data, "next"))
    try:
        with db.write() as session:
            user = accounts.create_user(
                session,
                username=form["username"],
                password=text(data, "password"),
                display_name=form["display_name"],
                roles=roles,
                languages=[page.lang],
            )
            user_id = user.id
    except NichelyError as exc:
        error = (
            page.gettext(USERNAME_TAKEN)
            if isinstance(exc, Conflict) and exc.extra.get("field") == "username"
            else message(page.gettext, exc)
        )
        return page.render(
            "signup.html",
            status=exc.status,
            form=form,
            next=next_url,
            role_choices=_role_choices(page.gettext),
            error=error,
        )
    # A new person picks interests first, so their first feed is about them.
    first_stop = "/onboarding" if next_url == "/" else next_url
    return _start_session(page, page.redirect(first_stop), db, settings, user_id)


@router.get("/login")
def login_form(page: PageDep, next: str | None = None) -> Response:
    if page.user is not None:
        return page.redirect(safe_next(next))
    return page.render("login.html", username="", next=safe_next(next), error=None)


@router.post("/login")
def login(page: PageDep, db: DbDep, settings: SettingsDep, data: FormDep) -> Response:
    username = text(data, "username")
    next_url = safe_next(text(data, "next"))
    try:
        with db.read() as session:
            user = accounts.authenticate(session, username, text(data, "password"))
    except NotAuthenticated as exc:
        return page.render(
            "login.html", status=401, username=username, next=next_url, error=message(page.gettext, exc)
        )
    return _start_session(page, page.redirect(next_url), db, settings, user.id)


@router.post("/logout")
def logout(page: PageDep, db: DbDep) -> Response:
    """End this browser's session (the token is revoked, not merely forgotten by the browser)."""
    token = page.request.cookies.get(SESSION_COOKIE)
    if token:
        with db.write() as session:
            accounts.revoke_token(session, token)
    response = page.redirect("/")
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax")
    return response
