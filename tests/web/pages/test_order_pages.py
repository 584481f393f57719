"""Order lists: "My orders" for a customer, a shop's orders with its manager's actions."""

from __future__ import annotations

import pytest
from tests.web.pages.conftest import post_form

from nichely.commerce import service as commerce
from nichely.commerce.models import Order


@pytest.fixture
def order_of(db):
    """Place an order for `customer` of one unit of `product`, moved on by `actions` (customer pays)."""

    def make(customer, product, *actions, manager=None):
        with db.write() as session:
            order, _ = commerce.place_order(
                session, customer, [{"sku_id": product.skus[0].id, "quantity": 1}]
            )
            for action in actions:
                commerce.change_status(session, customer if action == "pay" else manager, order.id, action)
            return order

    return make


def test_my_orders_lists_only_mine_newest_first_with_status_badges(
    client, login, make_user, make_product, order_of
):
    me, someone = make_user(), make_user()
    lamp = make_product(title="Desk lamp")
    shoe = make_product(title="Trail shoe")
    first = order_of(me, lamp)
    second = order_of(me, shoe, "pay")
    order_of(someone, lamp)
    login(me)
    home = client.get("/").text
    assert '<a href="/orders">My orders</a>' in home
    html = client.get("/orders").text
    assert html.index(f"/orders/{second.id}") < html.index(f"/orders/{first.id}")
    assert '<span class="badge status-paid">paid</span>' in html
    assert '<span class="badge status-placed">placed</span>' in html
    assert html.count('class="badge status-') == 2
    # filtering by status
    paid = client.get("/orders?status=paid").text
    assert f"/orders/{second.id}" in paid
    assert f'/orders/{first.id}"' not in paid


def test_my_orders_is_paginated(client, login, make_user, make_product, order_of):
    me = make_user()
    product = make_product(skus=[{"attributes": {}, "price": "5.00", "stock": 50}])
    orders = [order_of(me, product) for _ in range(23)]
    login(me)
    first_page = client.get("/orders").text
    assert first_page.count('class="badge status-') == 20
    assert f'href="/orders/{orders[0].id}"' not in first_page
    more = first_page.split('class="more"><a class="button secondary" href="')[1].split('"')[0]
    second_page = client.get(more.replace("&amp;", "&")).text
    assert second_page.count('class="badge status-') == 3
    assert f'href="/orders/{orders[0].id}"' in second_page


def test_my_orders_needs_a_log_in(client):
    r = client.get("/orders", follow_redirects=False)
    assert r.headers["location"] == "/login?next=/orders"


def test_manager_ships_and_delivers_from_the_shop_orders(
    client, db, login, make_user, make_shop, make_product, order_of
):
    manager = make_user(roles=["manager"])
    shop = make_shop(manager=manager)
    product = make_product(shop=shop, title="Desk lamp")
    buyer = make_user(display_name="Buyer Bo")
    order = order_of(buyer, product, "pay")
    login(manager)
    assert f'href="/shops/{shop.id}/orders"' in client.get(f"/shops/{shop.id}").text
    html = client.get(f"/shops/{shop.id}/orders").text
    assert "Buyer Bo" in html
    assert "Mark as shipped" in html
    assert "Mark as delivered" not in html
    # when the manager ships it, they come back to the list, where it can now be delivered
    r = post_form(
        client,
        f"/shops/{shop.id}/orders/{order.id}/ship",
        {"next": f"/shops/{shop.id}/orders?status=paid"},
        page=f"/shops/{shop.id}/orders",
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/shops/{shop.id}/orders?status=paid"
    html = client.get(f"/shops/{shop.id}/orders").text
    assert '<span class="badge status-shipped">shipped</span>' in html
    assert "Mark as delivered" in html
    post_form(client, f"/shops/{shop.id}/orders/{order.id}/deliver", {}, page=f"/shops/{shop.id}/orders")
    post_form(client, f"/shops/{shop.id}/orders/{order.id}/refund", {}, page=f"/shops/{shop.id}/orders")
    with db.read() as session:
        assert session.get(Order, order.id).status == "refunded"


def test_an_action_the_order_does_not_allow_now_re_renders_with_the_reason(
    client, db, login, make_user, make_shop, make_product, order_of
):
    manager = make_user(roles=["manager"])
    shop = make_shop(manager=manager)
    order = order_of(make_user(), make_product(shop=shop))
    login(manager)
    r = post_form(client, f"/shops/{shop.id}/orders/{order.id}/deliver", {}, page=f"/shops/{shop.id}/orders")
    assert r.status_code == 409
    assert "cannot deliver an order that is placed" in r.text
    # the forms on the re-rendered list still go back to the list, not to the failed action
    assert f'name="next" value="/shops/{shop.id}/orders"' in r.text
    with db.read() as session:
        assert session.get(Order, order.id).status == "placed"


def test_shop_orders_are_for_the_shops_manager_only(
    client, db, login, make_user, make_shop, make_product, order_of
):
    manager = make_user(roles=["manager"])
    shop = make_shop(manager=manager)
    order = order_of(make_user(), make_product(shop=shop), "pay")
    other_manager = make_user(roles=["manager"])
    other_shop = make_shop(manager=other_manager)
    login(other_manager)
    assert client.get(f"/shops/{shop.id}/orders").status_code == 403
    r = post_form(client, f"/shops/{shop.id}/orders/{order.id}/ship", {})
    assert r.status_code == 404
    # nor can an order be moved through another shop's address
    r = post_form(client, f"/shops/{other_shop.id}/orders/{order.id}/ship", {})
    assert r.status_code == 404
    # and without the CSRF token even the manager is refused
    client.cookies.clear()
    login(manager)
    client.get(f"/shops/{shop.id}/orders")
    r = client.post(f"/shops/{shop.id}/orders/{order.id}/ship", data={})
    assert r.status_code == 403
    with db.read() as session:
        assert session.get(Order, order.id).status == "paid"
