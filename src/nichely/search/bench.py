"""`nichely bench search`: the production search measured on outside judgments, beside BM25.

The catalogue is imported into a fresh temporary store through the normal import path and
indexed through the normal path; every judged query then goes through `SearchEngine`. The
baseline is bm25s (Lucene BM25, English Snowball stemmer, English stop words) over the same
titles, computed in the same run.
"""

from __future__ import annotations

import csv
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import func, select

from nichely.catalog.importing import import_products
from nichely.catalog.models import Product
from nichely.errors import InvalidInput
from nichely.search.engine import Candidates, SearchEngine
from nichely.search.evaluate import (
    Judgments,
    is_long_tail,
    mean,
    ndcg_at,
    read_judgments,
    recall_at,
    split_queries,
)
from nichely.search.index import reindex
from nichely.search.ranker import LambdaMartRanker, Ranker, grade, train_lambdamart
from nichely.search.vectors import EmbeddingCache, Encoder, embed_documents
from nichely.storage.engine import Database, open_database
from nichely.storage.migrate import upgrade
from nichely.storage.records import read_records

Progress = Callable[[str, int, int], None]
TOP = 100


@dataclass
class Scores:
    """Mean nDCG@10 and Recall@100 over a set of queries."""

    queries: int
    ndcg10: float
    recall100: float


@dataclass
class BenchReport:
    """What one bench run measured, for printing and for docs/benchmarks.md."""

    ours: dict[str, Scores] = field(default_factory=dict)
    bm25: dict[str, Scores] = field(default_factory=dict)
    trained_on: str = ""
    evaluated_on: str = ""
    timings: dict[str, float] = field(default_factory=dict)


def read_catalog(path: Path) -> list[tuple[str, str]]:
    """(product_uid, product_title) rows of a catalogue CSV."""
    with path.open(newline="", encoding="utf-8") as f:
        return [(r["product_uid"].strip(), r["product_title"]) for r in csv.DictReader(f)]


def import_catalog(db: Database, path: Path) -> int:
    """Load a catalogue file through the platform's import path (into the default shop)."""
    with db.write() as session:
        return import_products(session, read_records(path)).products


def bm25_baseline(
    catalog: Sequence[tuple[str, str]], queries: Sequence[str], k: int = TOP
) -> dict[str, list[str]]:
    """Top-k product uids per query by bm25s (Lucene variant, English stemmer and stop words)."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    uids = [u for u, _ in catalog]
    corpus = bm25s.tokenize([t for _, t in catalog], stopwords="en", stemmer=stemmer, show_progress=False)
    model = bm25s.BM25(method="lucene")
    model.index(corpus, show_progress=False)
    tokens = bm25s.tokenize(list(queries), stopwords="en", stemmer=stemmer, show_progress=False)
    docs, _scores = model.retrieve(tokens, k=min(k, len(uids)), show_progress=False, n_threads=1)
    return {q: [uids[int(i)] for i in row] for q, row in zip(queries, docs, strict=True)}


def score_runs(runs: dict[str, list[str]], judgments: Judgments, queries: Sequence[str]) -> Scores:
    """Mean nDCG@10 and Recall@100 of `runs` over `queries`."""
    return Scores(
        len(queries),
        mean([ndcg_at(runs.get(q, []), judgments[q], 10) for q in queries]),
        mean([recall_at(runs.get(q, []), judgments[q], TOP) for q in queries]),
    )


def training_groups(
    cands: dict[str, Candidates], judgments: Judgments, queries: Sequence[str], uid_of: dict[int, str]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(features, integer grades) per query: judged gains, unjudged candidates graded 0."""
    groups = []
    for q in queries:
        c = cands[q]
        y = np.array([grade(judgments[q].get(uid_of[d.ref_id], 0.0)) for d in c.docs], dtype=np.int32)
        groups.append((c.features, y))
    return groups


def featurise(
    db: Database, engine: SearchEngine, queries: Sequence[str], progress: Progress | None = None
) -> dict[str, Candidates]:
    """Production candidates and features for every query."""
    out: dict[str, Candidates] = {}
    with db.read() as session:
        for i, q in enumerate(queries, 1):
            out[q] = engine.candidates(session, q)
            if progress and (i % 50 == 0 or i == len(queries)):
                progress("search", i, len(queries))
    return out


