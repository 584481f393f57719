"""`nichely serve`: run the web app and API."""

from __future__ import annotations

import typer
import uvicorn

from nichely.settings import Settings
from nichely.storage.engine import open_database
from nichely.storage.migrate import upgrade


def run_server(host: str, port: int, workers: int) -> None:
    """Migrate the store, then serve web + API with uvicorn."""
    upgrade(open_database(Settings.from_env().database_url))
    typer.echo(f"serving on http://{host}:{port}")
    uvicorn.run("nichely.web.asgi:app", host=host, port=port, workers=workers, log_level="warning")


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on"),
        port: int = typer.Option(8000, help="Port to listen on"),
        workers: int = typer.Option(1, help="Server worker processes"),
    ) -> None:
        """Serve web pages and the JSON API on the store named by NICHELY_DATABASE_URL."""
        run_server(host, port, workers)
