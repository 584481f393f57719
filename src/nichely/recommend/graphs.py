"""Sparse neighbour graphs over people and items: the scoring signals of the recommender.

Every function is pure (matrices in, sparse matrix out) and keeps only the top-k neighbours of
each row, so memory grows with the number of rows times k, never with rows squared.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from nichely.recommend.data import iter_batches

Progress = Callable[[int], None]


def top_k_per_row(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep the k largest entries of each row of a CSR matrix (ties broken by position)."""
    matrix = matrix.tocsr()
    matrix.eliminate_zeros()
    counts = np.diff(matrix.indptr)
    if counts.size == 0 or counts.max() <= k:
        return matrix
    keep = np.ones(matrix.nnz, dtype=bool)
    for row in np.flatnonzero(counts > k):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        drop = np.argpartition(-matrix.data[start:end], k)[k:]
        keep[start + drop] = False
    rows = np.repeat(np.arange(matrix.shape[0]), counts)
    return sp.csr_matrix(
        (matrix.data[keep], (rows[keep], matrix.indices[keep])), shape=matrix.shape, dtype=matrix.dtype
    )


def row_normalise(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Divide every row by its sum (empty rows stay empty): a random-walk transition matrix."""
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    inverse = np.divide(1.0, sums, out=np.zeros_like(sums, dtype=np.float64), where=sums > 0)
    return sp.csr_matrix(sp.diags(inverse.astype(np.float32)) @ matrix)


def _drop_diagonal(block: sp.csr_matrix, offset: int) -> sp.csr_matrix:
    block = block.tocoo()
    keep = block.row + offset != block.col
    return sp.csr_matrix((block.data[keep], (block.row[keep], block.col[keep])), shape=block.shape)


def rp3beta_item_graph(
    interactions: sp.csr_matrix,
    alpha: float = 1.0,
    beta: float = 0.5,
    k: int = 200,
    batch: int = 4096,
    progress: Progress | None = None,
) -> sp.csr_matrix:
    """Item -> item weights of RP3beta: a 3-step random walk item→user→item, damped by popularity.

    W[i, j] = Σ_u P(u|i) P(j|u)^alpha / pop(j)^beta, top-k per row, no self-loops
    (Paudel, Christoffel, Chia & Bernstein, "Updatable, accurate, diverse, and scalable
    recommendations for interactive applications", ACM TiiS 2017). Scores are X @ W.
    """
    user_to_item = row_normalise(interactions)
    if alpha != 1.0:
        user_to_item.data **= alpha
    item_to_user = row_normalise(sp.csr_matrix(interactions.T))
    popularity = np.asarray(interactions.sum(axis=0)).ravel()
    damping = np.power(np.maximum(popularity, 1.0), -beta).astype(np.float32)
    walk_end = sp.csr_matrix(user_to_item @ sp.diags(damping))
    blocks = []
    for rows in iter_batches(interactions.shape[1], batch):
        block = _drop_diagonal(sp.csr_matrix(item_to_user[rows] @ walk_end), rows.start)
        blocks.append(top_k_per_row(block, k))
        if progress:
            progress(rows.stop - rows.start)
    return sp.csr_matrix(sp.vstack(blocks), dtype=np.float32)


def cosine_neighbours(
    rows: sp.csr_matrix,
    k: int = 100,
    shrink: float = 10.0,
    batch: int = 2048,
    progress: Progress | None = None,
) -> sp.csr_matrix:
    """Row -> row cosine similarity with shrinkage, top-k per row, no self-loops.

    sim(a, b) = |a ∩ b| / (sqrt(|a| |b|) + shrink); shrinkage discounts overlaps of tiny
    profiles (Koren, "Factor in the neighbors", TKDD 2010).
    """
    rows = rows.tocsr().astype(np.float32)
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel()).astype(np.float32)
    transposed = sp.csr_matrix(rows.T)
    blocks = []
    for part in iter_batches(rows.shape[0], batch):
        overlap = sp.csr_matrix(rows[part] @ transposed).tocoo()
        denominator = norms[part][overlap.row] * norms[overlap.col] + shrink
        similarity = sp.csr_matrix(
            (overlap.data / denominator, (overlap.row, overlap.col)), shape=overlap.shape, dtype=np.float32
        )
        blocks.append(top_k_per_row(_drop_diagonal(similarity, part.start), k))
        if progress:
            progress(part.stop - part.start)
    return sp.csr_matrix(sp.vstack(blocks), dtype=np.float32)


def trust_walk(social: sp.csr_matrix, second_hop: float = 0.0) -> sp.csr_matrix:
    """Who a person listens to: their follows, row-normalised, plus damped follows-of-follows."""
    direct = row_normalise(social.astype(np.float32))
    if second_hop <= 0:
        return direct
    walk = direct + second_hop * sp.csr_matrix(direct @ direct)
    return _drop_diagonal(sp.csr_matrix(walk), 0).astype(np.float32)


def item_popularity(interactions: sp.csr_matrix) -> np.ndarray:
    """How many people have each item."""
    return np.asarray(interactions.sum(axis=0), dtype=np.float32).ravel()
