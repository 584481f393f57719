"""Server-rendered pages (Jinja2 + htmx), one router per area, all behind the CSRF check."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from nichely.web.deps import check_csrf
from nichely.web.i18n import WEB_DIR
from nichely.web.pages import (
    auth,
    checkout,
    feed,
    home,
    insight,
    live,
    moderation,
    notes,
    orders,
    products,
    search,
    shops,
    users,
)
from nichely.web.pages.rendering import PageSecurityHeaders

MODULES = [
    home,
    feed,
    auth,
    notes,
    products,
    shops,
    users,
    live,
    search,
    checkout,
    orders,
    moderation,
    insight,
]


def build_router() -> APIRouter:
    """Every page module's router; changes must carry the CSRF token of the visitor's session."""
    router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
    for module in MODULES:
        router.include_router(module.router)
    return router


def install(app: FastAPI) -> None:
    """Mount the pages, their static files and their security headers on the app."""
    app.include_router(build_router())
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.add_middleware(PageSecurityHeaders)
