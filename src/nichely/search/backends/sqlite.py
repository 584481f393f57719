"""SQLite: one FTS5 table per kind over pre-analysed text, ranked by FTS5's own BM25.

Which FTS5 queries a match runs is decided by `search.backends.plan` from the portable term
statistics, so a query of common terms over a large store never ranks every OR match.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from nichely.search.backends.plan import planned_match

# Table names come from this fixed map, never from input.
TABLES = {"product": "search_fts_product", "note": "search_fts_note", "user": "search_fts_user"}
# A title hit counts more than a body hit when choosing candidates.
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0


def match_expression(terms: Sequence[str], every: bool = False) -> str:
    """An FTS5 query matching any (or every) of `terms`, each quoted so no term is read as an operator."""
    return (" AND " if every else " OR ").join('"' + t.replace('"', '""') + '"' for t in terms)


def match_sql(kind: str) -> str:
    """The ranked candidate query for one kind: best BM25 first."""
    table = TABLES[kind]
    return (
        f"SELECT rowid FROM {table} WHERE {table} MATCH :expr "
        f"ORDER BY bm25({table}, {TITLE_WEIGHT}, {BODY_WEIGHT}), rowid LIMIT :limit"
    )


def newest_sql(kind: str) -> str:
    """The newest documents matching an expression with their analysed fields, unranked (FTS5
    walks its postings backwards and stops at the LIMIT, scoring nothing)."""
    table = TABLES[kind]
    return (
        f"SELECT rowid, title, body FROM {table} WHERE {table} MATCH :expr ORDER BY rowid DESC LIMIT :limit"
    )


class SqliteLexical:
    """FTS5 tables `search_fts_<kind>`, rowid = the indexed thing's id."""

    def put(self, session: Session, kind: str, rows: Sequence[tuple[int, str, str]]) -> None:
        if not rows:
            return
        table = TABLES[kind]
        self.remove(session, kind, [r[0] for r in rows])
        session.execute(
            text(f"INSERT INTO {table} (rowid, title, body) VALUES (:id, :title, :body)"),
            [{"id": r[0], "title": r[1], "body": r[2]} for r in rows],
        )

    def remove(self, session: Session, kind: str, ref_ids: Sequence[int]) -> None:
        if ref_ids:
            session.execute(
                text(f"DELETE FROM {TABLES[kind]} WHERE rowid = :id"), [{"id": i} for i in ref_ids]
            )

    def clear(self, session: Session, kind: str) -> None:
        session.execute(text(f"DELETE FROM {TABLES[kind]}"))

    def match(self, session: Session, kind: str, terms: Sequence[str], limit: int) -> list[int]:
        ranked_sql, newest = text(match_sql(kind)), text(newest_sql(kind))

        def ranked(step_terms: Sequence[str], every: bool, n: int) -> list[int]:
            rows = session.execute(ranked_sql, {"expr": match_expression(step_terms, every), "limit": n})
            return [int(r[0]) for r in rows]

        def newest_docs(step_terms: Sequence[str], every: bool, n: int) -> list[tuple[int, str, str]]:
            rows = session.execute(newest, {"expr": match_expression(step_terms, every), "limit": n})
            return [(int(r[0]), r[1], r[2]) for r in rows]

        return planned_match(session, kind, terms, limit, ranked, newest_docs)
