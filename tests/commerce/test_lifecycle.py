"""An order's life after placing: who may move it where, stock coming back, the buyer-show badge."""

from __future__ import annotations

import math
import threading

import pytest
from sqlalchemy import select

from nichely.catalog.models import Product, Sku
from nichely.commerce import service as commerce
from nichely.commerce.models import OrderStatusChange
from nichely.community import service as community
from nichely.community.models import Note
from nichely.errors import Conflict, Forbidden, InvalidInput, NotFound
from nichely.search import service as search
from nichely.search.models import SearchDocument


@pytest.fixture
def sale(make_user, make_shop, make_product, place):
    """A placed order of 3 units, its customer and the shop's manager."""
    manager = make_user(roles=["manager"])
    product = make_product(shop=make_shop(manager=manager))
    customer = make_user()
    order = place(customer, (product.skus[0].id, 3))
    return order, customer, manager, product


def stock_of(db, sku_id):
    with db.read() as session:
        return session.scalar(select(Sku.stock).where(Sku.id == sku_id))


def badge(db, note_id):
    with db.read() as session:
        return session.get(Note, note_id).verified_purchase


def test_the_happy_path_is_logged_step_by_step(db, sale, advance):
    # given a placed order
    order, customer, manager, _ = sale
    # when the customer pays and the manager ships and delivers
    done = advance(order.id, (customer, "pay"), (manager, "ship"), (manager, "deliver"))
    # then it is delivered and every step was logged with who did it
    assert done.status == "delivered"
    with db.read() as session:
        steps = session.scalars(
            select(OrderStatusChange)
            .where(OrderStatusChange.order_id == order.id)
            .order_by(OrderStatusChange.id)
        ).all()
    assert [(s.from_status, s.to_status, s.changed_by) for s in steps] == [
        (None, "placed", customer.id),
        ("placed", "paid", customer.id),
        ("paid", "shipped", manager.id),
        ("shipped", "delivered", manager.id),
    ]


@pytest.mark.parametrize(
    ("steps", "actor", "action", "error"),
    [
        ([], "manager", "pay", Forbidden),
        ([], "customer", "ship", Forbidden),
        ([("customer", "pay")], "customer", "deliver", Forbidden),
        ([("customer", "pay")], "customer", "refund", Forbidden),
        ([], "manager", "ship", Conflict),
        ([("customer", "pay")], "customer", "pay", Conflict),
        ([("customer", "pay"), ("manager", "ship")], "customer", "cancel", Conflict),
        ([("customer", "pay"), ("manager", "ship"), ("manager", "deliver")], "manager", "cancel", Conflict),
        ([], "manager", "refund", Conflict),
        ([("customer", "cancel")], "customer", "pay", Conflict),
        ([], "stranger", "cancel", NotFound),
        ([], "customer", "teleport", InvalidInput),
    ],
)
def test_moves_out_of_turn_are_refused(db, sale, advance, make_user, steps, actor, action, error):
    # given an order moved through `steps`
    order, customer, manager, _ = sale
    people = {"customer": customer, "manager": manager, "stranger": make_user()}
    if steps:
        advance(order.id, *[(people[who], what) for who, what in steps])
    # when `actor` tries `action`, then it is refused and the status stays
    with pytest.raises(error), db.write() as session:
        commerce.change_status(session, people[actor], order.id, action)
    with db.read() as session:
        assert session.get(type(order), order.id).status == (
            commerce.TRANSITIONS[steps[-1][1]].to if steps else "placed"
        )


@pytest.mark.parametrize(
    ("steps", "canceller"),
    [
        ([], "customer"),
        ([("customer", "pay")], "customer"),
        ([("customer", "pay")], "manager"),
        ([("customer", "pay"), ("manager", "ship")], "manager"),
    ],
)
def test_cancelling_restores_stock(db, sale, advance, steps, canceller):
    # given an order of 3 units (10 -> 7 in stock), moved through `steps`
    order, customer, manager, product = sale
    people = {"customer": customer, "manager": manager}
    assert stock_of(db, product.skus[0].id) == 7
    # when it is cancelled
    done = advance(order.id, *[(people[w], a) for w, a in steps], (people[canceller], "cancel"))
    # then the units are back on the shelf and no longer counted as sold
    assert done.status == "cancelled"
    assert stock_of(db, product.skus[0].id) == 10
    with db.read() as session:
        assert session.get(Product, product.id).sold_count == 0


def test_refund_restocks_unless_the_goods_were_delivered(
    db, make_user, make_shop, make_product, place, advance
):
    # given two paid orders of 2 units, one of them delivered
    manager = make_user(roles=["manager"])
    product = make_product(shop=make_shop(manager=manager))
    sku = product.skus[0]
    customer = make_user()
    kept = place(customer, (sku.id, 2))
    returned = place(customer, (sku.id, 2))
    advance(kept.id, (customer, "pay"), (manager, "ship"), (manager, "deliver"))
    advance(returned.id, (customer, "pay"))
    assert stock_of(db, sku.id) == 6
    # when both are refunded
    advance(kept.id, (manager, "refund"))
    advance(returned.id, (manager, "refund"))
    # then only the undelivered order's units came back
    assert stock_of(db, sku.id) == 8


