"""Blending signals: per-user scaling, weighted sum, top-k, and choosing weights on validation.

Each signal's scores are divided by the user's best score for that signal, so weights compare
like with like across users and signals. Weights are chosen by coordinate ascent on Recall@k +
NDCG@k over a validation split carved out of the training data, never the test data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from nichely.recommend.metrics import mean_ranking_scores

# A weight of popularity this small only breaks ties (and orders items nobody signals).
TIE_BREAK = 1e-6
WEIGHT_GRID = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0)


def scale_rows(scores: np.ndarray) -> np.ndarray:
    """Divide each row by its maximum when positive, so every signal peaks at 1 for every user."""
    peak = scores.max(axis=1, keepdims=True)
    return scores / np.where(peak > 0, peak, 1.0)


def top_k(scores: np.ndarray, k: int, exclude: sp.csr_matrix | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Indices and scores of each row's k best columns, best first; `exclude` marks forbidden ones."""
    scores = np.array(scores, dtype=np.float32, copy=True)
    if exclude is not None and exclude.nnz:
        rows, cols = exclude.nonzero()
        scores[rows, cols] = -np.inf
    k = min(k, scores.shape[1])
    if k == 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64), np.zeros(
            (scores.shape[0], 0), dtype=np.float32
        )
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part_scores = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -part_scores), axis=1)
    items = np.take_along_axis(part, order, axis=1)
    return items, np.take_along_axis(part_scores, order, axis=1)


def candidate_scores(scores: np.ndarray, seen: sp.csr_matrix, depth: int) -> sp.csr_matrix:
    """Keep each row's `depth` best unseen items of a row-scaled signal, as a sparse matrix."""
    items, values = top_k(scale_rows(scores), depth, exclude=seen)
    values = np.where(np.isfinite(values) & (values > 0), values, 0.0)
    rows = np.repeat(np.arange(scores.shape[0]), items.shape[1])
    matrix = sp.csr_matrix((values.ravel(), (rows, items.ravel())), shape=scores.shape, dtype=np.float32)
    matrix.eliminate_zeros()
    return matrix


def sparse_top_k(matrix: sp.csr_matrix, k: int) -> np.ndarray:
    """Column indices of each row's k largest stored entries, best first (-1 pads short rows)."""
    top = np.full((matrix.shape[0], k), -1, dtype=np.int64)
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        values, columns = matrix.data[start:end], matrix.indices[start:end]
        if end - start > k:
            keep = np.argpartition(-values, k - 1)[:k]
            values, columns = values[keep], columns[keep]
        order = np.lexsort((columns, -values))
        top[row, : len(order)] = columns[order]
    return top


def blend_quality(
    candidates: Mapping[str, sp.csr_matrix],
    weights: Mapping[str, float],
    tie_break: np.ndarray,
    held_out: sp.csr_matrix,
    users: np.ndarray,
    k: int,
) -> float:
    """Recall@k + NDCG@k of a weighted blend of precomputed candidate scores (sparse, so cheap)."""
    total = sp.csr_matrix((len(users), held_out.shape[1]), dtype=np.float32)
    for name, weight in weights.items():
        if weight:
            total = total + weight * candidates[name]
    total = sp.csr_matrix(total)
    total.data += TIE_BREAK * tie_break[total.indices]
    result = mean_ranking_scores(sparse_top_k(total, k), users, held_out, k)
    return result.recall + result.ndcg


def choose_weights(
    evaluate: Callable[[Mapping[str, float]], float],
    names: Sequence[str],
    start: Mapping[str, float],
    grid: Sequence[float] = WEIGHT_GRID,
    rounds: int = 2,
) -> tuple[dict[str, float], float]:
    """Coordinate ascent: try each grid value for one weight at a time, keep what helps."""
    weights = dict(start)
    best = evaluate(weights)
    for _ in range(rounds):
        improved = False
        for name in names:
            for value in grid:
                if value == weights.get(name, 0.0):
                    continue
                trial = {**weights, name: value}
                if not any(trial.values()):
                    continue
                quality = evaluate(trial)
                if quality > best + 1e-9:
                    best, weights, improved = quality, trial, True
        if not improved:
            break
    return weights, best
