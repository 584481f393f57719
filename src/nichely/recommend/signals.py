"""The scoring signals a recommender blends, built from one interaction matrix and a trust graph.

Signals (each gives every user a score per item):
- people: what people like you have, over a graph of taste neighbours (cosine on IDF-weighted
  profiles) plus the people you trust/follow, sharing attention `trust_share`;
- items:  items that go with the ones you have (item cosine neighbours);
- factors: implicit ALS (Hu, Koren & Volinsky, "Collaborative filtering for implicit feedback
  datasets", ICDM 2008), via the `implicit` package;
- popularity: how many people have the item, a prior for anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from nichely.recommend import graphs

SIGNALS = ("people", "items", "factors", "popularity")
Step = Callable[[str], None]


@dataclass(frozen=True)
class SignalSettings:
    """Sizes of the neighbour graphs and the factor model."""

    user_neighbours: int = 100
    item_neighbours: int = 100
    item_shrink: float = 10.0
    factors: int = 64
    factor_iterations: int = 15
    factor_regularization: float = 0.01
    use_factors: bool = True
    threads: int = 2
    seed: int = 0


@dataclass
class Signals:
    """The fitted signals: sparse graphs, popularity, optional ALS factors."""

    interactions: sp.csr_matrix  # user x item, binary
    taste: sp.csr_matrix  # user x user, rows sum to 1 (or empty)
    trust: sp.csr_matrix  # user x user, rows sum to 1 (or empty)
    item_graph: sp.csr_matrix  # item x item cosine neighbours
    popularity: np.ndarray  # item -> count
    user_factors: np.ndarray | None = None
    item_factors: np.ndarray | None = None

    def people_graph(self, users: np.ndarray, trust_share: float) -> sp.csr_matrix:
        """Whose items count for these users: taste neighbours and trusted people mixed.

        Someone with no taste neighbours yet (no items) listens only to the people they trust.
        """
        taste, trust = self.taste[users], self.trust[users]
        has_taste = np.diff(taste.indptr) > 0
        trust_weight = np.where(has_taste, trust_share, 1.0).astype(np.float32)
        taste_weight = np.where(has_taste, 1.0 - trust_share, 0.0).astype(np.float32)
        return sp.csr_matrix(sp.diags(taste_weight) @ taste + sp.diags(trust_weight) @ trust)

    def score(self, name: str, users: np.ndarray, trust_share: float) -> np.ndarray:
        """Dense scores of one signal for a batch of users (rows) over all items."""
        if name == "people":
            return (self.people_graph(users, trust_share) @ self.interactions).toarray()
        if name == "items":
            return (self.interactions[users] @ self.item_graph).toarray()
        if name == "popularity":
            return np.tile(
                self.popularity / max(float(self.popularity.max(initial=0.0)), 1.0), (len(users), 1)
            )
        if name == "factors":
            if self.user_factors is None or self.item_factors is None:
                return np.zeros((len(users), self.interactions.shape[1]), dtype=np.float32)
            return self.user_factors[users] @ self.item_factors.T
        raise ValueError(f"unknown signal {name!r}; choose from {list(SIGNALS)}")


def idf_weights(interactions: sp.csr_matrix) -> np.ndarray:
    """log(users / item popularity): owning a rare item says more about taste than a hit does."""
    popularity = np.maximum(np.asarray(interactions.sum(axis=0)).ravel(), 1.0)
    return np.log1p(interactions.shape[0] / popularity).astype(np.float32)


def fit_factors(interactions: sp.csr_matrix, settings: SignalSettings) -> tuple[np.ndarray, np.ndarray]:
    """Implicit ALS user and item factors, single-threaded BLAS as `implicit` requires."""
    from implicit.cpu.als import AlternatingLeastSquares

    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(
            factors=settings.factors,
            regularization=settings.factor_regularization,
            iterations=settings.factor_iterations,
            num_threads=settings.threads,
            random_state=settings.seed,
        )
        model.fit(sp.csr_matrix(interactions, dtype=np.float32), show_progress=False)
    return np.asarray(model.user_factors, dtype=np.float32), np.asarray(model.item_factors, dtype=np.float32)


def build_signals(
    interactions: sp.csr_matrix,
    social: sp.csr_matrix | None,
    settings: SignalSettings,
    on_step: Step | None = None,
) -> Signals:
    """Fit every signal on one interaction matrix (users x items) and trust graph (users x users)."""
    step = on_step or (lambda _name: None)
    interactions = sp.csr_matrix(interactions, dtype=np.float32)
    n_users = interactions.shape[0]
    step("people like you")
    weighted = sp.csr_matrix(interactions @ sp.diags(idf_weights(interactions)))
    taste = graphs.row_normalise(graphs.cosine_neighbours(weighted, settings.user_neighbours, shrink=0.0))
    trust = (
        graphs.row_normalise(sp.csr_matrix(social, dtype=np.float32))
        if social is not None
        else sp.csr_matrix((n_users, n_users), dtype=np.float32)
    )
    step("items that go together")
    item_graph = graphs.cosine_neighbours(
        sp.csr_matrix(interactions.T), settings.item_neighbours, shrink=settings.item_shrink
    )
    signals = Signals(interactions, taste, trust, item_graph, graphs.item_popularity(interactions))
    if settings.use_factors and interactions.nnz and min(interactions.shape) > settings.factors:
        step("latent factors (ALS)")
        signals.user_factors, signals.item_factors = fit_factors(interactions, settings)
    return signals
