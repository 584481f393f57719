"""PostgreSQL: a generated tsvector over the analysed terms of `search_documents`, GIN-indexed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

# ts_rank has no IDF, so fetch a wider pool and let the shared BM25 features sort it out.
POOL_FACTOR = 3

MATCH_SQL = (
    "SELECT ref_id FROM search_documents "
    "WHERE kind = :kind AND tsv @@ CAST(:query AS tsquery) "
    "ORDER BY ts_rank(tsv, CAST(:query AS tsquery)) DESC, ref_id LIMIT :limit"
)


def tsquery_text(terms: Sequence[str]) -> str:
    """A tsquery literal matching any of `terms`, each quoted so it is taken as one lexeme."""
    return " | ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)


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
        params = {"kind": kind, "query": tsquery_text(terms), "limit": limit * POOL_FACTOR}
        return [int(r[0]) for r in session.execute(text(MATCH_SQL), params)]
