"""Recall@k, NDCG@k and the hold-out split against hand-computed small examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from nichely.recommend.metrics import holdout_split, mean_ranking_scores, ndcg_at_k, recall_at_k


def test_recall_counts_hits_in_the_first_k_over_all_relevant():
    # given a ranking with one of two relevant items in the top 2
    ranked, relevant = [3, 1, 2, 5], {1, 5}
    # then
    assert recall_at_k(ranked, relevant, 2) == 0.5
    assert recall_at_k(ranked, relevant, 4) == 1.0
    assert recall_at_k(ranked, set(), 4) == 0.0


def test_ndcg_discounts_by_rank_and_normalises_by_the_ideal():
    # given a hit at rank 2 of 2 with two relevant items: DCG = 1/log2(3), ideal = 1 + 1/log2(3)
    expected = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    # then
    assert ndcg_at_k([3, 1, 2], {1, 5}, 2) == pytest.approx(expected)
    assert ndcg_at_k([1, 5, 2], {1, 5}, 2) == pytest.approx(1.0)
    # the ideal counts at most k hits: one hit at rank 1 with k=1 is perfect even with 2 relevant
    assert ndcg_at_k([5, 1], {1, 5}, 1) == pytest.approx(1.0)


def test_mean_scores_skip_users_without_held_out_items():
    # given user 0 with held-out {1}, user 1 with nothing held out
    held = sp.csr_matrix(np.array([[0, 1, 0], [0, 0, 0]], dtype=np.float32))
    top = np.array([[1, 2], [0, 2]])
    # when
    scores = mean_ranking_scores(top, np.array([0, 1]), held, 2)
    # then only user 0 counts, with a perfect hit
    assert scores.users == 1
    assert scores.recall == 1.0
    assert scores.ndcg == pytest.approx(1.0)


def test_holdout_split_moves_a_fifth_of_each_large_profile_and_is_seeded():
    # given one person with 10 items and one with 4
    matrix = sp.csr_matrix(np.array([[1] * 10 + [0] * 2, [1] * 4 + [0] * 8], dtype=np.float32))
    # when
    train, held = holdout_split(matrix, 0.2, 5, seed=3)
    again_train, again_held = holdout_split(matrix, 0.2, 5, seed=3)
    # then 2 of 10 are held out, the small profile stays whole, nothing is lost or duplicated
    assert held[0].nnz == 2
    assert held[1].nnz == 0
    assert (train + held != matrix).nnz == 0
    assert train.multiply(held).nnz == 0
    assert (again_held != held).nnz == 0
    assert (again_train != train).nnz == 0
