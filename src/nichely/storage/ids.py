"""Primary keys handed out before a bulk insert, so related rows can be built in Python first.

Bulk loaders (the demo generator, `nichely import`) build parents and children together and
insert them with executemany, which is several times faster than INSERT ... RETURNING row by row.
They need the parents' ids up front: PostgreSQL takes them from the table's own sequence, so
later ordinary inserts never collide; SQLite takes the next free rowids, which is safe because
its write transactions start with BEGIN IMMEDIATE (one writer at a time).
"""

from __future__ import annotations

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session


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
