"""Insight pages: unmet needs with their chart, SKU fit for a shop's manager."""

from __future__ import annotations

from tests.commerce.fixtures import place  # noqa: F401
from tests.insight.plants import plant_wide_feet

from nichely.activity import searchlog


def test_needs_page_draws_the_gaps_and_is_not_for_shoppers(client, db, login, make_user, make_moderator):
    for query, n in (("适合宿舍的小书桌", 5), ("zapatos de mujer de horma ancha", 3)):
        for _ in range(n):
            with db.write() as session:
                searchlog.log_search(session, make_user(), query, "zh" if n == 5 else "es", 0)
    login(make_user())
    assert client.get("/insight").status_code == 403
    login(make_user(roles=["manager"]))
    html = client.get("/insight").text
    assert 'class="chart gap-chart"' in html
    assert html.count('class="chart-bar"') == 2
    assert html.index("适合宿舍的小书桌") < html.index("zapatos de mujer de horma ancha")  # more searches
    assert "8 searches in 2 wordings read." in html
    spanish = client.get("/insight", params={"language": "es"}).text
    assert "zapatos de mujer de horma ancha" in spanish
    assert "适合宿舍的小书桌" not in spanish
    assert client.get("/insight", params={"days": 11}).status_code == 422
    login(make_moderator())
    assert client.get("/insight").status_code == 200


def test_needs_page_speaks_the_visitors_language(client, login, make_user):
    login(make_user(roles=["manager"]))
    client.cookies.set("lang", "es")
    html = client.get("/insight").text
    assert "Necesidades sin cubrir" in html


def test_sku_page_shows_the_managers_shop_fits(
    client,
    login,
    make_user,
    make_shop,
    make_product,
    place,  # noqa: F811
):
    manager = make_user(roles=["manager"])
    shop, _ = plant_wide_feet(make_user, make_shop, make_product, place, manager, name="Wide Feet Co")
    login(manager)
    html = client.get("/insight/skus").text
    assert "Wide Feet Co" in html
    assert "width = wide" in html
    assert "wide-feet" in html
    login(make_user(roles=["manager"]))
    # another manager has no shop: nothing of this shop's sales is shown
    assert client.get("/insight/skus", params={"shop_id": shop.id}).status_code == 403


def test_needs_page_refuses_an_unknown_language(client, login, make_user):
    login(make_user(roles=["manager"]))
    assert client.get("/insight", params={"language": "klingon"}).status_code == 422
