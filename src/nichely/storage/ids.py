"""Primary keys handed out before a bulk insert, so related rows can be built in Python first.

Bulk loaders (the demo generator, `nichely import`) build parents and children together and
insert them with executemany, which is several times faster than INSERT ... RETURNING row by row.
They need the parents' ids up front: PostgreSQL takes them from the table's own sequence, so
later ordinary inserts never collide; SQLite takes the next free rowids, which is safe because
its write transactions start with BEGIN IMMEDIATE (one writer at a time).
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, Table, false, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

# Row ids are 32-bit integers on PostgreSQL, so no row has an id outside 1..MAX_ID on either store.
MAX_ID = 2**31 - 1

T = TypeVar("T")


def get_by_id(session: Session, model: type[T], row_id: int) -> T | None:
    """The row of `model` with this id, or None. An id that no row can have is not sent to the
    store at all: SQLite's driver refuses integers beyond 64 bits rather than finding nothing."""
    return session.get(model, row_id) if 1 <= row_id <= MAX_ID else None


def matches_id(column: InstrumentedAttribute[int], row_id: int) -> ColumnElement[bool]:
    """`column = row_id` as a filter; FALSE for an id that no row can have (see get_by_id)."""
    return column == row_id if 1 <= row_id <= MAX_ID else false()


def _sqlite(session: Session, table: Table, count: int) -> list[int]:
    start = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(start, start + count))


def _postgresql(session: Session, table: Table, count: int) -> list[int]:
    sequence = func.pg_get_serial_sequence(table.name, "id")
    rows = session.scalars(select(func.nextval(sequence)).select_from(func.generate_series(1, count)))
    return sorted(rows)


RESERVERS = {"sqlite": _sqlite, "postgresql": _postgresql}


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` fresh ids for `table` (ascending), valid for inserts in this transaction."""
    if count <= 0:
        return []
    dialect = session.get_bind().dialect.name
    try:
        reserve = RESERVERS[dialect]
    except KeyError:
        raise ValueError(f"unknown dialect {dialect!r}; choose from {sorted(RESERVERS)}") from None
    return reserve(session, table, count)
