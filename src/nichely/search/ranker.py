"""Rankers: a learned LambdaMART model, and a fixed linear blend used until one is trained.

LambdaMART (Burges, "From RankNet to LambdaRank to LambdaMART: An Overview", MSR-TR-2010-82)
as implemented by LightGBM's `lambdarank` objective. Labels are integer grades; each grade's
gain is set to the grade itself, so training optimises the same linear-gain nDCG we report.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from nichely.search.features import FEATURES

GRADES = 7  # graded labels 0..6


class Ranker(Protocol):
    """Anything that scores a candidate feature matrix (higher is better)."""

    def score(self, x: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class LinearRanker:
    """A hand-set blend of lexical features: the ranking before any model is trained."""

    weights: tuple[tuple[str, float], ...] = (
        ("bm25_title", 1.0),
        ("bm25_body", 0.3),
        ("idf_coverage_title", 2.0),
        ("char3_containment", 1.0),
        ("note_matches", 0.5),
    )

    def score(self, x: np.ndarray) -> np.ndarray:
        out = np.zeros(len(x))
        for name, w in self.weights:
            out += w * np.nan_to_num(x[:, FEATURES.index(name)])
        return out


def grade(gain: float) -> int:
    """An integer label 0..6 for a gain in [0, 2] (thirds, as three raters' mean gives)."""
    return int(min(GRADES - 1, max(0, round(gain * 3))))


class LambdaMartRanker:
    """A LightGBM lambdarank booster plus the feature names it was trained on."""

    def __init__(self, booster: object, features: Sequence[str] = FEATURES) -> None:
        self.booster = booster
        self.features = tuple(features)
        if self.features != FEATURES:
            raise ValueError(
                "model was trained on different features; retrain with `nichely search train-ranker`"
            )

    def score(self, x: np.ndarray) -> np.ndarray:
        if not len(x):
            return np.zeros(0)
        return np.asarray(self.booster.predict(x, num_threads=1), dtype=np.float64)  # type: ignore[attr-defined]

    def save(self, path: Path) -> None:
        """Write the model as LightGBM text, with our feature names in a sidecar JSON."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(path))  # type: ignore[attr-defined]
        path.with_suffix(path.suffix + ".json").write_text(json.dumps({"features": list(self.features)}))

    @classmethod
    def load(cls, path: Path) -> LambdaMartRanker:
        """Read a model written by `save`."""
        import lightgbm

        meta = json.loads(path.with_suffix(path.suffix + ".json").read_text())
        return cls(lightgbm.Booster(model_file=str(path)), meta["features"])


def train_lambdamart(
    groups: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    seed: int = 7,
    num_threads: int = 1,
    rounds: int = 300,
    num_leaves: int = 7,
    valid_fraction: float = 0.0,
) -> LambdaMartRanker:
    """Train on per-query (features, integer grades) groups for a fixed number of rounds.

    A seeded `valid_fraction` slice can stop training early, but on Home Depot that slice was too
    noisy (it stopped anywhere from 5 to 41 rounds as features were added); fixed rounds at a
    low learning rate with large leaves are steadier and no worse. 300 rounds of 7-leaf trees
    were chosen by 3-fold cross-validation over the training queries only (docs/benchmarks.md).
    """
    import lightgbm

    groups = [(x, y) for x, y in groups if len(x) and np.any(y > 0)]
    if not groups:
        raise ValueError("no query has a positive label: nothing to learn from")
    order = np.random.default_rng(seed).permutation(len(groups))
    n_valid = int(len(groups) * valid_fraction) if len(groups) >= 20 else 0
    valid, train = order[:n_valid], order[n_valid:]

    def dataset(idx: np.ndarray) -> lightgbm.Dataset:
        x = np.vstack([groups[i][0] for i in idx])
        y = np.concatenate([groups[i][1] for i in idx])
        return lightgbm.Dataset(
            x, y, group=[len(groups[i][1]) for i in idx], feature_name=list(FEATURES), free_raw_data=False
        )

    params = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "eval_at": [10],
        "label_gain": list(range(GRADES)),
        "lambdarank_truncation_level": 20,
        "learning_rate": 0.03,
        "num_leaves": num_leaves,
        "min_data_in_leaf": min(200, max(20, sum(len(y) for _, y in groups) // 2000)),
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "num_threads": num_threads,
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        "verbose": -1,
    }
    train_set = dataset(train)
    callbacks: list[Callable[..., Any]] = []
    valid_sets = []
    if n_valid:
        valid_sets = [dataset(valid)]
        callbacks.append(lightgbm.early_stopping(40, verbose=False))
    booster = lightgbm.train(params, train_set, rounds, valid_sets=valid_sets, callbacks=callbacks)
    return LambdaMartRanker(booster)


def load_ranker(path: Path | None) -> Ranker:
    """The model at `path`, or the linear blend when no path is given."""
    return LambdaMartRanker.load(path) if path else LinearRanker()
