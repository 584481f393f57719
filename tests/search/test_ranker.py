"""The ranker and the features it reads: pure, no database."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nichely.search.evaluate import ndcg_at, recall_at, split_queries
from nichely.search.features import (
    FEATURES,
    DocInfo,
    FieldStats,
    QueryInfo,
    bm25_field,
    feature_matrix,
    local_idf_containment,
    min_window,
    ordered_coverage,
    within_one_edit,
)
from nichely.search.ranker import LambdaMartRanker, LinearRanker, grade, train_lambdamart


def _doc(ref_id: int, title: str) -> DocInfo:
    from nichely.search.analysis import analyze

    return DocInfo(ref_id, title, tuple(analyze(title)), ())


STATS = FieldStats(doc_count=100, avg_length=5.0, df={"drill": 10, "cordless": 5, "bit": 40})


def test_bm25_matches_the_formula():
    # given one term seen once in a doc of average length
    score = bm25_field(["drill"], ["drill", "a", "b", "c", "d"], STATS)
    # then BM25 is idf * tf*(k1+1)/(tf+k1) with Lucene's idf
    idf = math.log1p((100 - 10 + 0.5) / (10 + 0.5))
    assert score == pytest.approx(idf * 2.2 / 2.2)


def test_rarer_terms_weigh_more():
    assert bm25_field(["cordless"], ["cordless"], STATS) > bm25_field(["bit"], ["bit"], STATS)


def test_one_edit_covers_typos_and_nothing_more():
    assert within_one_edit("drill", "dril")
    assert within_one_edit("drill", "drlil")
    assert within_one_edit("hose", "house")
    assert not within_one_edit("drill", "grills")


def test_ordered_coverage_counts_terms_in_query_order():
    assert ordered_coverage(["a", "b", "c"], ["a", "x", "b", "c"]) == 1.0
    assert ordered_coverage(["a", "b", "c"], ["c", "b", "a"]) == pytest.approx(1 / 3)


def test_local_idf_weighs_rare_shared_pieces_more():
    q = frozenset({"abc", "xyz"})
    docs = [frozenset({"abc"}), frozenset({"abc"}), frozenset({"xyz"})]
    scores = local_idf_containment(q, docs)
    assert scores[2] > scores[0] == scores[1]


def test_min_window_prefers_adjacent_terms():
    assert min_window(["a", "b"], ["a", "b", "x"]) == 1.0
    assert min_window(["a", "b"], ["a", "x", "x", "b"]) == 2.0


def test_features_see_through_typos_and_compounds():
    # given a query with a typo and a compound written apart
    q = QueryInfo.from_text("cordles deck over")
    docs = [_doc(1, "DeckOver Cordless Sprayer"), _doc(2, "Garden hose reel")]
    x = feature_matrix(q, docs, STATS, STATS)
    fuzzy = x[:, FEATURES.index("fuzzy_coverage_title")]
    grams = x[:, FEATURES.index("char3_containment")]
    # then the right title wins on fuzzy and character features
    assert fuzzy[0] == 1.0
    assert fuzzy[1] == 0.0
    assert grams[0] > grams[1]
    assert x.shape == (2, len(FEATURES))


def test_relative_columns_divide_by_the_best_candidate():
    q = QueryInfo.from_text("cordless drill")
    x = feature_matrix(q, [_doc(1, "cordless drill"), _doc(2, "drill bit")], STATS, STATS)
    rel = x[:, FEATURES.index("bm25_title_rel")]
    assert rel[0] == 1.0
    assert 0 < rel[1] < 1


def test_vector_similarity_is_missing_without_an_encoder():
    x = feature_matrix(QueryInfo.from_text("drill"), [_doc(1, "drill")], STATS, STATS)
    for name in ("vector_sim", "vector_sim_rel", "vector_sim_gap", "vector_sim_rank"):
        assert np.isnan(x[0, FEATURES.index(name)])


def test_vector_similarity_is_also_read_against_the_best_candidate():
    # given three candidates with cosines 0.80, 0.90 and 0.80, and one without a vector
    q = QueryInfo.from_text("drill")
    docs = [_doc(i, "drill") for i in (1, 2, 3, 4)]
    x = feature_matrix(q, docs, STATS, STATS, vector_sims={1: 0.8, 2: 0.9, 3: 0.8})
    # then each is placed by its gap to the best cosine and its rank (ties share one)
    np.testing.assert_allclose(x[:3, FEATURES.index("vector_sim_gap")], [0.1, 0.0, 0.1])
    np.testing.assert_array_equal(x[:3, FEATURES.index("vector_sim_rank")], [2, 1, 2])
    # and the candidate without a vector stays missing
    assert np.isnan(x[3, FEATURES.index("vector_sim_gap")])
    assert np.isnan(x[3, FEATURES.index("vector_sim_rank")])


def _planted_groups(n: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    # Relevance is planted in one feature column; the others are noise.
    rng = np.random.default_rng(seed)
    col = FEATURES.index("coverage_title")
    groups = []
    for _ in range(n):
        x = rng.random((20, len(FEATURES)))
        y = np.array([grade(2 * v) for v in x[:, col]], dtype=np.int32)
        groups.append((x, y))
    return groups


def test_lambdamart_learns_a_planted_signal(tmp_path):
    # given queries whose relevance is one feature
    ranker = train_lambdamart(_planted_groups(60, 1), num_threads=1, rounds=50)
    # when it ranks unseen queries, it beats a random order
    test = _planted_groups(20, 2)
    learned = [ndcg_at([str(i) for i in np.argsort(-ranker.score(x))], _gains(y)) for x, y in test]
    shuffled = [ndcg_at([str(i) for i in range(len(y))], _gains(y)) for _, y in test]
    assert np.mean(learned) > np.mean(shuffled) + 0.1
    # and a saved model scores the same after loading
    ranker.save(tmp_path / "model.txt")
    again = LambdaMartRanker.load(tmp_path / "model.txt")
    np.testing.assert_allclose(again.score(test[0][0]), ranker.score(test[0][0]))


def _gains(y: np.ndarray) -> dict[str, float]:
    return {str(i): float(g) for i, g in enumerate(y) if g > 0}


def test_model_for_other_features_is_refused():
    with pytest.raises(ValueError, match="different features"):
        LambdaMartRanker(object(), ["something_else"])


def test_linear_ranker_scores_every_row():
    x = np.zeros((3, len(FEATURES)))
    x[1, FEATURES.index("bm25_title")] = 2.0
    assert int(np.argmax(LinearRanker().score(x))) == 1


def test_ndcg_and_recall():
    gains = {"a": 2.0, "b": 1.0}
    assert ndcg_at(["a", "b"], gains) == pytest.approx(1.0)
    assert ndcg_at(["b", "a"], gains) < 1.0
    assert ndcg_at(["x"], {}) == 0.0
    assert recall_at(["b", "x"], gains, 100) == 0.5


def test_query_split_is_stable_and_disjoint():
    queries = [f"q{i}" for i in range(200)]
    train, test = split_queries(queries, seed=3)
    assert split_queries(reversed(queries), seed=3) == (train, test)
    assert not set(train) & set(test)
    assert 60 < len(train) < 140
