"""Communities on the follow + engagement graph, in the spirit of SimClusters.

SimClusters (Satuluri et al., "SimClusters: Community-Based Representations for Heterogeneous
Recommendations at Twitter", KDD 2020) finds communities on the follow graph ("known for"),
gives every person a sparse vector of the few communities they are interested in ("interested
in" = their edges times "known for"), and scores every item per community from who engages
with it. We do the same on one graph whose nodes are people *and* tags:

- person -> person: follows, and engagement with a person's notes (weighted by action);
- person -> tag: declared interests and the tags of notes they wrote or engaged with.

Tags as nodes put a new person's declared interests on the same map as everyone else, so the
feed can place them in communities before they have done anything.

Clustering is spectral (Ng, Jordan & Weiss, "On spectral clustering", NIPS 2001): the leading
eigenvectors of the symmetric normalised adjacency, rows normalised, then k-means; the number
of communities is the largest eigengap unless given. Communities are named by their top tags
with class-based TF-IDF (Grootendorst, "BERTopic", 2022): tf(t, c) * log(1 + A / f(t)).

Every function here is pure (sparse matrices in and out) and tested without a store.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import eigsh
from sklearn.cluster import KMeans

from nichely.recommend.graphs import row_normalise, top_k_per_row

MIN_COMPONENT = 5
MEMBERSHIPS = 3


@dataclass(frozen=True)
class Clustering:
    """Hard labels of the clustered nodes (-1: left out) and the number of communities."""

    labels: np.ndarray
    k: int


def symmetric(graph: sp.spmatrix) -> sp.csr_matrix:
    """A + Aᵀ without self-loops: who is tied to whom, whichever way the edge pointed."""
    matrix = sp.csr_matrix(graph, dtype=np.float32)
    both = sp.csr_matrix(matrix + matrix.T)
    both.setdiag(0)
    both.eliminate_zeros()
    return both


def choose_k(eigenvalues: np.ndarray, max_k: int) -> int:
    """The eigengap heuristic: k where λ_k - λ_{k+1} is largest (eigenvalues sorted descending), k ≥ 2."""
    values = np.sort(np.asarray(eigenvalues, dtype=np.float64))[::-1]
    limit = min(max_k, len(values) - 1)
    if limit < 2:
        return max(1, min(len(values), 2))
    ks = np.arange(2, limit + 1)
    return int(ks[np.argmax(values[ks - 1] - values[ks])])


def spectral_clusters(graph: sp.spmatrix, k: int | None = None, max_k: int = 40, seed: int = 0) -> Clustering:
    """Cluster the nodes of a symmetric non-negative graph; nodes in tiny components get -1."""
    adjacency = sp.csr_matrix(graph, dtype=np.float64)
    n = adjacency.shape[0]
    labels = np.full(n, -1, dtype=np.int64)
    _, component = connected_components(adjacency, directed=False)
    sizes = np.bincount(component)
    keep = np.flatnonzero(sizes[component] >= MIN_COMPONENT)
    if len(keep) < 2 * MIN_COMPONENT:
        if len(keep):
            labels[keep] = 0
        return Clustering(labels, 1 if len(keep) else 0)
    sub = adjacency[keep][:, keep]
    degree = np.asarray(sub.sum(axis=1)).ravel()
    scale = sp.diags(1.0 / np.sqrt(np.maximum(degree, 1e-12)))
    normalised = sp.csr_matrix(scale @ sub @ scale)
    wanted = min((k or max_k) + 1, len(keep) - 2)
    rng = np.random.default_rng(seed)
    values, vectors = eigsh(normalised, k=wanted, which="LA", v0=rng.uniform(0.5, 1.0, len(keep)), tol=1e-6)
    order = np.argsort(-values)
    values, vectors = values[order], vectors[:, order]
    chosen = min(k, wanted) if k else choose_k(values, max_k)
    embedding = vectors[:, :chosen]
    norms = np.linalg.norm(embedding, axis=1, keepdims=True)
    embedding = embedding / np.where(norms > 0, norms, 1.0)
    found = KMeans(n_clusters=chosen, n_init=4, random_state=seed).fit_predict(embedding)
    labels[keep] = found
    return Clustering(labels, chosen)


def one_hot(labels: np.ndarray, k: int) -> sp.csr_matrix:
    """Node x community indicator of hard labels (-1 rows stay empty): SimClusters' "known for"."""
    rows = np.flatnonzero(labels >= 0)
    return sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, labels[rows])), shape=(len(labels), max(k, 1))
    )


def sparse_memberships(scores: sp.spmatrix, top: int = MEMBERSHIPS) -> sp.csr_matrix:
    """Keep each row's `top` communities and scale the row to sum 1 (a person belongs to a few)."""
    return row_normalise(top_k_per_row(sp.csr_matrix(scores, dtype=np.float32), top))


def interested_in(graph: sp.spmatrix, known_for: sp.csr_matrix, top: int = MEMBERSHIPS) -> sp.csr_matrix:
    """Each node's few communities: its own label plus where its edges lead (row-normalised)."""
    walk = row_normalise(sp.csr_matrix(graph, dtype=np.float32))
    return sparse_memberships(known_for + walk @ known_for, top)


def item_community_scores(engagement: sp.spmatrix, memberships: sp.csr_matrix) -> sp.csr_matrix:
    """Items x communities: Σ over people who engaged (weighted by action) of their memberships."""
    return sp.csr_matrix(sp.csr_matrix(engagement, dtype=np.float32).T @ memberships)


def class_tfidf(counts: sp.spmatrix) -> sp.csr_matrix:
    """c-TF-IDF of a communities x terms count matrix: tf(t,c) · log(1 + A / f(t)).

    tf is the term's share of the community's counts, f(t) the term's count over all
    communities and A the mean count per community.
    """
    matrix = sp.csr_matrix(counts, dtype=np.float64)
    totals = np.asarray(matrix.sum(axis=1)).ravel()
    tf = sp.diags(1.0 / np.maximum(totals, 1e-12)) @ matrix
    frequency = np.asarray(matrix.sum(axis=0)).ravel()
    average = totals.mean() if len(totals) else 0.0
    idf = np.log1p(average / np.maximum(frequency, 1e-12))
    return sp.csr_matrix(tf @ sp.diags(idf))


def name_communities(counts: sp.spmatrix, terms: list[str], top: int = 3) -> list[list[str]]:
    """The `top` terms of each community by c-TF-IDF (ties: the more frequent, then alphabetical)."""
    weights = class_tfidf(counts)
    raw = sp.csr_matrix(counts, dtype=np.float64)
    names: list[list[str]] = []
    for row in range(weights.shape[0]):
        start, end = weights.indptr[row], weights.indptr[row + 1]
        columns, values = weights.indices[start:end], weights.data[start:end]
        frequency = raw[row].toarray().ravel()[columns] if len(columns) else np.zeros(0)
        order = sorted(
            range(len(columns)), key=lambda i: (-round(values[i], 9), -frequency[i], terms[columns[i]])
        )
        names.append([terms[columns[i]] for i in order[:top] if values[i] > 0])
    return names
