"""Training data from the platform's own search log."""

from __future__ import annotations

from tests.search.searchlog import clicked_search

from nichely.activity.models import SearchLog
from nichely.activity.service import record_event
from nichely.search.index import index_product
from nichely.search.training import groups_from_events, outcomes_from_log


def test_clicks_saves_and_purchases_grade_the_candidates(db, make_product, make_user):
    # given two indexed products and a logged search whose results were clicked and bought
    shopper = make_user()
    first = make_product(title="Wide trail running shoes")
    second = make_product(title="Narrow road running shoes")
    with db.write() as session:
        search = clicked_search(session, shopper.id, "Running Shoes", (first, second), second, position=2)
        record_event(session, shopper.id, "purchase", "product", first.id, {"search_id": search.id})
        record_event(session, shopper.id, "purchase", "product", second.id)  # not from a search
    # when training data is read from the log
    with db.read() as session:
        outcomes = outcomes_from_log(session)
        groups = groups_from_events(session)
    # then the purchase outranks the click, and both candidates carry their grade
    assert outcomes == {"running shoes": {first.id: 6, second.id: 2}}
    assert len(groups) == 1
    features, grades = groups[0]
    assert sorted(grades.tolist()) == [2, 6]
    assert features.shape[0] == 2


def test_searches_without_outcomes_teach_nothing(db, make_product):
    product = make_product(title="Linen shirt")
    with db.write() as session:
        index_product(session, product.id)
        session.add(SearchLog(query="linen", language="en"))
    with db.read() as session:
        assert groups_from_events(session) == []
