"""Top-k ranking metrics over held-out items, and the seeded hold-out split they are measured on.

Recall@k = |top-k ∩ held-out| / |held-out|. NDCG@k uses binary gains, DCG = Σ 1/log2(rank+1)
over hits, normalised by the DCG of min(k, |held-out|) hits at the top (Järvelin & Kekäläinen,
"Cumulated gain-based evaluation of IR techniques", TOIS 2002).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


def recall_at_k(ranked: Sequence[int] | np.ndarray, relevant: set[int], k: int) -> float:
    """Share of the relevant items found in the first k of `ranked` (0 when nothing is relevant)."""
    if not relevant:
        return 0.0
    hits = sum(1 for item in list(ranked)[:k] if int(item) in relevant)
    return hits / len(relevant)


def ndcg_at_k(ranked: Sequence[int] | np.ndarray, relevant: set[int], k: int) -> float:
    """Normalised discounted cumulative gain at k with binary relevance."""
    if not relevant:
        return 0.0
    dcg = sum(1.0 / np.log2(rank + 2) for rank, item in enumerate(list(ranked)[:k]) if int(item) in relevant)
    ideal = sum(1.0 / np.log2(rank + 2) for rank in range(min(k, len(relevant))))
    return float(dcg / ideal)


@dataclass(frozen=True)
class RankingScores:
    """Mean Recall@k and NDCG@k over the users that have held-out items."""

    k: int
    recall: float
    ndcg: float
    users: int


def mean_ranking_scores(top: np.ndarray, users: np.ndarray, held_out: sp.csr_matrix, k: int) -> RankingScores:
    """Average the metrics over `users`, where row i of `top` is the ranking for users[i]."""
    recalls, ndcgs = [], []
    for row, user in zip(top, users, strict=True):
        relevant = set(held_out.indices[held_out.indptr[user] : held_out.indptr[user + 1]].tolist())
        if relevant:
            recalls.append(recall_at_k(row, relevant, k))
            ndcgs.append(ndcg_at_k(row, relevant, k))
    if not recalls:
        return RankingScores(k, 0.0, 0.0, 0)
    return RankingScores(k, float(np.mean(recalls)), float(np.mean(ndcgs)), len(recalls))


def holdout_split(
    matrix: sp.csr_matrix, fraction: float = 0.2, min_items: int = 5, seed: int = 0
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Split a binary user x item matrix into (train, held-out), seeded.

    Each user with at least `min_items` items has round(fraction * n) of them (at least one)
    moved, chosen uniformly at random; other users keep everything in train.
    """
    rng = np.random.default_rng(seed)
    matrix = matrix.tocsr()
    held = np.zeros(matrix.nnz, dtype=bool)
    for user in range(matrix.shape[0]):
        start, end = matrix.indptr[user], matrix.indptr[user + 1]
        n = end - start
        if n < min_items:
            continue
        take = max(1, int(round(fraction * n)))
        held[start + rng.choice(n, size=take, replace=False)] = True
    coo = matrix.tocoo()
    shape = matrix.shape
    train = sp.csr_matrix(
        (coo.data[~held], (coo.row[~held], coo.col[~held])), shape=shape, dtype=matrix.dtype
    )
    test = sp.csr_matrix((coo.data[held], (coo.row[held], coo.col[held])), shape=shape, dtype=matrix.dtype)
    return train, test
