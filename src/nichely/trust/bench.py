"""Grouped cross-validation of a `TextDetector` beside a baseline computed in the same run.

No group (e.g. hotel) is ever in both the training and the test part of a fold, so the figures
say how the detector does on notes about things it has never seen. The baseline is the classic
one of Ott et al. (ACL 2011): word unigram+bigram TF-IDF with a linear SVM.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut, StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.svm import LinearSVC

from nichely.errors import InvalidInput
from nichely.trust.dataset import LabelledTexts
from nichely.trust.detectors import TextDetector

__all__ = ["BenchResult", "Scores", "baseline_model", "run_bench"]


@dataclass(frozen=True)
class Scores:
    """Accuracy, F1 of the positive label and ROC AUC over all out-of-fold predictions."""

    accuracy: float
    f1: float
    roc_auc: float
    fit_seconds: float


@dataclass(frozen=True)
class BenchResult:
    """Our detector and the baseline, scored on the same folds."""

    ours: Scores
    baseline: Scores
    splitter: str
    folds: int
    rows: int
    groups: int


def baseline_model() -> Pipeline:
    """Word 1-2-gram TF-IDF with a linear SVM: the reference every detector must beat."""
    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LinearSVC())


def _splits(
    data: LabelledTexts, y: np.ndarray, folds: int
) -> tuple[str, list[tuple[np.ndarray, np.ndarray]]]:
    index = np.arange(len(y))
    if data.groups is None:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
        return f"stratified {folds}-fold (no groups)", list(splitter.split(index, y))
    n_groups = len(set(data.groups))
    if n_groups < 2:
        raise InvalidInput("grouped cross-validation needs at least 2 groups")
    if folds == 0 or folds >= n_groups:
        return f"leave-one-group-out ({n_groups} groups)", list(
            LeaveOneGroupOut().split(index, y, data.groups)
        )
    return f"group {folds}-fold ({n_groups} groups)", list(GroupKFold(folds).split(index, y, data.groups))


def _score(y: np.ndarray, score: np.ndarray, threshold: float, seconds: float) -> Scores:
    predicted = (score >= threshold).astype(int)
    return Scores(
        accuracy=float(accuracy_score(y, predicted)),
        f1=float(f1_score(y, predicted)),
        roc_auc=float(roc_auc_score(y, score)),
        fit_seconds=seconds,
    )


def run_bench(
    data: LabelledTexts,
    *,
    folds: int = 5,
    on_fold: Callable[[int, int], None] | None = None,
    make_detector: Callable[[str], TextDetector] = TextDetector,
) -> BenchResult:
    """Cross-validate our detector and the baseline on the same folds; `folds=0` leaves one group out.

    `on_fold(done, total)` is called after each fold (for a progress bar).
    """
    y = np.array([label == data.positive for label in data.labels], dtype=int)
    texts = np.array(data.texts, dtype=object)
    labels = np.array(data.labels, dtype=object)
    splitter, splits = _splits(data, y, folds)
    ours = np.zeros(len(y))
    base = np.zeros(len(y))
    ours_seconds = base_seconds = 0.0
    for done, (train, test) in enumerate(splits, start=1):
        # The same code path as `nichely trust fit` / `trust predict`.
        started = time.perf_counter()
        detector = make_detector(data.positive).fit(list(texts[train]), list(labels[train]))
        ours_seconds += time.perf_counter() - started
        ours[test] = detector.predict_proba(list(texts[test]))[:, 1]
        started = time.perf_counter()
        baseline = baseline_model().fit(list(texts[train]), y[train])
        base_seconds += time.perf_counter() - started
        base[test] = baseline.decision_function(list(texts[test]))
        if on_fold:
            on_fold(done, len(splits))
    return BenchResult(
        ours=_score(y, ours, 0.5, ours_seconds / len(splits)),
        baseline=_score(y, base, 0.0, base_seconds / len(splits)),
        splitter=splitter,
        folds=len(splits),
        rows=len(y),
        groups=len(set(data.groups)) if data.groups is not None else 0,
    )
