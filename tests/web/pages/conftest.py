"""Page tests run on SQLite only: they are about rendering and forms, the stores are tested elsewhere."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nichely.accounts import service as accounts
from nichely.accounts.models import User
from nichely.storage.engine import Database
from nichely.web.deps import SESSION_COOKIE

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def db(sqlite_db: Database) -> Database:
    return sqlite_db


def csrf_of(html: str) -> str:
    """The CSRF token a page put in its forms."""
    match = CSRF_FIELD.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


@pytest.fixture
def login(client: TestClient, db: Database) -> Callable[[User], TestClient]:
    """Give the test client a session cookie for `user`, as logging in would."""

    def log_in(user: User) -> TestClient:
        with db.write() as session:
            token = accounts.issue_token(session, user, "session", 1)
        client.cookies.set(SESSION_COOKIE, token)
        return client

    return log_in


@pytest.fixture
def csrf(client: TestClient) -> Callable[[str], str]:
    """The CSRF token of the current client session, read from a page's form."""

    def token(path: str = "/login") -> str:
        return csrf_of(client.get(path).text)

    return token


def post_form(
    client: TestClient, path: str, data: dict[str, Any], *, page: str = "/login", **kwargs: Any
) -> Any:
    """POST a form as a browser would: with the CSRF token that a page of this session carries."""
    token = csrf_of(client.get(page).text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False, **kwargs)
