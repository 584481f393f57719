"""Typed dependencies shared by API and pages: the store, the current person, CSRF."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from nichely.accounts import service as accounts
from nichely.accounts.models import User
from nichely.errors import Forbidden, NotAuthenticated
from nichely.settings import Settings
from nichely.storage.engine import Database

SESSION_COOKIE = "nichely_session"
ANON_COOKIE = "nichely_anon"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def read_session(db: DbDep) -> Iterator[Session]:
    with db.read() as session:
        yield session


ReadSession = Annotated[Session, Depends(read_session)]


def csrf_token_for(secret_key: str, session_secret: str) -> str:
    """The CSRF token bound to one browser session (or one anonymous visitor)."""
    return hmac.new(secret_key.encode(), session_secret.encode(), hashlib.sha256).hexdigest()[:40]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def _resolve_user(request: Request) -> tuple[User | None, str]:
    """Who is calling, and how: 'bearer', 'cookie' or 'anonymous'. Cached on the request."""
    if hasattr(request.state, "auth"):
        return request.state.auth
    db: Database = request.app.state.db
    result: tuple[User | None, str] = (None, "anonymous")
    token = _bearer(request)
    with db.read() as session:
        if token is not None:
            user = accounts.user_for_token(session, token, "api")
            if user is None:
                raise NotAuthenticated("the bearer token is unknown or expired")
            result = (user, "bearer")
        elif cookie := request.cookies.get(SESSION_COOKIE):
            user = accounts.user_for_token(session, cookie, "session")
            if user is not None:
                result = (user, "cookie")
    request.state.auth = result
    return result


async def check_csrf(request: Request) -> None:
    """Cookie-authenticated changes must carry the CSRF token; bearer calls cannot be forged cross-site."""
    if request.method in SAFE_METHODS:
        return
    if _bearer(request) is not None:
        return
    secret = request.cookies.get(SESSION_COOKIE) or request.cookies.get(ANON_COOKIE)
    if not secret:
        if request.url.path.startswith("/api/"):
            # A cookie-less API call carries no ambient authority to forge.
            return
        raise Forbidden("missing CSRF cookie; reload the page and try again")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    expected = csrf_token_for(request.app.state.settings.secret_key, secret)
    if not sent or not hmac.compare_digest(sent, expected):
        raise Forbidden("the CSRF token is missing or wrong; reload the page and try again")


def optional_user(request: Request) -> User | None:
    return _resolve_user(request)[0]


def required_user(request: Request) -> User:
    user = _resolve_user(request)[0]
    if user is None:
        raise NotAuthenticated("log in first")
    return user


def moderator_user(user: Annotated[User, Depends(required_user)]) -> User:
    if not (user.has_role("moderator")):
        raise Forbidden("only moderators may do this")
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(required_user)]
ModeratorUser = Annotated[User, Depends(moderator_user)]