def build_store(
    catalog: Path,
    workdir: Path,
    progress: Progress | None = None,
    encoder: Encoder | None = None,
    cache: EmbeddingCache | None = None,
    database: str | None = None,
) -> Database:
    """A fresh store holding the catalogue, imported and indexed the normal way: a temporary
    SQLite file, or the empty database at URL `database` (to measure another store)."""
    db = open_database(database or f"sqlite:///{workdir / 'bench.db'}")
    upgrade(db)
    with db.read() as session:
        held = session.scalar(select(func.count()).select_from(Product)) or 0
    if held:
        db.dispose()
        raise InvalidInput(f"--database must name an empty database; it holds {held} products")
    import_catalog(db, catalog)
    reindex(db, kinds=["product"], progress=progress)
    if encoder is not None:
        with db.write() as session:
            embed_documents(session, "product", encoder, cache, progress)
    return db


def uid_map(db: Database) -> dict[int, str]:
    """Store id -> catalogue uid."""
    with db.read() as session:
        return {int(i): str(u) for i, u in session.execute(select(Product.id, Product.external_uid))}


def run_search_bench(
    catalog: Path,
    judgments_path: Path,
    out: Path,
    *,
    model: Path | None = None,
    seed: int = 13,
    train_fraction: float = 0.5,
    progress: Progress | None = None,
    num_threads: int = 2,
    encoder: Encoder | None = None,
    cache: EmbeddingCache | None = None,
    database: str | None = None,
) -> BenchReport:
    """Run the whole benchmark; write the run file; return the figures (`database`: an empty
    database to import into instead of a temporary SQLite store)."""
    report = BenchReport()
    judgments = read_judgments(judgments_path)
    train_q, test_q = split_queries(judgments, seed, train_fraction)
    with tempfile.TemporaryDirectory(prefix="nichely-bench-") as tmp:
        t0 = time.perf_counter()
        db = build_store(catalog, Path(tmp), progress, database=database)
        report.timings["import and index"] = time.perf_counter() - t0
        try:
            if encoder is not None:
                t0 = time.perf_counter()
                with db.write() as session:
                    embed_documents(session, "product", encoder, cache, progress)
                report.timings["embed titles"] = time.perf_counter() - t0
            uid_of = uid_map(db)
            t0 = time.perf_counter()
            queries = sorted(judgments)
            cands = featurise(db, SearchEngine(encoder=encoder), queries, progress)
            report.timings["retrieve and featurise"] = time.perf_counter() - t0
        finally:
            db.dispose()
    t0 = time.perf_counter()
    ranker: Ranker
    if model is None:
        ranker = train_lambdamart(
            training_groups(cands, judgments, train_q, uid_of), seed=seed, num_threads=num_threads
        )
        report.trained_on = f"{len(train_q)} queries (seeded split, seed {seed}, fraction {train_fraction})"
        evaluated = test_q
        report.evaluated_on = f"the other {len(test_q)} queries"
    else:
        ranker = LambdaMartRanker.load(model)
        report.trained_on = f"model {model.name} (trained on the seed-{seed} training part)"
        evaluated = test_q
        report.evaluated_on = f"{len(test_q)} held-out queries of the seeded split"
    report.timings["train"] = time.perf_counter() - t0
    engine = SearchEngine(ranker, encoder=encoder)
    t0 = time.perf_counter()
    runs: dict[str, list[str]] = {}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for q in queries:
            hits = engine.rank(cands[q], TOP)
            runs[q] = [uid_of[h.ref_id] for h in hits]
            for rank, h in enumerate(hits, 1):
                f.write(f"{q}\t{rank}\t{uid_of[h.ref_id]}\t{h.score:.6f}\n")
    report.timings["rank and write"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    base = bm25_baseline(read_catalog(catalog), queries)
    report.timings["bm25 baseline"] = time.perf_counter() - t0
    long_tail = [q for q in evaluated if is_long_tail(q)]
    for name, qs in (("held-out", evaluated), ("held-out long-tail (4+ words)", long_tail), ("all", queries)):
        report.ours[name] = score_runs(runs, judgments, qs)
        report.bm25[name] = score_runs(base, judgments, qs)
    return report
