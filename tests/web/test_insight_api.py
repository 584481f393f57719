"""Demand insight over HTTP: who may read it, and what a planted need and preference look like."""

from __future__ import annotations

from tests.commerce.fixtures import place  # noqa: F401
from tests.insight.plants import plant_wide_feet

from nichely.activity import searchlog


def _searches(db, make_user, query: str, n: int, results: int = 0) -> None:
    for _ in range(n):
        with db.write() as session:
            searchlog.log_search(session, make_user(), query, "en", results)


def test_needs_are_for_managers_and_moderators(client, db, make_user, make_token):
    _searches(db, make_user, "vegan leather dog harness for 30 kg dog", 4)
    shopper = make_token(make_user())
    assert client.get("/api/v1/insight/needs").status_code == 401
    refused = client.get("/api/v1/insight/needs", headers=shopper)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    for roles in (["manager"], ["moderator"]):
        body = client.get("/api/v1/insight/needs", headers=make_token(make_user(roles=roles))).json()
        assert [n["query"] for n in body["needs"]] == ["vegan leather dog harness for 30 kg dog"]
        need = body["needs"][0]
        assert need["searches"] == 4
        assert need["searchers"] == 4
        assert need["no_result_rate"] == 1.0
        assert need["supply"]["products"] == 0
        assert need["long_tail"] is True
        assert "100% of the searches found nothing" in need["reasons"]


def test_needs_refuse_bad_options_with_a_problem(client, make_user, make_token):
    manager = make_token(make_user(roles=["manager"]))
    huge = 2**70
    for params in (
        {"days": 0},
        {"limit": 1000},
        {"min_searches": 0},
        {"days": "soon"},
        {"days": huge},
        {"limit": -huge},
        {"min_searches": huge},
    ):
        response = client.get("/api/v1/insight/needs", params=params, headers=manager)
        assert response.status_code == 422, params
        assert response.headers["content-type"].startswith("application/problem+json")


def test_sku_fit_is_shown_to_the_shop_manager_only(
    client,
    db,
    make_user,
    make_token,
    make_shop,
    make_product,
    place,  # noqa: F811
):
    manager = make_user(roles=["manager"])
    shop, product = plant_wide_feet(make_user, make_shop, make_product, place, manager)
    mine = make_token(manager)
    body = client.get("/api/v1/insight/skus", params={"shop_id": shop.id}, headers=mine).json()
    assert body["orders"] == 50
    top = body["fits"][0]
    assert (top["segment"], top["attribute"], top["value"]) == ("wide-feet", "width", "wide")
    assert top["lift"] > 5
    assert top["p_value"] < 0.05
    # by product too
    by_product = client.get("/api/v1/insight/skus", params={"product_id": product.id}, headers=mine)
    assert by_product.json()["fits"][0]["value"] == "wide"

    other_manager = make_token(make_user(roles=["manager"]))
    assert (
        client.get("/api/v1/insight/skus", params={"shop_id": shop.id}, headers=other_manager).status_code
        == 403
    )
    # a manager must name a shop or product of theirs; a moderator may read the whole store
    assert client.get("/api/v1/insight/skus", headers=mine).status_code == 403
    moderator = make_token(make_user(roles=["moderator"]))
    assert client.get("/api/v1/insight/skus", headers=moderator).json()["orders"] == 50
    shopper = make_token(make_user())
    assert client.get("/api/v1/insight/skus", params={"shop_id": shop.id}, headers=shopper).status_code == 403
    missing = client.get("/api/v1/insight/skus", params={"shop_id": 10**30}, headers=moderator)
    assert missing.status_code == 404
    bad = client.get("/api/v1/insight/skus", params={"shop_id": shop.id, "days": 0}, headers=mine)
    assert bad.status_code == 422


def test_needs_refuse_an_unknown_language_with_a_problem(client, make_user, make_token):
    manager = make_token(make_user(roles=["manager"]))
    response = client.get("/api/v1/insight/needs", params={"language": "fr"}, headers=manager)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/insight/needs", params={"language": "es"}, headers=manager).status_code == 200