def test_the_badge_follows_delivery_and_leaves_on_refund(db, sale, advance, make_note):
    # given the customer's note about the product they ordered
    order, customer, manager, product = sale
    note = make_note(customer, [product])
    assert badge(db, note.id) is False
    # when the order is paid and shipped, then there is no badge yet
    advance(order.id, (customer, "pay"), (manager, "ship"))
    assert badge(db, note.id) is False
    # when it is delivered, then the note is a verified buyer show
    advance(order.id, (manager, "deliver"))
    assert badge(db, note.id) is True
    with db.read() as session:
        assert session.get(Product, product.id).buyer_show_count == 1
    # when it is refunded, then the badge goes away
    advance(order.id, (manager, "refund"))
    assert badge(db, note.id) is False
    with db.read() as session:
        assert session.get(Product, product.id).buyer_show_count == 0


def _indexed_buyer_shows(db, kind, ref_id):
    with db.read() as session:
        return session.scalar(
            select(SearchDocument.buyer_show_count).where(
                SearchDocument.kind == kind, SearchDocument.ref_id == ref_id
            )
        )


def _evidence(db, query):
    with db.read() as session:
        found = search.search(session, query, type="products")
    return {e.note.id: e.buyer_show for r in found.products for e in r.evidence}


def test_search_index_follows_the_badge_on_delivery_and_refund(
    db, make_user, make_shop, make_product, place, advance
):
    """Issue "Authenticity": a refunded purchase must not keep a note's buyer-show mark in search."""
    # given the customer's note about the product they ordered, posted through the service
    manager = make_user(roles=["manager"])
    product = make_product(shop=make_shop(manager=manager), title="Kestrel wide trail runner")
    customer = make_user()
    order = place(customer, (product.skus[0].id, 1))
    with db.write() as session:
        note = community.create_note(
            session,
            customer,
            title="Kestrel runner on wide feet",
            body="My wide feet finally fit in a trail shoe.",
            product_ids=[product.id],
        )
    assert _indexed_buyer_shows(db, "note", note.id) == 0
    # when the order is delivered
    advance(order.id, (customer, "pay"), (manager, "ship"), (manager, "deliver"))
    # then the index holds the note as a buyer show, and its product's buyer-show count
    assert _indexed_buyer_shows(db, "note", note.id) == 1
    assert _indexed_buyer_shows(db, "product", product.id) == 1
    assert _evidence(db, "kestrel trail runner for wide feet") == {note.id: True}
    # when it is refunded
    advance(order.id, (manager, "refund"))
    # then neither the index nor the search evidence marks it as a buyer show any more
    assert _indexed_buyer_shows(db, "note", note.id) == 0
    assert _indexed_buyer_shows(db, "product", product.id) == 0
    assert _evidence(db, "kestrel trail runner for wide feet") == {note.id: False}


def test_concurrent_cancels_restore_stock_once(db, sale):
    # given a placed order of 3 units and two cancels racing
    order, customer, manager, product = sale
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def cancel(user):
        barrier.wait()
        try:
            with db.write() as session:
                commerce.change_status(session, user, order.id, "cancel")
            outcomes.append("cancelled")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=cancel, args=(u,)) for u in (customer, manager)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then one wins, the other is told, and the units came back once
    assert sorted(outcomes) == ["cancelled", "conflict"]
    assert stock_of(db, product.skus[0].id) == 10


def test_orders_are_private_to_customer_and_shop(db, sale, make_user):
    # given an order
    order, customer, manager, _ = sale
    # when its customer or manager reads it, then they see it; anyone else does not
    with db.read() as session:
        assert commerce.get_order(session, customer, order.id).id == order.id
        assert commerce.get_order(session, manager, order.id).id == order.id
        with pytest.raises(NotFound):
            commerce.get_order(session, make_user(), order.id)


def test_listing_shows_my_orders_or_my_shops_orders(db, sale, make_user, make_product, place):
    # given the sale, plus another customer's order from another shop
    order, customer, manager, product = sale
    place(make_user(), (make_product().skus[0].id, 1))
    with db.read() as session:
        # when the customer lists, then they see their one order
        mine, _ = commerce.list_orders(session, customer)
        # when the manager lists their shop, then they see its one order
        shop_orders, _ = commerce.list_orders(session, manager, shop_id=product.shop_id)
        # when a stranger lists that shop, then it is refused
        with pytest.raises(Forbidden):
            commerce.list_orders(session, make_user(), shop_id=product.shop_id)
    assert [o.id for o in mine] == [order.id]
    assert [o.id for o in shop_orders] == [order.id]


def _indexed_popularity(db, product_id):
    with db.read() as session:
        return session.scalar(
            select(SearchDocument.popularity).where(
                SearchDocument.kind == "product", SearchDocument.ref_id == product_id
            )
        )


def test_search_index_follows_sales_when_placed_and_cancelled(db, sale, advance):
    """The ranker's popularity signal reads the index: an order moves it, a cancel moves it back."""
    # given a placed order of 3 units
    order, customer, _, product = sale
    # then the product's index entry counts the 3 units sold
    assert _indexed_popularity(db, product.id) == pytest.approx(math.log1p(3))
    # when the customer cancels, then the entry is back to no sales
    advance(order.id, (customer, "cancel"))
    assert _indexed_popularity(db, product.id) == pytest.approx(0.0)
