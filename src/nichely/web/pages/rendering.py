"""What every page handler shares: the visitor, their language, CSRF token, rendering and redirects."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nichely.accounts.models import User
from nichely.errors import NotAuthenticated
from nichely.web import i18n
from nichely.web.deps import ANON_COOKIE, SESSION_COOKIE, csrf_token_for, optional_user

ANON_DAYS = 365
# Pages run no inline script or style: htmx is a static file, configured by a <meta> tag, and its
# injected indicator <style> is switched off there. Media may come only from this origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    b"content-security-policy": CONTENT_SECURITY_POLICY.encode(),
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"x-frame-options": b"DENY",
}


class PageSecurityHeaders:
    """Adds the page security headers to every response outside /api/ (the API keeps its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in PAGE_HEADERS.items() if k not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; anything that could leave the site (`//x`, `https://x`) is refused."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def login_url(request: Request) -> str:
    """Where to send someone who must log in first, coming back here afterwards."""
    if request.method == "GET":
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        # After log-in the browser GETs `next`, so a form's action is no place to return to:
        # go back to the page the form was on (htmx names it; otherwise the same-site Referer).
        here = _local_path(request.headers.get("hx-current-url") or request.headers.get("referer") or "")
    return "/login?next=" + quote(safe_next(here), safe="/")


def _local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "") if parts.path else "/"


class Page:
    """One page request: who is visiting, in which language, with which CSRF token."""

    def __init__(self, request: Request, user: User | None) -> None:
        self.request = request
        self.user = user
        self.lang = i18n.choose_language(
            request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language")
        )
        self.gettext: Callable[[str], str] = i18n.gettext_for(self.lang)
        secret = request.cookies.get(SESSION_COOKIE) or request.cookies.get(ANON_COOKIE)
        # A first-time visitor gets an anonymous cookie so their forms carry a CSRF token too.
        self.new_anon = None if secret else secrets.token_urlsafe(24)
        settings = request.app.state.settings
        self.csrf_token = csrf_token_for(settings.secret_key, secret or self.new_anon or "")

    @property
    def is_htmx(self) -> bool:
        return self.request.headers.get("hx-request") == "true"

    def require_user(self) -> User:
        """The visitor, who must be logged in (otherwise they are sent to the log-in page)."""
        if self.user is None:
            raise NotAuthenticated("log in first")
        return self.user

    def context(self, **values: Any) -> dict[str, Any]:
        return {
            "request": self.request,
            "user": self.user,
            "lang": self.lang,
            "csrf_token": self.csrf_token,
            "path": self.request.url.path,
            "full_path": self.request.url.path
            + (f"?{self.request.url.query}" if self.request.url.query else ""),
            "languages": i18n.LANGUAGES,
            **values,
        }

    def render_string(self, template: str, **values: Any) -> str:
        return i18n.environment(self.lang).get_template(template).render(self.context(**values))

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        """Render a template in the visitor's language."""
        response = HTMLResponse(self.render_string(template, **values), status_code=status)
        return self.finish(response)

    def redirect(self, url: str) -> Response:
        """See-other redirect; an htmx request is told to navigate instead of swapping a page in."""
        response: Response
        if self.is_htmx:
            response = Response(status_code=204, headers={"HX-Redirect": url})
        else:
            response = RedirectResponse(url, status_code=303)
        return self.finish(response)

    def finish(self, response: Response) -> Response:
        if self.new_anon:
            set_anon_cookie(self.request, response, self.new_anon)
        return response


def set_anon_cookie(request: Request, response: Response, value: str) -> None:
    response.set_cookie(
        ANON_COOKIE,
        value,
        max_age=ANON_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def set_session_cookie(request: Request, response: Response, token: str, days: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=days * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def page_context(request: Request, user: Annotated[User | None, Depends(optional_user)]) -> Page:
    return Page(request, user)


PageDep = Annotated[Page, Depends(page_context)]
