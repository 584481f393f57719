"""Query-side features: spelling, quantities, compounds, feedback, brand and head matches."""

from __future__ import annotations

import math

import numpy as np

from nichely.search.analysis import analyze, stem
from nichely.search.features import (
    FEATURES,
    DocInfo,
    FieldStats,
    QueryInfo,
    bm25_field,
    compound_features,
    feature_matrix,
    feedback_similarity,
    feedback_weights,
    quantities_of,
    quantity_features,
    query_doc_features,
)
from nichely.search.index import spelling_words
from nichely.text.spelling import SpellCorrector

STATS = FieldStats(doc_count=100, avg_length=5.0, df={stem("toilet"): 5, stem("seat"): 20, "ring": 10})


def _doc(ref_id: int, title: str) -> DocInfo:
    return DocInfo(ref_id, title, tuple(analyze(title)), ())


def _column(x: np.ndarray, name: str) -> np.ndarray:
    return x[:, FEATURES.index(name)]


def test_a_typo_is_searched_and_scored_as_the_catalogue_spells_it():
    # given a speller that knows the catalogue's words
    speller = SpellCorrector({"toilet": 5, "seat": 9})
    # when a query with a typo is analysed
    q = QueryInfo.from_text("toliet seat", speller=speller)
    # then retrieval uses both spellings and the fixed features score the corrected one
    assert q.terms == (stem("toliet"), stem("seat"))
    assert q.fixed_terms == (stem("toilet"), stem("seat"))
    assert q.search_terms == (stem("toliet"), stem("seat"), stem("toilet"))
    x = feature_matrix(q, [_doc(1, "Elongated Toilet Seat"), _doc(2, "Wax Ring")], STATS, STATS)
    assert list(_column(x, "fixed_coverage_title")) == [1.0, 0.0]
    assert list(_column(x, "coverage_title")) == [0.5, 0.0]
    assert list(_column(x, "spelling_corrected")) == [1.0, 1.0]


def test_without_a_typo_fixed_features_equal_the_plain_ones():
    q = QueryInfo.from_text("toilet seat", speller=SpellCorrector({"toilet": 5, "seat": 9}))
    x = feature_matrix(q, [_doc(1, "Elongated Toilet Seat")], STATS, STATS)
    assert q.fixed_terms == q.terms
    assert _column(x, "fixed_bm25_title")[0] == _column(x, "bm25_title")[0]
    assert _column(x, "spelling_corrected")[0] == 0.0


# Columns feature_matrix fills from the other candidates; a candidate alone has NaN there.
_RELATIVE = {
    "bm25_title_rel",
    "bm25_body_rel",
    "char3_rel",
    "char3_local_idf",
    "vector_sim_rel",
    "prf_title",
    "prf_head",
    "vector_sim_gap",
    "vector_sim_rank",
}


def test_a_page_reads_the_query_once_and_scores_each_candidate_as_alone():
    # given a query with a typo, a quantity, an attribute and Chinese, and varied candidates
    speller = SpellCorrector({"toilet": 5, "seat": 9, "elongated": 3})
    q = QueryInfo.from_text("toliet seat 3/4 in. 座椅", {"color": "white"}, speller=speller)
    body = FieldStats(doc_count=100, avg_length=12.0, df={stem("seat"): 40, "座椅": 3})
    docs = [
        DocInfo(
            1,
            "Elongated Toilet Seat 3/4 in. White",
            tuple(analyze("Elongated Toilet Seat 3/4 in. White")),
            tuple(analyze("a quiet seat for a small bathroom")),
            attributes={"color": "white"},
        ),
        _doc(2, "Wax Ring"),
        _doc(3, "马桶 座椅 白色"),
        DocInfo(4, "", (), ()),
    ]
    # when the whole page is featurised (one query view shared by every candidate)
    x = feature_matrix(q, docs, STATS, body)
    # then each row equals the candidate's features computed on its own
    own = [i for i, name in enumerate(FEATURES) if name not in _RELATIVE]
    for row, doc in zip(x, docs, strict=True):
        np.testing.assert_array_equal(row[own], np.array(query_doc_features(q, doc, STATS, body))[own])
    # and the corrected spelling is scored with BM25 of the corrected terms
    assert _column(x, "fixed_bm25_title")[0] == bm25_field(q.fixed_terms, docs[0].title_terms, STATS)
    assert _column(x, "bm25_body")[0] == bm25_field(q.terms, docs[0].body_terms, body)
    assert _column(x, "fixed_bm25_title")[0] > _column(x, "bm25_title")[0]


def test_spelling_words_are_letters_only():
    assert spelling_words("BEHR 1-gal. #SC-141 Tugboat Wood") == {"behr", "gal", "tugboat", "wood"}


def test_quantities_match_whatever_the_unit_spelling():
    # given the same length written three ways, and a different one
    query = quantities_of("3/4 in. copper pipe")
    # then they match, and a different value of the same kind conflicts
    assert quantity_features(query, quantities_of("0.75 inch Copper Pipe")) == (1.0, 0.0)
    assert quantity_features(query, quantities_of("3/4 in Copper Pipe")) == (1.0, 0.0)
    assert quantity_features(query, quantities_of("1/2 in. Copper Pipe")) == (0.0, 1.0)
    assert quantity_features(query, quantities_of("Copper Pipe")) == (0.0, 0.0)
    assert all(math.isnan(v) for v in quantity_features((), quantities_of("1/2 in. Pipe")))


def test_dimensions_match_inside_longer_ones():
    assert quantity_features(quantities_of("2x4"), quantities_of("2 x 4 x 8 Stud"))[0] == 1.0


def test_compounds_match_joined_or_split():
    assert compound_features(["door", "knob"], "Brass Doorknob Set") == (1.0, 0.0)
    assert compound_features(["doorknob"], "Brass Door Knob Set") == (0.0, 1.0)
    assert compound_features(["door", "knob"], "Brass Door Knob Set") == (0.0, 0.0)


def test_feedback_favours_terms_of_the_best_scored_candidates():
    # given two well-scored toilet candidates and a poorly scored lamp
    docs = [_doc(1, "Toilet Seat"), _doc(2, "Toilet Tank"), _doc(3, "Desk Lamp")]
    weights = feedback_weights(docs, np.array([3.0, 2.0, 0.1]), k=2)
    # then toilet, found in both top titles, weighs most and the lamp's words nothing
    assert weights[stem("toilet")] == 1.0
    assert weights[stem("seat")] == 0.5
    assert stem("lamp") not in weights
    assert feedback_similarity(docs[2].title_terms, weights) == 0.0
    assert feedback_similarity(frozenset(), weights) == 0.0


def test_brand_and_rarest_term_features():
    # given a query naming a brand and a rare product type
    q = QueryInfo.from_text("kohler toilet")
    stats = FieldStats(doc_count=100, avg_length=5.0, df={"kohler": 30, stem("toilet"): 3})
    docs = [_doc(1, "KOHLER Toilet in White"), _doc(2, "Glacier Bay Toilet"), _doc(3, "KOHLER Faucet")]
    x = feature_matrix(q, docs, stats, stats)
    # then the brand counts where the title starts with it, the rare term where it is the head
    assert list(_column(x, "brand_in_query")) == [1.0, 0.0, 1.0]
    assert list(_column(x, "rarest_term_in_head")) == [1.0, 1.0, 0.0]
    assert np.all(_column(x, "prf_title") >= 0)
