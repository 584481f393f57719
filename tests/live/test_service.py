"""Live rooms: who hosts, the one-way status, line-up and pin, chat, views and metrics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from nichely.errors import Conflict, Forbidden, InvalidInput
from nichely.live import service as live


def test_managers_and_creators_host_shoppers_do_not(db, make_user):
    # given a shopper
    with pytest.raises(Forbidden), db.write() as session:
        # when they schedule a room, then it is refused
        live.create_room(session, make_user(), title="x", scheduled_at=datetime(2030, 1, 1))
    # when a creator schedules one with a zoned time, then it is stored as naive UTC
    with db.write() as session:
        room = live.create_room(
            session,
            make_user(roles=["creator"]),
            title="Night hike gear",
            scheduled_at=datetime(2030, 1, 1, 20, 0, tzinfo=timezone(timedelta(hours=8))),
        )
    assert (room.status, room.scheduled_at) == ("scheduled", datetime(2030, 1, 1, 12, 0))


def test_a_shop_room_needs_its_manager_and_its_products(db, make_user, make_shop, make_product):
    # given a shop, its product, and another shop's product
    manager = make_user(roles=["manager"])
    shop = make_shop(manager=manager)
    mine, theirs = make_product(shop=shop), make_product()
    when = datetime(2030, 1, 1, tzinfo=UTC)
    # when another manager hosts for the shop, then it is refused
    with pytest.raises(Forbidden), db.write() as session:
        live.create_room(session, make_user(roles=["manager"]), title="x", scheduled_at=when, shop_id=shop.id)
    # when the manager puts another shop's product in the line-up, then it is refused
    with pytest.raises(InvalidInput, match="not from shop"), db.write() as session:
        live.create_room(
            session, manager, title="x", scheduled_at=when, shop_id=shop.id, product_ids=[mine.id, theirs.id]
        )
    # when the line-up is the shop's own, then the room is scheduled with it
    with db.write() as session:
        room = live.create_room(
            session, manager, title="x", scheduled_at=when, shop_id=shop.id, product_ids=[mine.id]
        )
        assert [p.id for p in live.lineup(session, room.id)] == [mine.id]


def test_a_room_goes_scheduled_live_ended_and_nothing_else(db, make_user, make_live_room):
    # given a scheduled room
    host = make_user(roles=["creator"])
    room = make_live_room(host=host)
    with pytest.raises(Conflict, match="cannot end a room that is scheduled"), db.write() as session:
        live.end_room(session, host, room.id)
    # when it starts, then it is live with a start time
    with db.write() as session:
        started = live.start_room(session, host, room.id)
    assert started.status == "live"
    assert started.started_at is not None
    with pytest.raises(Conflict), db.write() as session:
        live.start_room(session, host, room.id)
    # when it ends, then it is over for good
    with db.write() as session:
        assert live.end_room(session, host, room.id).status == "ended"
    for move in (live.start_room, live.end_room):
        with pytest.raises(Conflict), db.write() as session:
            move(session, host, room.id)


def test_only_the_host_runs_the_room(db, make_user, make_product, make_live_room):
    # given a room and someone else
    product = make_product()
    room = make_live_room(products=[product])
    intruder = make_user(roles=["creator", "manager"])
    # when they try any host action, then it is refused
    for act in (
        lambda s: live.start_room(s, intruder, room.id),
        lambda s: live.end_room(s, intruder, room.id),
        lambda s: live.set_lineup(s, intruder, room.id, []),
        lambda s: live.pin_product(s, intruder, room.id, product.id),
    ):
        with pytest.raises(Forbidden), db.write() as session:
            act(session)


def test_pinning_needs_the_line_up_and_dropping_unpins(db, make_user, make_product, make_live_room):
    # given a room with two products
    host = make_user(roles=["creator"])
    a, b, c = make_product(), make_product(), make_product()
    room = make_live_room(host=host, products=[a, b])
    # when the host pins a product outside the line-up, then it is refused
    with pytest.raises(InvalidInput, match="line-up"), db.write() as session:
        live.pin_product(session, host, room.id, c.id)
    # when they pin one inside, then it is pinned
    with db.write() as session:
        assert live.pin_product(session, host, room.id, a.id).pinned_product_id == a.id
    # when the line-up drops it, then it is unpinned
    with db.write() as session:
        assert [p.id for p in live.set_lineup(session, host, room.id, [c.id, b.id])] == [c.id, b.id]
        assert live.require_room(session, room.id).pinned_product_id is None
    # when a line-up repeats a product, then it is refused
    with pytest.raises(InvalidInput, match="twice"), db.write() as session:
        live.set_lineup(session, host, room.id, [b.id, b.id])


def test_chat_is_open_only_while_live(db, make_user, make_live_room):
    # given a scheduled room
    host = make_user(roles=["creator"])
    room = make_live_room(host=host)
    viewer = make_user()
    with pytest.raises(Conflict, match="only while it is live"), db.write() as session:
        live.post_chat(session, viewer, room.id, "hello?")
    # when it is live, then people chat and others can poll for what is new
    with db.write() as session:
        live.start_room(session, host, room.id)
        first = live.post_chat(session, viewer, room.id, " first! ")
        second = live.post_chat(session, host, room.id, "welcome")
    with db.read() as session:
        assert [(m.body, a.id) for m, a in live.list_chat(session, room.id)] == [
            ("first!", viewer.id),
            ("welcome", host.id),
        ]
        assert [m.id for m, _ in live.list_chat(session, room.id, after=first.id)] == [second.id]
    # when a message is empty or too long, then it is refused
    for body in ("   ", "x" * 501):
        with pytest.raises(InvalidInput), db.write() as session:
            live.post_chat(session, viewer, room.id, body)


def test_metrics_count_viewers_chat_and_sales(db, make_user, make_product, make_live_room, place, advance):
    # given a live room selling one product at 50
    host = make_user(roles=["creator"])
    product = make_product(skus=[{"price": "50", "stock": 20}])
    sku = product.skus[0]
    room = make_live_room(host=host, products=[product], status="live")
    viewers = [make_user() for _ in range(4)]
    # when four people watch (one twice), two chat, two of them buy and one buyer cancels another order
    with db.write() as session:
        for v in [*viewers, viewers[0]]:
            live.record_view(session, v, room.id)
        live.post_chat(session, viewers[0], room.id, "how do they fit?")
        live.post_chat(session, viewers[1], room.id, "true to size")
    place(viewers[0], (sku.id, 2), live_room_id=room.id)
    place(viewers[1], (sku.id, 1), live_room_id=room.id)
    cancelled = place(viewers[1], (sku.id, 5), live_room_id=room.id)
    advance(cancelled.id, (viewers[1], "cancel"))
    # then the metrics count distinct viewers and only the orders that stand
    with db.read() as session:
        metrics = live.room_metrics(session, room.id)
    assert (metrics.viewers, metrics.chat_messages, metrics.orders, metrics.units) == (4, 2, 2, 3)
    assert metrics.gmv == Decimal("150.00")
    assert metrics.conversion == 0.5


def test_an_empty_room_has_zero_metrics(db, make_live_room):
    room = make_live_room()
    with db.read() as session:
        metrics = live.room_metrics(session, room.id)
    assert (metrics.viewers, metrics.orders, metrics.gmv, metrics.conversion) == (0, 0, Decimal("0.00"), 0.0)


def test_listing_filters_by_status(db, make_live_room):
    # given a scheduled and a live room
    make_live_room()
    on_air = make_live_room(status="live")
    with db.read() as session:
        live_rooms, _ = live.list_rooms(session, status="live")
        with pytest.raises(InvalidInput, match="status must be one of"):
            live.list_rooms(session, status="paused")
    assert [r.id for r in live_rooms] == [on_air.id]
