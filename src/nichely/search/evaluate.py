"""Offline evaluation: graded judgments, nDCG@k, Recall@k, and seeded query splits.

nDCG follows Järvelin & Kekäläinen, "Cumulated gain-based evaluation of IR techniques"
(TOIS 2002) with linear gain: gain = relevance - 1 on the 1..3 scale, unjudged = 0, and the
ideal ranking built from every judged item of the query.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

Judgments = dict[str, dict[str, float]]  # query -> item id -> gain


def read_judgments(path: Path) -> Judgments:
    """Read `search_term,product_uid,relevance` rows into gains (relevance - 1, never below 0)."""
    out: Judgments = {}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            query = row["search_term"].strip()
            gain = max(0.0, float(row["relevance"]) - 1.0)
            out.setdefault(query, {})[row["product_uid"].strip()] = gain
    return out


def dcg(gains: Iterable[float]) -> float:
    """Discounted cumulative gain with the log2(rank + 1) discount."""
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: Sequence[str], gains: Mapping[str, float], k: int = 10) -> float:
    """nDCG@k of one ranking against one query's judged gains (0 when nothing judged is relevant)."""
    ideal = dcg(sorted(gains.values(), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return dcg(gains.get(i, 0.0) for i in ranked[:k]) / ideal


def recall_at(ranked: Sequence[str], gains: Mapping[str, float], k: int = 100) -> float:
    """Share of the query's relevant items (gain > 0) found in the top k."""
    relevant = {i for i, g in gains.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def is_long_tail(query: str, min_words: int = 4) -> bool:
    """A long-tail query: `min_words` or more whitespace-separated words."""
    return len(query.split()) >= min_words


def in_training_part(query: str, seed: int, train_fraction: float) -> bool:
    """A stable seeded split: the query's hash decides, so any process agrees without shared state."""
    digest = hashlib.sha256(f"{seed}:{query}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < train_fraction


def split_queries(
    queries: Iterable[str], seed: int = 13, train_fraction: float = 0.5
) -> tuple[list[str], list[str]]:
    """(training queries, held-out queries), each sorted."""
    train: list[str] = []
    test: list[str] = []
    for q in sorted(set(queries)):
        (train if in_training_part(q, seed, train_fraction) else test).append(q)
    return train, test


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean, 0 for nothing."""
    return sum(values) / len(values) if values else 0.0
