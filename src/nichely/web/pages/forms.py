"""Reading submitted forms without ever failing: missing or odd fields become empty values,
and the domain's own checks decide what is wrong."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData, UploadFile

from nichely.errors import InvalidInput, NichelyError, OutOfStock
from nichely.web.i18n import N_


async def read_form(request: Request) -> AsyncIterator[FormData]:
    """The submitted form (parsed once per request; check_csrf may already have read it).

    Uploaded files are spooled to temporary files, closed when the request is done.
    """
    try:
        form = await request.form()
    except Exception as exc:  # noqa: BLE001 - a malformed multipart body is the sender's mistake
        raise InvalidInput("the form could not be read; try again") from exc
    try:
        yield form
    finally:
        await form.close()


# Parsed on the event loop, so page handlers that take it can be plain functions run in the thread pool.
FormDep = Annotated[FormData, Depends(read_form)]


def text(form: FormData, name: str, default: str = "") -> str:
    """One text field; a file sent under a text field's name counts as missing."""
    value = form.get(name)
    return value if isinstance(value, str) else default


def texts(form: FormData, name: str) -> list[str]:
    """Every value of a repeated text field, blanks dropped."""
    return [v for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def files(form: FormData, name: str) -> list[UploadFile]:
    """Uploaded files under `name` that are not empty file inputs."""
    return [f for f in form.getlist(name) if isinstance(f, UploadFile) and f.filename]


def read_upload(upload: UploadFile, limit: int) -> bytes:
    """At most `limit + 1` bytes of an upload: enough for the domain to tell that it is too large."""
    upload.file.seek(0)
    return upload.file.read(limit + 1)


def whole_number(value: str, field: str) -> int:
    """A form value that must be a whole number; the message names the field."""
    try:
        return int(value.strip())
    except ValueError:
        raise InvalidInput(f"{field} must be a whole number", field=field) from None


def optional_id(value: str, field: str) -> int | None:
    return whole_number(value, field) if value.strip() else None


SHORT = N_("Only %(available)s left of this option; you asked for %(requested)s.")


def message(gettext: Callable[[str], str], exc: NichelyError) -> str:
    """The error as the visitor reads it: translated when the catalogue knows the sentence. The
    stock message names numbers, so it is said in the visitor's language from its parts."""
    if isinstance(exc, OutOfStock):
        return gettext(SHORT) % {"available": exc.extra["available"], "requested": exc.extra["requested"]}
    return gettext(exc.detail) if exc.detail else ""
