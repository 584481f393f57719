"""The search engine on both stores: features must not depend on the database."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from nichely.search.analysis import analyze
from nichely.search.engine import SearchEngine
from nichely.search.features import FEATURES, DocInfo, FieldStats, QueryInfo, feature_matrix
from nichely.search.index import index_product

CATALOG = [
    ("Cordless Drill Driver Kit with 2 Batteries", "18-volt, brushless motor"),
    ("Drill Bit Set (29-Piece)", "titanium coated"),
    ("Wide Toe Box Trail Running Shoes", "for flat feet and long runs"),
    ("Quiet Mechanical Keyboard", "silent switches for shared offices"),
    ("DeckOver Textured Wood Coating", "covers cracked decks"),
    ("宽脚 运动鞋 透气", "适合扁平足"),
]


def _reference(query: str, products) -> tuple[list[int], np.ndarray]:
    """Features computed in memory from the same texts, without any database."""
    docs = [DocInfo(p.id, p.title, tuple(analyze(p.title)), tuple(analyze(p.description))) for p in products]
    stats = {}
    for field, pick in (("title", lambda d: d.title_terms), ("body", lambda d: d.body_terms)):
        df: Counter = Counter()
        for d in docs:
            df.update(set(pick(d)))
        stats[field] = FieldStats(len(docs), sum(len(pick(d)) for d in docs) / len(docs), df)
    q = QueryInfo.from_text(query)
    matching = [d for d in docs if set(q.terms) & (set(d.title_terms) | set(d.body_terms))]
    return [d.ref_id for d in matching], feature_matrix(q, matching, stats["title"], stats["body"])


@pytest.fixture
def catalog(db, make_product, make_shop):
    shop = make_shop()
    products = [make_product(shop=shop, title=t, description=d, category="") for t, d in CATALOG]
    with db.write() as session:
        for p in products:
            index_product(session, p.id)
    return products


@pytest.mark.parametrize(
    "query", ["cordless drill batteries", "wide toe shoes for flat feet", "deck over coating", "运动鞋"]
)
def test_features_are_the_same_on_every_store(db, catalog, query):
    # given the same catalogue indexed in this store
    expected_ids, expected = _reference(query, catalog)
    # when the engine gathers candidates
    with db.read() as session:
        cands = SearchEngine().candidates(session, query)
    # then it finds every matching product and computes exactly the in-memory features
    order = [d.ref_id for d in cands.docs]
    assert sorted(order) == sorted(expected_ids)
    rows = [order.index(i) for i in expected_ids]
    np.testing.assert_array_equal(cands.features[rows], expected)


def test_search_ranks_the_full_match_first(db, catalog):
    with db.read() as session:
        hits = SearchEngine().search(session, "cordless drill with batteries", limit=5)
    assert hits[0].title == CATALOG[0][0]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_empty_and_unknown_queries_return_nothing(db, catalog):
    with db.read() as session:
        engine = SearchEngine()
        assert engine.search(session, "   ") == []
        assert engine.search(session, "zzzqqq") == []
        with pytest.raises(ValueError, match="unknown search kind"):
            engine.search(session, "drill", kind="shop")


def test_a_typo_finds_what_the_catalogue_spells_right_on_every_store(db, make_product, make_shop):
    # given two drills (so "drill" is in the spelling vocabulary, built from words of 2+ titles)
    shop = make_shop()
    products = [
        make_product(shop=shop, title=t, description="", category="")
        for t in ("Cordless Drill", "Hammer Drill", "Garden Hose")
    ]
    with db.write() as session:
        for p in products:
            index_product(session, p.id)
    # when the query misspells the product type
    with db.read() as session:
        cands = SearchEngine().candidates(session, "cordless dril")
        plain = SearchEngine(spelling=False).candidates(session, "cordless dril")
    # then the corrected term retrieves both drills and the corrected query scores the cordless one
    assert cands.query.fixed_terms == (analyze("cordless")[0], analyze("drill")[0])
    assert {d.title for d in cands.docs} == {"Cordless Drill", "Hammer Drill"}
    assert {d.title for d in plain.docs} == {"Cordless Drill"}
    fixed = cands.features[:, FEATURES.index("fixed_coverage_title")]
    assert dict(zip((d.title for d in cands.docs), fixed, strict=True)) == {
        "Cordless Drill": 1.0,
        "Hammer Drill": 0.5,
    }
