"""Lexical candidate retrieval: the only part of search that differs by database.

A backend keeps its own full-text structure in step with `search_documents` and answers
"which documents of this kind contain any of these terms", best first. Everything after
that (features, ranking) is shared Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.orm import Session

from nichely.search.backends.postgresql import PostgresLexical
from nichely.search.backends.sqlite import SqliteLexical


class LexicalBackend(Protocol):
    """Full-text candidate retrieval over analysed terms."""

    def put(self, session: Session, kind: str, rows: Sequence[tuple[int, str, str]]) -> None:
        """Add or replace documents given as (ref_id, title_terms, body_terms)."""

    def remove(self, session: Session, kind: str, ref_ids: Sequence[int]) -> None:
        """Forget documents."""

    def clear(self, session: Session, kind: str) -> None:
        """Forget every document of a kind."""

    def match(self, session: Session, kind: str, terms: Sequence[str], limit: int) -> list[int]:
        """Ids of documents holding any of `terms`, best first, at most `limit`."""


BACKENDS: dict[str, type[SqliteLexical] | type[PostgresLexical]] = {
    "sqlite": SqliteLexical,
    "postgresql": PostgresLexical,
}


def lexical_backend(dialect: str) -> LexicalBackend:
    """The backend for a store's SQL dialect (`Database.dialect`)."""
    try:
        return BACKENDS[dialect]()
    except KeyError:
        raise ValueError(f"unknown search backend {dialect!r}; choose from {sorted(BACKENDS)}") from None


__all__ = ["BACKENDS", "LexicalBackend", "lexical_backend"]
