"""Grouped cross-validation: no group on both sides, ours and the baseline on the same folds."""

from __future__ import annotations

import numpy as np
import pytest

from nichely.errors import InvalidInput
from nichely.trust.bench import _splits, run_bench
from nichely.trust.dataset import LabelledTexts
from tests.trust.conftest import make_corpus


def _data(n: int, groups: bool = True) -> LabelledTexts:
    texts, labels, hotels = make_corpus(n, seed=11)
    return LabelledTexts(texts, labels, hotels if groups else None, "deceptive", "truthful")


@pytest.mark.parametrize(("folds", "expected"), [(3, 3), (0, 6), (10, 6)])
def test_no_group_is_in_both_train_and_test(folds: int, expected: int) -> None:
    data = _data(60)
    y = np.array([label == "deceptive" for label in data.labels], dtype=int)
    _name, splits = _splits(data, y, folds)
    groups = np.array(data.groups)
    assert len(splits) == expected
    for train, test in splits:
        assert not set(groups[train]) & set(groups[test])
    assert sorted(np.concatenate([test for _, test in splits])) == list(range(60))


def test_run_bench_finds_the_planted_style_and_reports_progress() -> None:
    seen: list[tuple[int, int]] = []
    result = run_bench(_data(72), folds=3, on_fold=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert result.rows == 72
    assert result.groups == 6
    assert result.ours.accuracy >= 0.9
    assert result.ours.roc_auc >= 0.95
    assert 0.0 <= result.baseline.accuracy <= 1.0


def test_one_group_is_refused() -> None:
    texts, labels, _ = make_corpus(20)
    data = LabelledTexts(texts, labels, ["same"] * 20, "deceptive", "truthful")
    with pytest.raises(InvalidInput, match="at least 2 groups"):
        run_bench(data)
