"""Errors as RFC 9457 problem documents (application/problem+json)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from nichely.errors import NichelyError
from nichely.web.pages.errors import error_page, is_page_request

PROBLEM_TYPE = "application/problem+json"


RESERVED = frozenset({"type", "title", "status", "detail", "instance"})


def problem(status: int, title: str, detail: str, instance: str = "", **extra: Any) -> JSONResponse:
    """A problem+json response; extension members never overwrite the standard ones."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if k not in RESERVED})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "request"


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NichelyError)
    if is_page_request(request):
        return error_page(request, exc.status, exc.detail)
    extra = {k if k not in RESERVED else f"error_{k}": v for k, v in exc.extra.items()}
    return problem(exc.status, exc.title, exc.detail, instance=request.url.path, **extra)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if is_page_request(request):
        # Pages parse their own forms; what reaches here is a malformed address such as /notes/abc.
        return error_page(request, 404, "")
    errors = [
        {"field": _field_path(tuple(e.get("loc", ()))), "message": e.get("msg", "invalid")}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem(422, "Invalid input", detail, instance=request.url.path, errors=errors)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if is_page_request(request):
        return error_page(request, exc.status_code, "")
    titles = {404: "Not found", 405: "Method not allowed", 401: "Not authenticated", 403: "Forbidden"}
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return problem(exc.status_code, titles.get(exc.status_code, "Error"), detail, instance=request.url.path)
