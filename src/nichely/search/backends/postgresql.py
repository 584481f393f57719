"""PostgreSQL: a generated tsvector over the analysed terms of `search_documents`, GIN-indexed.

Which tsqueries a match runs is decided by `search.backends.plan`, as on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from nichely.search.backends.plan import planned_match
from nichely.search.models import KINDS

# ts_rank has no IDF, so fetch a wider pool and let the shared BM25 features sort it out.
POOL_FACTOR = 3

# One partial GIN index per kind (migration 0008): the kind is written into the statement, never
# bound, so the planner can use it even for a prepared statement's generic plan. Kinds come from
# the index's fixed set, never from input.


def match_sql(kind: str) -> str:
    """The ranked candidate query for one kind: best ts_rank first."""
    _check(kind)
    return (
        "SELECT ref_id FROM search_documents "
        f"WHERE kind = '{kind}' AND tsv @@ CAST(:query AS tsquery) "
        "ORDER BY ts_rank(tsv, CAST(:query AS tsquery)) DESC, ref_id LIMIT :limit"
    )


def newest_sql(kind: str) -> str:
    """Unranked steps (see the plan) read the newest matches without computing ts_rank."""
    _check(kind)
    return (
        "SELECT ref_id, title_terms, body_terms FROM search_documents "
        f"WHERE kind = '{kind}' AND tsv @@ CAST(:query AS tsquery) "
        "ORDER BY ref_id DESC LIMIT :limit"
    )


def _check(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown search kind {kind!r}")


def tsquery_text(terms: Sequence[str], every: bool = False) -> str:
    """A tsquery literal matching any (or every) of `terms`, each quoted so it is taken as one lexeme."""
    return (" & " if every else " | ").join(
        "'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms
    )


class PostgresLexical:
    """The tsvector column is generated from `search_documents`, so writes need nothing extra."""

    def put(self, session: Session, kind: str, rows: Sequence[tuple[int, str, str]]) -> None:
        return None

    def remove(self, session: Session, kind: str, ref_ids: Sequence[int]) -> None:
        return None

    def clear(self, session: Session, kind: str) -> None:
        return None

    def match(self, session: Session, kind: str, terms: Sequence[str], limit: int) -> list[int]:
        ranked_sql, newest_sql_ = text(match_sql(kind)), text(newest_sql(kind))

        def ranked(step_terms: Sequence[str], every: bool, n: int) -> list[int]:
            params = {"query": tsquery_text(step_terms, every), "limit": n}
            return [int(r[0]) for r in session.execute(ranked_sql, params)]

        def newest(step_terms: Sequence[str], every: bool, n: int) -> list[tuple[int, str, str]]:
            params = {"query": tsquery_text(step_terms, every), "limit": n}
            return [(int(r[0]), r[1], r[2]) for r in session.execute(newest_sql_, params)]

        return planned_match(session, kind, terms, limit * POOL_FACTOR, ranked, newest)
