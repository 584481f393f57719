"""Placing orders: stock, atomicity, one shop per order, storefronts and live rooms, idempotency."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from nichely.activity.models import Event
from nichely.catalog.models import Product, Sku
from nichely.commerce import service as commerce
from nichely.commerce.models import Order, OrderStatusChange
from nichely.errors import Conflict, InvalidInput, OutOfStock


def stock_of(db, sku_id):
    with db.read() as session:
        return session.scalar(select(Sku.stock).where(Sku.id == sku_id))


def order_count(db):
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Order))


def test_placing_takes_stock_and_records_the_sale(db, make_user, make_product, place):
    # given a product with two sizes
    product = make_product(
        skus=[{"attributes": {"size": "42"}, "price": "99.50", "stock": 5}, {"price": "10", "stock": 3}]
    )
    big, small = product.skus
    customer = make_user()
    # when a customer orders 2 of one and 1 of the other
    order = place(customer, (big.id, 2), (small.id, 1))
    # then the order is placed with the right total and the stock went down
    assert order.status == "placed"
    assert order.total == Decimal("209.00")
    assert [(line.sku_id, line.quantity, line.unit_price) for line in order.lines] == [
        (big.id, 2, Decimal("99.50")),
        (small.id, 1, Decimal("10.00")),
    ]
    assert stock_of(db, big.id) == 3
    assert stock_of(db, small.id) == 2
    with db.read() as session:
        assert session.get(Product, product.id).sold_count == 3
        events = session.scalars(select(Event).where(Event.kind == "purchase")).all()
        history = session.scalars(select(OrderStatusChange)).all()
    # and one purchase event per product, one history row
    assert [(e.user_id, e.target_type, e.target_id, e.context["quantity"]) for e in events] == [
        (customer.id, "product", product.id, 3)
    ]
    assert [(h.from_status, h.to_status) for h in history] == [(None, "placed")]


def test_short_stock_names_the_sku_and_rolls_the_whole_order_back(db, make_user, make_product, place):
    # given two SKUs, the second with only one unit
    product = make_product(
        skus=[{"attributes": {"c": "red"}, "stock": 5}, {"attributes": {"c": "blue"}, "stock": 1}]
    )
    red, blue = product.skus
    # when an order asks for 2 red (available) and 2 blue (not)
    with pytest.raises(OutOfStock) as caught:
        place(make_user(), (red.id, 2), (blue.id, 2))
    # then the error names the short SKU and nothing was taken or stored
    assert f"SKU {blue.id}" in caught.value.detail
    assert caught.value.extra == {"sku_id": blue.id, "available": 1, "requested": 2}
    assert stock_of(db, red.id) == 5
    assert stock_of(db, blue.id) == 1
    assert order_count(db) == 0
    with db.read() as session:
        assert session.get(Product, product.id).sold_count == 0
        assert session.scalar(select(func.count()).select_from(Event)) == 0


def test_the_same_sku_twice_is_merged_into_one_line(db, make_user, make_product, place):
    # given a SKU
    sku = make_product().skus[0]
    # when it appears on two lines
    order = place(make_user(), (sku.id, 1), (sku.id, 2))
    # then it is one line of three
    assert [(line.sku_id, line.quantity) for line in order.lines] == [(sku.id, 3)]


def test_lines_from_two_shops_are_refused(db, make_user, make_product, place):
    # given products of two shops
    a, b = make_product(), make_product()
    # when one order holds both
    with pytest.raises(InvalidInput, match="one shop"):
        place(make_user(), (a.skus[0].id, 1), (b.skus[0].id, 1))
    # then nothing was taken
    assert stock_of(db, a.skus[0].id) == 10
    assert order_count(db) == 0


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "at least one line"),
        ([{"sku_id": 1, "quantity": 0}], "quantity must be between 1"),
        ([{"sku_id": 1, "quantity": -3}], "quantity must be between 1"),
        ([{"sku_id": 1, "quantity": 10**30}], "quantity must be between 1"),
        ([{"sku_id": 1, "quantity": 1.5}], "whole number"),
        ([{"sku_id": "1", "quantity": 1}], "whole number"),
        ([{"sku_id": 10**30, "quantity": 1}], "sku_id must be between"),
        ([{"sku_id": 999999, "quantity": 1}], "SKU 999999 does not exist"),
        (["nonsense"], "must be an object"),
    ],
)
def test_malformed_lines_are_refused_and_nothing_changes(db, make_user, make_product, lines, message):
    # given a product in stock
    sku = make_product().skus[0]
    # when an order is malformed
    with pytest.raises(InvalidInput, match=message), db.write() as session:
        commerce.place_order(session, make_user(), lines)
    # then nothing changed
    assert stock_of(db, sku.id) == 10
    assert order_count(db) == 0


def test_a_hidden_product_cannot_be_ordered(db, make_user, make_product, place):
    # given a product its manager hid
    product = make_product()
    with db.write() as session:
        session.get(Product, product.id).status = "hidden"
    # when someone orders it, then it is refused
    with pytest.raises(Conflict, match="not on sale"):
        place(make_user(), (product.skus[0].id, 1))


def test_fifty_parallel_orders_for_ten_units_sell_exactly_ten(db, make_user, make_product):
    # given a SKU with 10 units and 50 customers ready at the same moment
    sku = make_product(skus=[{"price": "5", "stock": 10}]).skus[0]
    customers = [make_user() for _ in range(50)]
    barrier = threading.Barrier(50)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy(customer):
        barrier.wait()
        try:
            with db.write() as session:
                commerce.place_order(session, customer, [{"sku_id": sku.id, "quantity": 1}])
            result = "placed"
        except OutOfStock:
            result = "out of stock"
        except Exception as exc:  # anything else is a bug; record it to fail below
            result = repr(exc)
        with lock:
            outcomes.append(result)

    # when they all order one unit in parallel, each in its own transaction
    threads = [threading.Thread(target=buy, args=(c,)) for c in customers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly ten orders went through, forty were told the stock ran out, none oversold
    assert sorted(set(outcomes)) == ["out of stock", "placed"]
    assert outcomes.count("placed") == 10
    assert outcomes.count("out of stock") == 40
    assert stock_of(db, sku.id) == 0
    assert order_count(db) == 10
    with db.read() as session:
        assert session.get(Product, sku.product_id).sold_count == 10


def test_a_retry_with_the_same_key_returns_the_first_order(db, make_user, make_product):
    # given an order placed with an idempotency key
    sku = make_product().skus[0]
    customer = make_user()
    lines = [{"sku_id": sku.id, "quantity": 2}]
    with db.write() as session:
        first, created = commerce.place_order(session, customer, lines, idempotency_key="k-1")
    assert created
    # when the same request is sent again with the same key
    with db.write() as session:
        again, created_again = commerce.place_order(session, customer, lines, idempotency_key="k-1")
    # then it is the same order and no more stock was taken
    assert (again.id, created_again) == (first.id, False)
    assert stock_of(db, sku.id) == 8
    assert order_count(db) == 1


def test_a_reused_key_with_a_different_body_is_refused(db, make_user, make_product, place):
    # given an order placed with a key
    sku = make_product().skus[0]
    customer = make_user()
    place(customer, (sku.id, 1), idempotency_key="k-1")
    # when the key comes back with a different request, then it is refused clearly
    with pytest.raises(InvalidInput, match="already used for a different order"):
        place(customer, (sku.id, 3), idempotency_key="k-1")
    assert stock_of(db, sku.id) == 9


def test_keys_belong_to_one_customer(db, make_user, make_product, place):
    # given two customers using the same key
    sku = make_product().skus[0]
    # when each places an order, then each gets their own
    a = place(make_user(), (sku.id, 1), idempotency_key="same")
    b = place(make_user(), (sku.id, 1), idempotency_key="same")
    assert a.id != b.id
    assert stock_of(db, sku.id) == 8


def test_concurrent_duplicates_with_one_key_make_one_order(db, make_user, make_product):
    # given eight copies of one request with one key, sent at once
    sku = make_product().skus[0]
    customer = make_user()
    barrier = threading.Barrier(8)
    ids: list[int] = []
    errors: list[Exception] = []

    def send():
        barrier.wait()
        try:
            with db.write() as session:
                order, _ = commerce.place_order(
                    session, customer, [{"sku_id": sku.id, "quantity": 1}], idempotency_key="dup"
                )
                ids.append(order.id)
        except Exception as exc:  # a duplicate must never surface as an error
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then they all see the same order and one unit was taken
    assert errors == []
    assert len(set(ids)) == 1
    assert len(ids) == 8
    assert stock_of(db, sku.id) == 9
    assert order_count(db) == 1


def test_a_storefront_order_earns_the_buyer_commission(db, make_user, make_product, make_storefront, place):
    # given a buyer's storefront holding a product
    product = make_product(skus=[{"price": "200", "stock": 5}])
    storefront = make_storefront(products=[product])
    # when someone orders through it
    order = place(make_user(), (product.skus[0].id, 1), storefront_id=storefront.id)
    # then the buyer earns the storefront's rate on the total
    with db.read() as session:
        earned = commerce.commission(session, order)
    assert earned == {
        "storefront_id": storefront.id,
        "buyer_id": storefront.buyer_id,
        "rate": Decimal("0.050"),
        "amount": Decimal("10.00"),
    }


def test_a_storefront_order_must_be_for_a_product_on_it(db, make_user, make_product, make_storefront, place):
    # given a storefront without this product
    on_shelf, elsewhere = make_product(), make_product()
    storefront = make_storefront(products=[on_shelf])
    # when it is ordered through the storefront, then it is refused
    with pytest.raises(InvalidInput, match="not on storefront"):
        place(make_user(), (elsewhere.skus[0].id, 1), storefront_id=storefront.id)
    assert stock_of(db, elsewhere.skus[0].id) == 10


def test_a_live_order_needs_a_live_room_with_the_product(db, make_user, make_product, make_live_room, place):
    # given a scheduled room and a live room, each with one product
    featured, other = make_product(), make_product()
    scheduled = make_live_room(products=[featured])
    on_air = make_live_room(products=[featured], status="live")
    customer = make_user()
    # when ordering through the scheduled room, then it is refused
    with pytest.raises(Conflict, match="not live"):
        place(customer, (featured.skus[0].id, 1), live_room_id=scheduled.id)
    # when ordering a product not in the line-up, then it is refused
    with pytest.raises(InvalidInput, match="line-up"):
        place(customer, (other.skus[0].id, 1), live_room_id=on_air.id)
    # when ordering a featured product while live, then it goes through
    order = place(customer, (featured.skus[0].id, 1), live_room_id=on_air.id)
    assert order.live_room_id == on_air.id
