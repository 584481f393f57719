"""The people-centric recommender: fit on who-has-what plus who-follows-whom, recommend, explain.

`Recommender.fit` first holds out part of the training data (seeded), fits every signal on the
rest, chooses how much to listen to trusted people and how to weigh the signals on what was held
out, then refits the signals on all the data with those choices. Nothing is tuned by hand to a
particular data set.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from nichely.errors import InvalidInput
from nichely.recommend.blend import (
    TIE_BREAK,
    blend_quality,
    candidate_scores,
    choose_weights,
    scale_rows,
    top_k,
)
from nichely.recommend.data import IdMap, iter_batches, pad_rows
from nichely.recommend.metrics import holdout_split
from nichely.recommend.signals import SIGNALS, Signals, SignalSettings, Step, build_signals

DEFAULT_WEIGHTS = {"people": 1.0, "items": 0.25, "factors": 0.25, "popularity": 0.1}
TRUST_SHARES = (0.0, 0.15, 0.3, 0.5)


@dataclass(frozen=True)
class RecommenderSettings:
    """How to fit: signal sizes plus the internal validation used to choose the blend."""

    signals: SignalSettings = field(default_factory=SignalSettings)
    validation_fraction: float = 0.2
    validation_min_items: int = 5
    validation_users: int = 3000
    validation_depth: int = 200
    validation_k: int = 20
    trust_share: float | None = None  # None: choose on validation
    weights: dict[str, float] | None = None  # None: choose on validation
    batch_users: int = 512


@dataclass(frozen=True)
class Recommendations:
    """Item indices and blended scores for each requested user, best first (one row per user)."""

    items: np.ndarray
    scores: np.ndarray


class Recommender:
    """Blend of people-like-you, trusted people, item neighbours, latent factors and popularity."""

    def __init__(self, settings: RecommenderSettings | None = None) -> None:
        self.settings = settings or RecommenderSettings()
        self.signals: Signals | None = None
        self.weights: dict[str, float] = dict(DEFAULT_WEIGHTS)
        self.trust_share: float = 0.3
        self.validation_quality: float | None = None
        self.users: IdMap | None = None
        self.items: IdMap | None = None
        self.meta: dict[str, str] = {}

    # --- fitting -------------------------------------------------------------------------------

    def fit(
        self,
        interactions: sp.spmatrix | np.ndarray,
        social: sp.spmatrix | np.ndarray | None = None,
        *,
        users: IdMap | None = None,
        items: IdMap | None = None,
        on_step: Step | None = None,
    ) -> Recommender:
        """Fit on a users x items matrix (nonzero = has it) and an optional users x users trust graph.

        The social graph may have more rows than the interactions (people who follow but own
        nothing yet); interactions are padded with empty rows to match.
        """
        matrix = _binary(interactions)
        trust = _binary(social) if social is not None else None
        if trust is not None:
            if trust.shape[0] != trust.shape[1] or trust.shape[0] < matrix.shape[0]:
                raise InvalidInput(
                    f"social graph must be square and cover every user; got {trust.shape} for {matrix.shape[0]} users"
                )
            matrix = pad_rows(matrix, trust.shape[0])
        step = on_step or (lambda _name: None)
        self.users, self.items = users, items
        settings = self.settings
        self.weights = dict(settings.weights) if settings.weights is not None else dict(DEFAULT_WEIGHTS)
        self.trust_share = (
            settings.trust_share if settings.trust_share is not None else 0.3 if trust is not None else 0.0
        )
        if settings.weights is None or (settings.trust_share is None and trust is not None):
            self._choose_blend(matrix, trust, step)
        step("fitting on all data")
        self.signals = build_signals(matrix, trust, settings.signals, on_step=step)
        return self

    def _choose_blend(self, matrix: sp.csr_matrix, trust: sp.csr_matrix | None, step: Step) -> None:
        settings = self.settings
        train, held = holdout_split(
            matrix,
            settings.validation_fraction,
            settings.validation_min_items,
            seed=settings.signals.seed + 1,
        )
        users = np.flatnonzero(np.diff(held.indptr) > 0)
        if len(users) < 10:
            return  # too little data to choose anything; keep the defaults
        rng = np.random.default_rng(settings.signals.seed + 2)
        if len(users) > settings.validation_users:
            users = np.sort(rng.choice(users, settings.validation_users, replace=False))
        step("validation: fitting on part of the data")
        signals = build_signals(
            train, trust, settings.signals, on_step=lambda name: step(f"validation: {name}")
        )
        seen = train[users]
        k = settings.validation_k
        names = [name for name in SIGNALS if name != "factors" or signals.user_factors is not None]
        tie_break = scale_rows(signals.popularity[None, :])[0]
        step("validation: choosing the blend")

        def candidates_for(name: str, share: float) -> sp.csr_matrix:
            return sp.csr_matrix(
                sp.vstack(
                    [
                        candidate_scores(
                            signals.score(name, users[part], share), seen[part], settings.validation_depth
                        )
                        for part in iter_batches(len(users), settings.batch_users)
                    ]
                )
            )

        if trust is not None and trust.nnz and settings.trust_share is None:
            best_share, best_quality = self.trust_share, -1.0
            for share in TRUST_SHARES:
                quality = blend_quality(
                    {"people": candidates_for("people", share)}, {"people": 1.0}, tie_break, held, users, k
                )
                if quality > best_quality:
                    best_share, best_quality = share, quality
            self.trust_share = best_share
        if settings.weights is not None:
            return
        candidates = {name: candidates_for(name, self.trust_share) for name in names}
        start = {name: DEFAULT_WEIGHTS[name] for name in names}
        self.weights, self.validation_quality = choose_weights(
            lambda weights: blend_quality(candidates, weights, tie_break, held, users, k), names, start
        )
        self.weights = {name: self.weights.get(name, 0.0) for name in SIGNALS}

    # --- using -------------------------------------------------------------------------------

    def _fitted(self) -> Signals:
        if self.signals is None:
            raise InvalidInput("the recommender is not fitted yet")
        return self.signals

    @property
    def n_users(self) -> int:
        """Users the model knows (rows of its interaction matrix)."""
        return self._fitted().interactions.shape[0]

    @property
    def n_items(self) -> int:
        """Items the model knows."""
        return self._fitted().interactions.shape[1]

    def score(self, users: np.ndarray) -> np.ndarray:
        """Blended scores (users x items) before excluding anything; -1 marks an unknown user."""
        signals = self._fitted()
        users = np.asarray(users, dtype=np.int64)
        known = (users >= 0) & (users < signals.interactions.shape[0])
        safe = np.where(known, users, 0)
        total = np.zeros((len(users), signals.interactions.shape[1]), dtype=np.float32)
        for name, weight in self.weights.items():
            if weight:
                total += weight * scale_rows(signals.score(name, safe, self.trust_share)).astype(np.float32)
        # Someone with no items yet: the blend was chosen for people with a history, so they get
        # only what the people they follow have (then popularity, below).
        cold = known & (np.diff(signals.interactions.indptr)[safe] == 0)
        if cold.any():
            total[cold] = scale_rows(signals.score("people", safe[cold], self.trust_share))
        total[~known] = 0.0
        # Popularity orders whatever the signals leave tied, and is all a stranger gets.
        prior = scale_rows(signals.popularity[None, :]).astype(np.float32)
        has_signal = total.max(axis=1, keepdims=True) > 0
        return total + np.where(has_signal, TIE_BREAK, 1.0).astype(np.float32) * prior

    def recommend(self, users: int | np.ndarray, k: int = 20, exclude_seen: bool = True) -> Recommendations:
        """Top-k items for one user index or an array of them; -1 (unknown) gets the fallback."""
        signals = self._fitted()
        batch = np.atleast_1d(np.asarray(users, dtype=np.int64))
        item_rows, score_rows = [], []
        for part in iter_batches(len(batch), self.settings.batch_users):
            chunk = batch[part]
            scores = self.score(chunk)
            exclude = None
            if exclude_seen:
                known = (chunk >= 0) & (chunk < signals.interactions.shape[0])
                exclude = sp.csr_matrix(
                    sp.diags(known.astype(np.float32)) @ signals.interactions[np.where(known, chunk, 0)]
                )
            items, values = top_k(scores, k, exclude)
            item_rows.append(items)
            score_rows.append(values)
        items = np.vstack(item_rows) if item_rows else np.zeros((0, k), dtype=np.int64)
        values = np.vstack(score_rows) if score_rows else np.zeros((0, k), dtype=np.float32)
        if np.ndim(users) == 0:
            finite = np.isfinite(values[0])
            return Recommendations(items[0][finite], values[0][finite])
        return Recommendations(items, values)

    def similar_users(self, user: int, k: int = 10) -> Recommendations:
        """People like you: taste neighbours first, then the people you trust."""
        signals = self._fitted()
        row = signals.people_graph(np.array([user]), self.trust_share).toarray()
        row[0, user] = -np.inf
        items, values = top_k(row, k)
        keep = np.isfinite(values[0]) & (values[0] > 0)
        return Recommendations(items[0][keep], values[0][keep])

    def similar_items(self, item: int, k: int = 10) -> Recommendations:
        """Items owned by the same people as this one (cosine neighbours)."""
        signals = self._fitted()
        row = signals.item_graph[item]
        order = np.argsort(-row.data, kind="stable")[:k]
        return Recommendations(row.indices[order].astype(np.int64), row.data[order])

    # --- storing -------------------------------------------------------------------------------

    def save(self, path: Path | str) -> None:
        """Write the fitted model to one file (see nichely.recommend.store for the format)."""
        from nichely.recommend.store import save_recommender

        save_recommender(self, Path(path))

    @classmethod
    def load(cls, path: Path | str) -> Recommender:
        """Read a model written by `save`; refuses files that are not Nichely recommender models."""
        from nichely.recommend.store import load_recommender

        return load_recommender(Path(path))

    def describe(self) -> dict[str, object]:
        """Choices made while fitting, for logs and the CLI."""
        return {
            "weights": dict(self.weights),
            "trust_share": self.trust_share,
            "validation_quality": self.validation_quality,
            "signals": asdict(self.settings.signals),
        }


def _binary(matrix: sp.spmatrix | np.ndarray) -> sp.csr_matrix:
    result = sp.csr_matrix(matrix, dtype=np.float32)
    result.sum_duplicates()
    result.eliminate_zeros()
    result.data[:] = 1.0
    return result


def with_signal_settings(settings: RecommenderSettings, **changes: object) -> RecommenderSettings:
    """A copy of the settings with some signal settings changed (e.g. fewer factors in tests)."""
    return replace(settings, signals=replace(settings.signals, **changes))  # type: ignore[arg-type]
