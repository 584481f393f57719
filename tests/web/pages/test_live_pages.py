"""Live room pages: scheduling a show, host controls, the latest chat, polled pin and metrics, buying."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.web.pages.conftest import csrf_of, post_form

from nichely.commerce.models import Order
from nichely.live import service as live
from nichely.live.models import LiveChatMessage, LiveRoom


@pytest.fixture
def host_shop(make_user, make_shop, make_product):
    """A manager with a shop selling two products."""
    host = make_user(roles=["manager"], display_name="Host Mei")
    shop = make_shop(manager=host, name="Mei's Lab")
    shoe = make_product(shop=shop, title="Trail shoe")
    lamp = make_product(shop=shop, title="Desk lamp")
    return host, shop, shoe, lamp


@pytest.fixture
def live_room(db, host_shop):
    """A room of the host's shop, already live, with both products in its line-up."""
    host, shop, shoe, lamp = host_shop
    with db.write() as session:
        room = live.create_room(
            session,
            host,
            title="Shoe night",
            scheduled_at=datetime.now(UTC),
            shop_id=shop.id,
            product_ids=[shoe.id, lamp.id],
        )
        live.start_room(session, host, room.id)
    return room


# -- scheduling a show ---------------------------------------------------------------------------


def test_host_schedules_a_show_with_a_line_up_from_their_shop(client, login, db, host_shop):
    host, shop, shoe, lamp = host_shop
    login(host)
    # given the form, which offers the shop's products
    form = client.get("/live/new")
    assert form.status_code == 200
    assert "Trail shoe" in form.text
    assert "Desk lamp" in form.text
    # when the host schedules a show presenting the lamp
    r = post_form(
        client,
        "/live/new",
        {
            "title": "Lamps after dark",
            "description": "Small desks, warm light.",
            "scheduled_at": "2031-05-01T19:30",
            "shop_id": str(shop.id),
            "product_ids": [str(lamp.id)],
        },
        page="/live/new",
    )
    # then the room exists with that line-up and its page shows it with the host's controls
    assert r.status_code == 303
    room_id = int(r.headers["location"].rsplit("/", 1)[1])
    with db.read() as session:
        room = session.get(LiveRoom, room_id)
        assert (room.host_id, room.shop_id, room.status) == (host.id, shop.id, "scheduled")
        assert room.scheduled_at == datetime(2031, 5, 1, 19, 30)
        assert [p.id for p in live.lineup(session, room_id)] == [lamp.id]
    page = client.get(r.headers["location"]).text
    assert "Lamps after dark" in page
    assert "Go live" in page
    assert "Edit the line-up" in page


def test_live_form_with_bad_input_re_renders_with_the_reason_and_keeps_what_was_typed(
    client, login, db, host_shop
):
    host, shop, shoe, _lamp = host_shop
    login(host)
    fields = {"description": "Keep me", "shop_id": str(shop.id), "product_ids": [str(shoe.id)]}
    r = post_form(client, "/live/new", {**fields, "title": " ", "scheduled_at": "2031-05-01T19:30"})
    assert r.status_code == 422
    assert "title must not be empty" in r.text
    assert ">Keep me</textarea>" in r.text
    assert f'value="{shoe.id}" checked' in r.text
    r = post_form(client, "/live/new", {**fields, "title": "Show", "scheduled_at": "next friday"})
    assert r.status_code == 422
    assert "Enter when the show starts as a date and a time." in r.text
    # a time that is valid where it was typed but falls outside the calendar in UTC
    r = post_form(client, "/live/new", {**fields, "title": "Show", "scheduled_at": "0001-01-01T00:00+14:00"})
    assert r.status_code == 422
    assert "scheduled_at must be a date and time" in r.text
    with db.read() as session:
        assert session.query(LiveRoom).count() == 0


def test_a_line_up_from_someone_elses_shop_is_refused(client, login, host_shop, make_product):
    host, shop, _shoe, _lamp = host_shop
    other = make_product(title="Not mine")
    login(host)
    r = post_form(
        client,
        "/live/new",
        {
            "title": "Show",
            "scheduled_at": "2031-05-01T19:30",
            "shop_id": str(shop.id),
            "product_ids": [str(other.id)],
        },
    )
    assert r.status_code == 422
    assert f"is not from shop {shop.id}" in r.text


def test_only_managers_and_creators_may_schedule_a_show(client, login, make_user, db):
    # anonymous visitors are sent to log in
    r = client.get("/live/new", follow_redirects=False)
    assert r.headers["location"] == "/login?next=/live/new"
    # a shopper sees why, and a forced post is refused by the live rules
    login(make_user(roles=["shopper"]))
    assert "Only managers and creators may host live shows." in client.get("/live/new").text
    assert "Host a live show" not in client.get("/live").text
    r = post_form(client, "/live/new", {"title": "Mine", "scheduled_at": "2031-05-01T19:30"})
    assert r.status_code == 403
    assert "only managers and creators may host live rooms" in r.text
    with db.read() as session:
        assert session.query(LiveRoom).count() == 0


def test_scheduling_a_show_needs_the_csrf_token(client, login, host_shop, db):
    login(host_shop[0])
    client.get("/live/new")
    r = client.post("/live/new", data={"title": "Show", "scheduled_at": "2031-05-01T19:30"})
    assert r.status_code == 403
    with db.read() as session:
        assert session.query(LiveRoom).count() == 0


# -- host controls -------------------------------------------------------------------------------


