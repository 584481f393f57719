"""ASGI entry point for uvicorn workers: `nichely.web.asgi:app`."""

from nichely.app import create_app

app = create_app()
