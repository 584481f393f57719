"""Factories for synthetic people/item data with a known answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
import scipy.sparse as sp

from nichely.recommend.model import RecommenderSettings, with_signal_settings


@dataclass(frozen=True)
class Communities:
    """Two planted taste communities: people 0..n-1 like items 0..m-1 (A), the rest like B."""

    matrix: sp.csr_matrix
    a_users: np.ndarray
    b_users: np.ndarray
    a_items: np.ndarray
    b_items: np.ndarray


@pytest.fixture
def make_communities() -> Callable[..., Communities]:
    def make(users_per: int = 30, items_per: int = 12, owned: int = 6, seed: int = 0) -> Communities:
        rng = np.random.default_rng(seed)
        rows, cols = [], []
        for community in (0, 1):
            for user in range(community * users_per, (community + 1) * users_per):
                chosen = rng.choice(items_per, size=owned, replace=False) + community * items_per
                rows += [user] * owned
                cols += chosen.tolist()
        matrix = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(2 * users_per, 2 * items_per)
        )
        return Communities(
            matrix,
            np.arange(users_per),
            np.arange(users_per, 2 * users_per),
            np.arange(items_per),
            np.arange(items_per, 2 * items_per),
        )

    return make


@pytest.fixture
def small_settings() -> RecommenderSettings:
    """Few ALS factors and iterations: the tests are about behaviour, not accuracy."""
    return with_signal_settings(RecommenderSettings(), factors=4, factor_iterations=3, threads=1)
