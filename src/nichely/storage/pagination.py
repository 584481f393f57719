"""Keyset (cursor) pagination: stable under inserts, cheap on both stores; offset cursors for rankings."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from nichely.errors import InvalidInput

T = TypeVar("T")
MAX_LIMIT = 100
# Ranked results page by offset; deep pages of a ranking are never worth their cost.
MAX_OFFSET = 1000


def encode_cursor(last_id: int) -> str:
    """An opaque cursor that resumes after `last_id`."""
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id a cursor resumes after; a cursor we did not make is refused clearly."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (ValueError, KeyError, TypeError):
        raise InvalidInput(
            "cursor is not valid; use the next_cursor of a previous page", field="cursor"
        ) from None
    if not isinstance(value, int):
        raise InvalidInput("cursor is not valid; use the next_cursor of a previous page", field="cursor")
    return value


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    return limit


def page(
    session: Session, stmt: Select[Any], id_column: InstrumentedAttribute[int], limit: int, cursor: str | None
) -> tuple[list[Any], str | None]:
    """Run `stmt` newest-id-first from the cursor; return the rows and the cursor of the next page."""
    check_limit(limit)
    after = decode_cursor(cursor)
    if after is not None:
        stmt = stmt.where(id_column < after)
    rows = list(session.scalars(stmt.order_by(id_column.desc()).limit(limit + 1)))
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor(getattr(rows[-1], id_column.key))
    return rows, None


def encode_key(key: Sequence[float | int]) -> str:
    """An opaque cursor that resumes after the row whose sort key was `key` (several columns).

    For orders other than newest-id-first: the caller filters on the key itself, so rows that
    leave the list between pages (a moderator acted on them) shift nothing."""
    return base64.urlsafe_b64encode(json.dumps({"key": list(key)}).encode()).decode().rstrip("=")


def decode_key(cursor: str | None, size: int) -> tuple[float | int, ...] | None:
    """The sort key a cursor resumes after (`size` numbers); a cursor we did not make is refused."""
    if not cursor:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))["key"]
    except (ValueError, KeyError, TypeError):
        value = None
    if (
        not isinstance(value, list)
        or len(value) != size
        or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value)
    ):
        raise InvalidInput("cursor is not valid; use the next_cursor of a previous page", field="cursor")
    return tuple(value)


def encode_offset(offset: int) -> str:
    """An opaque cursor for the next page of a ranked result (ranked lists have no stable key)."""
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode().rstrip("=")


def decode_offset(cursor: str | None, max_offset: int = MAX_OFFSET) -> int:
    """The offset a ranked-result cursor resumes at; a cursor we did not make is refused clearly."""
    if not cursor:
        return 0
    try:
        value = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))["offset"]
    except (ValueError, KeyError, TypeError):
        value = None
    if not isinstance(value, int) or not 0 <= value <= max_offset:
        raise InvalidInput("cursor is not valid; use the next_cursor of a previous page", field="cursor")
    return value
