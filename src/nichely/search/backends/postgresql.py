"""PostgreSQL: a generated tsvector over the analysed terms of `search_documents`, GIN-indexed.

Which tsqueries a match runs is decided by `search.backends.plan`, as on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from nichely.search.backends.plan import (
    SAMPLE,
    WIDEN,
    Step,
    held_terms,
    match_plan,
    rescore,
    run_plan,
    term_stats,
)

# ts_rank has no IDF, so fetch a wider pool and let the shared BM25 features sort it out.
POOL_FACTOR = 3

MATCH_SQL = (
    "SELECT ref_id FROM search_documents "
    "WHERE kind = :kind AND tsv @@ CAST(:query AS tsquery) "
    "ORDER BY ts_rank(tsv, CAST(:query AS tsquery)) DESC, ref_id LIMIT :limit"
)
# Unranked steps (see the plan) read the newest matches without computing ts_rank.
NEWEST_SQL = (
    "SELECT ref_id, title_terms, body_terms FROM search_documents "
    "WHERE kind = :kind AND tsv @@ CAST(:query AS tsquery) "
    "ORDER BY ref_id DESC LIMIT :limit"
)


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
        if not terms:
            return []
        stats = term_stats(session, kind, terms)

        def sample() -> list[frozenset[str]]:
            held: list[frozenset[str]] = []
            for t in stats.df:
                params = {"kind": kind, "query": tsquery_text([t]), "limit": SAMPLE}
                rows = session.execute(text(NEWEST_SQL), params)
                held += held_terms(terms, (f"{r[1]} {r[2]}" for r in rows))
            return held

        steps = match_plan(terms, stats, sample)

        def run(step: Step, n: int) -> list[int]:
            params = {"kind": kind, "query": tsquery_text(step.terms, step.every), "limit": n}
            if step.ranked:
                return [int(r[0]) for r in session.execute(text(MATCH_SQL), params)]
            rows = session.execute(text(NEWEST_SQL), params | {"limit": n * WIDEN})
            return rescore(terms, ((int(r[0]), r[1], r[2]) for r in rows), stats, n)

        return run_plan(steps, limit * POOL_FACTOR, run)
