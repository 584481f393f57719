"""The ASGI application: API, pages and static files over one store."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from nichely import __version__
from nichely.errors import NichelyError
from nichely.settings import Settings
from nichely.storage.engine import Database, open_database
from nichely.web import pages, problems
from nichely.web.api import build_router


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    """Build the app for a store; the schema must already be migrated (`nichely db upgrade`)."""
    settings = settings or Settings.from_env()
    db = db or open_database(settings.database_url)
    app = FastAPI(
        title="Nichely",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = db
    app.add_exception_handler(NichelyError, problems.on_domain_error)
    app.add_exception_handler(RequestValidationError, problems.on_validation_error)
    app.add_exception_handler(HTTPException, problems.on_http_error)
    app.include_router(build_router())
    pages.install(app)
    # Uploaded photos; names are random tokens chosen by the server, never by the uploader.
    app.mount("/media", StaticFiles(directory=settings.media_dir, check_dir=False), name="media")
    return app
