"""The orders API: placing (idempotent, no oversell), reading, listing, and the status actions."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from nichely.catalog.models import Sku
from nichely.commerce.models import Order


@pytest.fixture
def shop_sale(make_user, make_shop, make_product, make_token):
    """A manager's product (10 units at 99.00), a customer, and both parties' headers."""
    manager = make_user(roles=["manager"])
    product = make_product(shop=make_shop(manager=manager))
    customer = make_user()
    return product, make_token(customer), make_token(manager)


def stock_and_orders(db, sku_id):
    with db.read() as session:
        return (
            session.scalar(select(Sku.stock).where(Sku.id == sku_id)),
            session.scalar(select(func.count()).select_from(Order)),
        )


def place(client, headers, sku_id, quantity=1, **extra):
    body = {"lines": [{"sku_id": sku_id, "quantity": quantity}], **extra}
    return client.post("/api/v1/orders", json=body, headers=headers)


def test_placing_an_order_returns_it_with_its_lines(client, db, shop_sale):
    # given a product with 10 units
    product, customer, _ = shop_sale
    sku = product.skus[0]
    # when a customer orders 3
    r = place(client, customer, sku.id, 3)
    # then it is created with its lines and total, and 7 are left
    assert r.status_code == 201
    order = r.json()
    assert (order["status"], order["total"], order["shop_id"], order["commission"]) == (
        "placed",
        "297.00",
        product.shop_id,
        None,
    )
    assert [(x["sku_id"], x["product_id"], x["quantity"], x["unit_price"]) for x in order["lines"]] == [
        (sku.id, product.id, 3, "99.00")
    ]
    assert [h["to_status"] for h in order["history"]] == ["placed"]
    assert stock_and_orders(db, sku.id) == (7, 1)


def test_short_stock_is_a_409_naming_the_sku(client, db, shop_sale):
    product, customer, _ = shop_sale
    sku = product.skus[0]
    r = place(client, customer, sku.id, 11)
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert (problem["title"], problem["sku_id"], problem["available"]) == ("Out of stock", sku.id, 10)
    assert f"SKU {sku.id}" in problem["detail"]
    assert stock_and_orders(db, sku.id) == (10, 0)


@pytest.mark.parametrize(
    "body",
    [
        {"lines": [{"sku_id": "{sku}", "quantity": -1}]},
        {"lines": [{"sku_id": "{sku}", "quantity": 0}]},
        {"lines": [{"sku_id": "{sku}", "quantity": 10**30}]},
        {"lines": [{"sku_id": "{sku}", "quantity": "lots"}]},
        {"lines": [{"sku_id": "{sku}", "quantity": True}]},
        {"lines": [{"sku_id": "{sku}", "quantity": "2"}]},
        {"lines": [{"sku_id": "{sku}", "quantity": 1.5}]},
        {"lines": [{"sku_id": 999999, "quantity": 1}]},
        {"lines": [{"sku_id": 10**30, "quantity": 1}]},
        {"lines": []},
        {"lines": "everything"},
        {"lines": [{"sku_id": "{sku}", "quantity": 1}], "storefront_id": 999999},
        {"lines": [{"sku_id": "{sku}", "quantity": 1}], "live_room_id": 10**30},
        {},
    ],
)
def test_bad_orders_are_problems_and_change_nothing(client, db, shop_sale, body):
    # given a product with 10 units
    product, customer, _ = shop_sale
    sku = product.skus[0]
    lines = body.get("lines")
    if isinstance(lines, list):
        body = {
            **body,
            "lines": [{**x, "sku_id": sku.id if x["sku_id"] == "{sku}" else x["sku_id"]} for x in lines],
        }
    # when the order is malformed, then it is a 4xx problem and nothing changed
    r = client.post("/api/v1/orders", json=body, headers=customer)
    assert 400 <= r.status_code < 500
    assert r.headers["content-type"].startswith("application/problem+json")
    assert stock_and_orders(db, sku.id) == (10, 0)


def test_lines_from_two_shops_are_refused_clearly(client, shop_sale, make_product):
    product, customer, _ = shop_sale
    other = make_product()
    body = {
        "lines": [{"sku_id": product.skus[0].id, "quantity": 1}, {"sku_id": other.skus[0].id, "quantity": 1}]
    }
    r = client.post("/api/v1/orders", json=body, headers=customer)
    assert r.status_code == 422
    assert "one shop" in r.json()["detail"]


def test_an_idempotency_key_makes_retries_safe(client, db, shop_sale):
    # given an order placed with a key
    product, customer, _ = shop_sale
    sku = product.skus[0]
    key = {"Idempotency-Key": "checkout-7f3a"}
    first = place(client, {**customer, **key}, sku.id, 2)
    assert first.status_code == 201
    # when the same request is retried, then it is the same order and no more stock is taken
    again = place(client, {**customer, **key}, sku.id, 2)
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    assert again.headers["idempotent-replayed"] == "true"
    assert stock_and_orders(db, sku.id) == (8, 1)
    # when the key comes with a different body, then it is refused with a clear message
    other = place(client, {**customer, **key}, sku.id, 5)
    assert other.status_code == 422
    assert "different order" in other.json()["detail"]
    assert stock_and_orders(db, sku.id) == (8, 1)


def test_parallel_requests_through_the_app_never_oversell(client, db, make_user, make_token, make_product):
    # given a SKU with 5 units and 15 customers
    sku = make_product(skus=[{"price": "1", "stock": 5}]).skus[0]
    headers = [make_token(make_user()) for _ in range(15)]
    codes: list[int] = []
    barrier = threading.Barrier(15)

    def buy(h):
        barrier.wait()
        codes.append(place(client, h, sku.id).status_code)

    # when they all order at once through the HTTP app
    threads = [threading.Thread(target=buy, args=(h,)) for h in headers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then five get their order and ten get a 409
    assert sorted(codes) == [201] * 5 + [409] * 10
    assert stock_and_orders(db, sku.id) == (0, 5)


def test_orders_are_seen_by_their_customer_and_shop_only(client, shop_sale, make_user, make_token):
    product, customer, manager = shop_sale
    order_id = place(client, customer, product.skus[0].id).json()["id"]
    assert client.get(f"/api/v1/orders/{order_id}", headers=customer).status_code == 200
    assert client.get(f"/api/v1/orders/{order_id}", headers=manager).status_code == 200
    assert client.get(f"/api/v1/orders/{order_id}", headers=make_token(make_user())).status_code == 404
    assert client.get(f"/api/v1/orders/{order_id}").status_code == 401
    assert client.get("/api/v1/orders/99999999999999", headers=customer).status_code == 404


def test_my_orders_page_newest_first(client, shop_sale, make_user, make_token):
    # given three orders by the customer and one by someone else
    product, customer, manager = shop_sale
    mine = [place(client, customer, product.skus[0].id).json()["id"] for _ in range(3)]
    place(client, make_token(make_user()), product.skus[0].id)
    # when listed two at a time, then only mine come, newest first
    first = client.get("/api/v1/orders", params={"limit": 2}, headers=customer).json()
    second = client.get(
        "/api/v1/orders", params={"limit": 2, "cursor": first["next_cursor"]}, headers=customer
    ).json()
    assert [o["id"] for o in first["items"] + second["items"]] == mine[::-1]
    # when the manager lists the shop's orders, then all four are there
    shop_orders = client.get("/api/v1/orders", params={"shop_id": product.shop_id}, headers=manager).json()
    assert len(shop_orders["items"]) == 4
    assert (
        client.get("/api/v1/orders", params={"shop_id": product.shop_id}, headers=customer).status_code == 403
    )


def test_an_order_walks_its_life_cycle(client, db, shop_sale):
    # given a placed order of 2
    product, customer, manager = shop_sale
    sku = product.skus[0]
    order_id = place(client, customer, sku.id, 2).json()["id"]
    # when paid, shipped and delivered by the right people, then each step shows
    for headers, action, status in [
        (customer, "pay", "paid"),
        (manager, "ship", "shipped"),
        (manager, "deliver", "delivered"),
    ]:
        r = client.post(f"/api/v1/orders/{order_id}/{action}", headers=headers)
        assert (r.status_code, r.json()["status"]) == (200, status)
    # when it is cancelled after delivery, then that is a conflict
    assert client.post(f"/api/v1/orders/{order_id}/cancel", headers=manager).status_code == 409
    # when it is refunded, then it is refunded and the delivered units stay sold
    r = client.post(f"/api/v1/orders/{order_id}/refund", headers=manager)
    assert r.json()["status"] == "refunded"
    assert [h["to_status"] for h in r.json()["history"]] == [
        "placed",
        "paid",
        "shipped",
        "delivered",
        "refunded",
    ]
    assert stock_and_orders(db, sku.id) == (8, 1)
    assert client.post(f"/api/v1/orders/{order_id}/teleport", headers=manager).status_code == 404


def test_cancelling_gives_the_stock_back(client, db, shop_sale):
    product, customer, _ = shop_sale
    sku = product.skus[0]
    order_id = place(client, customer, sku.id, 4).json()["id"]
    assert stock_and_orders(db, sku.id) == (6, 1)
    assert client.post(f"/api/v1/orders/{order_id}/cancel", headers=customer).json()["status"] == "cancelled"
    assert stock_and_orders(db, sku.id) == (10, 1)


@pytest.mark.parametrize(
    ("before", "action", "wrong"),
    [
        ([], "pay", "manager"),
        ([], "pay", "stranger"),
        ([("customer", "pay")], "ship", "customer"),
        ([("customer", "pay"), ("manager", "ship")], "deliver", "customer"),
        ([], "cancel", "stranger"),
        ([("customer", "pay")], "refund", "customer"),
    ],
)
def test_order_actions_refuse_the_wrong_person(
    client, db, shop_sale, make_user, make_token, before, action, wrong
):
    # given an order ready for `action`
    product, customer, manager = shop_sale
    people = {"customer": customer, "manager": manager, "stranger": make_token(make_user(roles=["manager"]))}
    order_id = place(client, customer, product.skus[0].id).json()["id"]
    for who, step in before:
        assert client.post(f"/api/v1/orders/{order_id}/{step}", headers=people[who]).status_code == 200
    status = client.get(f"/api/v1/orders/{order_id}", headers=customer).json()["status"]
    # when nobody is logged in, then it is 401; when the wrong person tries, then 403 (or 404 to a stranger)
    assert client.post(f"/api/v1/orders/{order_id}/{action}").status_code == 401
    r = client.post(f"/api/v1/orders/{order_id}/{action}", headers=people[wrong])
    assert r.status_code == (404 if wrong == "stranger" else 403)
    # and the order did not move
    assert client.get(f"/api/v1/orders/{order_id}", headers=customer).json()["status"] == status


def test_placing_needs_a_login(client, db, shop_sale):
    product, _, _ = shop_sale
    assert place(client, {}, product.skus[0].id).status_code == 401
    assert stock_and_orders(db, product.skus[0].id) == (10, 0)


def test_an_order_through_a_storefront_shows_the_commission(client, make_user, make_token, make_product):
    # given a buyer's storefront holding a product
    product = make_product(skus=[{"price": "40", "stock": 3}])
    buyer = make_user(roles=["buyer"])
    buyer_headers = make_token(buyer)
    storefront = client.post(
        "/api/v1/storefronts", json={"title": "Trail picks"}, headers=buyer_headers
    ).json()
    items = {"items": [{"product_id": product.id}]}
    client.put(f"/api/v1/storefronts/{storefront['id']}/items", json=items, headers=buyer_headers)
    # when someone orders it through the storefront
    r = place(client, make_token(make_user()), product.skus[0].id, 2, storefront_id=storefront["id"])
    # then the buyer's commission is shown
    assert r.status_code == 201
    assert r.json()["commission"] == {
        "storefront_id": storefront["id"],
        "buyer_id": buyer.id,
        "rate": "0.050",
        "amount": "4.00",
    }
