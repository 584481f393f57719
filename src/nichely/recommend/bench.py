"""The recommendation benchmark: a seeded hold-out split, our recommender and two baselines.

Per user with at least 5 items, a random 20% is held out. Ours, popularity and implicit ALS
(64 factors) are all fitted on the rest in the same run and ranked over the full catalogue,
items already owned excluded.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from nichely.recommend.blend import top_k
from nichely.recommend.data import iter_batches
from nichely.recommend.metrics import RankingScores, holdout_split, mean_ranking_scores
from nichely.recommend.model import Recommender, RecommenderSettings
from nichely.recommend.signals import SignalSettings, Step, fit_factors


@dataclass(frozen=True)
class MethodResult:
    """One method's scores, how long it took to fit, and the process's peak memory afterwards."""

    name: str
    scores: RankingScores
    fit_seconds: float
    peak_memory_mb: float


@dataclass(frozen=True)
class BenchmarkReport:
    """Every method's result on one split, plus the split's size."""

    methods: list[MethodResult]
    users: int
    items: int
    train_interactions: int
    held_out_interactions: int
    evaluated_users: int


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def rank_all(
    score: Callable[[np.ndarray], np.ndarray], users: np.ndarray, seen: sp.csr_matrix, k: int
) -> np.ndarray:
    """Top-k unseen items for every user, scored in batches."""
    rows = [
        top_k(score(users[part]), k, exclude=seen[users[part]])[0] for part in iter_batches(len(users), 512)
    ]
    return np.vstack(rows)


def run_benchmark(
    interactions: sp.csr_matrix,
    social: sp.csr_matrix | None,
    k: int = 20,
    seed: int = 0,
    settings: RecommenderSettings | None = None,
    on_step: Step | None = None,
) -> BenchmarkReport:
    """Split, fit ours and the baselines on the training part, and score each on the held-out part."""
    step = on_step or (lambda _name: None)
    if social is not None and social.shape[0] > interactions.shape[0]:
        interactions = sp.vstack(
            [interactions, sp.csr_matrix((social.shape[0] - interactions.shape[0], interactions.shape[1]))]
        ).tocsr()
    train, held = holdout_split(interactions, 0.2, 5, seed=seed)
    users = np.flatnonzero(np.diff(held.indptr) > 0)
    results = []

    step("popularity")
    started = time.perf_counter()
    popularity = np.asarray(train.sum(axis=0), dtype=np.float32).ravel()
    fitted = time.perf_counter() - started
    top = rank_all(lambda batch: np.tile(popularity, (len(batch), 1)), users, train, k)
    results.append(
        MethodResult("popularity", mean_ranking_scores(top, users, held, k), fitted, peak_memory_mb())
    )

    step("implicit ALS, 64 factors")
    started = time.perf_counter()
    user_factors, item_factors = fit_factors(train, SignalSettings(factors=64, seed=seed))
    fitted = time.perf_counter() - started
    top = rank_all(lambda batch: user_factors[batch] @ item_factors.T, users, train, k)
    results.append(
        MethodResult(
            "implicit ALS (64 factors)", mean_ranking_scores(top, users, held, k), fitted, peak_memory_mb()
        )
    )

    step("ours")
    started = time.perf_counter()
    model = Recommender(settings).fit(train, social, on_step=lambda name: step(f"ours: {name}"))
    fitted = time.perf_counter() - started
    top = model.recommend(users, k).items
    results.append(
        MethodResult(
            "nichely recommender", mean_ranking_scores(top, users, held, k), fitted, peak_memory_mb()
        )
    )

    return BenchmarkReport(
        methods=results,
        users=interactions.shape[0],
        items=interactions.shape[1],
        train_interactions=train.nnz,
        held_out_interactions=held.nnz,
        evaluated_users=len(users),
    )