def test_host_edits_the_line_up_and_nobody_else_may(client, login, db, host_shop, live_room, make_user):
    host, _shop, shoe, lamp = host_shop
    with db.write() as session:
        live.pin_product(session, host, live_room.id, lamp.id)
    login(host)
    form = client.get(f"/live/{live_room.id}/lineup")
    assert form.status_code == 200
    assert f'value="{lamp.id}" checked' in form.text
    # when the host keeps only the shoe, the lamp leaves the line-up and is unpinned
    r = post_form(
        client, f"/live/{live_room.id}/lineup", {"product_ids": [str(shoe.id)]}, page=f"/live/{live_room.id}"
    )
    assert r.status_code == 303
    with db.read() as session:
        assert [p.id for p in live.lineup(session, live_room.id)] == [shoe.id]
        assert session.get(LiveRoom, live_room.id).pinned_product_id is None
    # someone else is sent back to the room, and their post is refused
    client.cookies.clear()
    login(make_user(roles=["manager"]))
    r = client.get(f"/live/{live_room.id}/lineup", follow_redirects=False)
    assert r.headers["location"] == f"/live/{live_room.id}"
    r = post_form(client, f"/live/{live_room.id}/lineup", {"product_ids": [str(lamp.id)]})
    assert r.status_code == 403
    with db.read() as session:
        assert [p.id for p in live.lineup(session, live_room.id)] == [shoe.id]


def test_starting_a_show_twice_explains_on_the_room_page(client, login, host_shop, live_room):
    login(host_shop[0])
    r = post_form(client, f"/live/{live_room.id}/start", {}, page=f"/live/{live_room.id}")
    assert r.status_code == 409
    assert "cannot start a room that is live" in r.text
    assert "Shoe night" in r.text


def test_pin_by_someone_else_is_refused(client, login, make_user, host_shop, live_room):
    login(make_user(roles=["creator"]))
    r = post_form(client, f"/live/{live_room.id}/pin", {"product_id": str(host_shop[2].id)})
    assert r.status_code == 403


# -- watching ------------------------------------------------------------------------------------


def test_the_room_opens_on_the_latest_chat_and_polls_after_it(client, db, make_user, live_room):
    viewer = make_user(display_name="Chatty")
    with db.write() as session:
        for i in range(live.CHAT_PAGE + 5):
            live.post_chat(session, viewer, live_room.id, f"line-{i:03d}")
    with db.read() as session:
        newest = max(m.id for m in session.query(LiveChatMessage))
    html = client.get(f"/live/{live_room.id}").text
    # the newest messages are there in order, the oldest five are not
    assert "line-104" in html
    assert html.index("line-005") < html.index("line-104")
    assert "line-004" not in html
    assert f"/live/{live_room.id}/chat?after={newest}" in html


def test_pinned_product_is_polled_only_when_it_changes(client, db, login, host_shop, live_room):
    host, _shop, shoe, _lamp = host_shop
    url = f"/live/{live_room.id}/pinned"
    # nothing pinned and nothing changed: no content, nothing to swap
    assert client.get(url, params={"shown": 0, "status": "live"}).status_code == 204
    with db.write() as session:
        live.pin_product(session, host, live_room.id, shoe.id)
    # a viewer's page that shows nothing pinned gets the pinned product with a buy form for the room
    r = client.get(url, params={"shown": 0, "status": "live"})
    assert r.status_code == 200
    assert "Trail shoe" in r.text
    assert f'name="room" value="{live_room.id}"' in r.text
    assert f"shown={shoe.id}" in r.text
    assert "<html" not in r.text
    assert client.get(url, params={"shown": shoe.id, "status": "live"}).status_code == 204
    # a page opened before the show went live reloads as a whole
    r = client.get(url, params={"shown": shoe.id, "status": "scheduled"})
    assert r.status_code == 204
    assert r.headers["HX-Refresh"] == "true"


def test_buying_from_the_room_attributes_the_order_and_updates_the_metrics(
    client, db, login, make_user, host_shop, live_room
):
    host, _shop, shoe, _lamp = host_shop
    with db.write() as session:
        live.pin_product(session, host, live_room.id, shoe.id)
    login(make_user())
    room_page = client.get(f"/live/{live_room.id}").text
    assert f'hx-get="/live/{live_room.id}/metrics"' in room_page
    # the pinned product's buy form carries the room into checkout
    sku = shoe.skus[0]
    checkout = client.get(f"/checkout?sku={sku.id}&qty=2&room={live_room.id}")
    key = checkout.text.split('name="key" value="')[1].split('"')[0]
    r = client.post(
        "/checkout",
        data={
            "sku": str(sku.id),
            "qty": "2",
            "room": str(live_room.id),
            "key": key,
            "csrf_token": csrf_of(checkout.text),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    with db.read() as session:
        order = session.query(Order).one()
        assert order.live_room_id == live_room.id
    metrics = client.get(f"/live/{live_room.id}/metrics").text
    assert '<dd data-metric="orders">1</dd>' in metrics
    assert '<dd data-metric="gmv">198.00</dd>' in metrics
    assert '<dd data-metric="viewers">1</dd>' in metrics


def test_an_ended_show_stops_polling_and_offers_no_room_purchase(client, db, host_shop, live_room):
    host, _shop, shoe, _lamp = host_shop
    with db.write() as session:
        live.pin_product(session, host, live_room.id, shoe.id)
        live.end_room(session, host, live_room.id)
    html = client.get(f"/live/{live_room.id}").text
    assert "This show has ended" in html
    assert "hx-trigger" not in html
    assert f"room={live_room.id}" not in html
    assert "Trail shoe" in html
