"""JSON API, version 1."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from nichely.web.api import (
    auth,
    collections,
    feed,
    insight,
    live,
    moderation,
    notes,
    orders,
    products,
    search,
    shops,
    storefronts,
    users,
)
from nichely.web.deps import check_csrf

MODULES = [
    auth,
    shops,
    products,
    orders,
    storefronts,
    live,
    notes,
    users,
    collections,
    moderation,
    search,
    feed,
    insight,
]


def build_router() -> APIRouter:
    """Every API module's router under /api/v1, with CSRF checked on cookie-authenticated changes."""
    router = APIRouter(prefix="/api/v1", dependencies=[Depends(check_csrf)])
    for module in MODULES:
        router.include_router(module.router)
    return router
