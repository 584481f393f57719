"""Domain errors, mapped to HTTP problems by the web layer and to messages by the CLI.

NichelyError
 ├── InvalidInput        (422) the request is malformed or breaks a rule about its own content
 ├── NotAuthenticated    (401) nobody is logged in
 ├── Forbidden           (403) the person may not do this
 ├── NotFound            (404) the thing does not exist (or is hidden from this person)
 └── Conflict            (409) the request clashes with stored state (stock, duplicates)
     └── OutOfStock      (409) a SKU has fewer units than asked for
"""

from __future__ import annotations

from typing import Any


class NichelyError(Exception):
    """Base of every error the platform raises on purpose."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidInput(NichelyError):
    status = 422
    title = "Invalid input"


class NotAuthenticated(NichelyError):
    status = 401
    title = "Not authenticated"


class Forbidden(NichelyError):
    status = 403
    title = "Forbidden"


class NotFound(NichelyError):
    status = 404
    title = "Not found"


class Conflict(NichelyError):
    status = 409
    title = "Conflict"


class OutOfStock(Conflict):
    title = "Out of stock"
