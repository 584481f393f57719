"""The live rooms API: schedule, go live, line-up and pin, chat, views, and the show's metrics."""

from __future__ import annotations

import pytest


@pytest.fixture
def show(client, make_user, make_token, make_product):
    """A creator's scheduled room with two products, the creator's headers, and the products."""
    host = make_user(roles=["creator"])
    headers = make_token(host)
    a, b = make_product(title="Headlamp"), make_product(title="Poles", skus=[{"price": "30", "stock": 9}])
    body = {
        "title": "Night hike gear",
        "description": "What I carry after dark",
        "scheduled_at": "2030-01-01T20:00:00+08:00",
        "product_ids": [a.id, b.id],
    }
    r = client.post("/api/v1/live-rooms", json=body, headers=headers)
    assert r.status_code == 201
    return r.json(), headers, (a, b)


def test_a_creator_schedules_a_room(client, show):
    room, _, (a, b) = show
    assert (room["status"], room["scheduled_at"], room["pinned_product"]) == (
        "scheduled",
        "2030-01-01T12:00:00",
        None,
    )
    assert [p["id"] for p in room["lineup"]] == [a.id, b.id]
    assert room["metrics"]["viewers"] == 0
    assert client.get(f"/api/v1/live-rooms/{room['id']}").json()["title"] == "Night hike gear"


def test_a_show_from_start_to_end(client, make_user, make_token, show):
    # given a scheduled room
    room, host, (a, b) = show
    url = f"/api/v1/live-rooms/{room['id']}"
    viewer = make_token(make_user())
    # when the host goes live and pins the poles
    assert client.post(f"{url}/start", headers=host).json()["status"] == "live"
    pinned = client.post(f"{url}/pin", json={"product_id": b.id}, headers=host).json()
    assert pinned["pinned_product"]["title"] == "Poles"
    # and a viewer watches, chats and buys two through the room
    assert client.post(f"{url}/view", headers=viewer).status_code == 204
    first = client.post(f"{url}/chat", json={"body": "how long are they?"}, headers=viewer).json()
    client.post(f"{url}/chat", json={"body": "up to 135 cm"}, headers=host)
    order = client.post(
        "/api/v1/orders",
        json={"lines": [{"sku_id": b.skus[0].id, "quantity": 2}], "live_room_id": room["id"]},
        headers=viewer,
    )
    assert order.status_code == 201
    # then the chat can be polled from a message on, and the metrics count the sale
    newer = client.get(f"{url}/chat", params={"after": first["id"]}).json()
    assert [m["body"] for m in newer["items"]] == ["up to 135 cm"]
    assert client.get(f"{url}/chat", params={"after": newer["last_id"]}).json() == {
        "items": [],
        "last_id": newer["last_id"],
    }
    metrics = client.get(url).json()["metrics"]
    assert metrics == {
        "viewers": 1,
        "chat_messages": 2,
        "orders": 1,
        "units": 2,
        "gmv": "60.00",
        "buyers": 1,
        "conversion": 1.0,
    }
    # when it ends, then chat closes and it cannot go live again
    assert client.post(f"{url}/end", headers=host).json()["status"] == "ended"
    assert client.post(f"{url}/chat", json={"body": "still here?"}, headers=viewer).status_code == 409
    assert client.post(f"{url}/start", headers=host).status_code == 409


def test_rooms_are_listed_by_status(client, show, make_user, make_token):
    room, host, _ = show
    other = client.post(
        "/api/v1/live-rooms",
        json={"title": "Later", "scheduled_at": "2030-02-01T20:00:00Z"},
        headers=make_token(make_user(roles=["manager"])),
    ).json()
    client.post(f"/api/v1/live-rooms/{room['id']}/start", headers=host)
    assert [r["id"] for r in client.get("/api/v1/live-rooms", params={"status": "live"}).json()["items"]] == [
        room["id"]
    ]
    page = client.get("/api/v1/live-rooms", params={"limit": 1}).json()
    assert [r["id"] for r in page["items"]] == [other["id"]]
    assert page["next_cursor"] is not None
    assert client.get("/api/v1/live-rooms", params={"status": "paused"}).status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"title": "", "scheduled_at": "2030-01-01T20:00:00Z"},
        {"title": "x", "scheduled_at": "next tuesday"},
        {"title": "x", "scheduled_at": "2030-01-01T20:00:00Z", "product_ids": [999999]},
        {"title": "x", "scheduled_at": "2030-01-01T20:00:00Z", "product_ids": [10**30]},
        {"title": "x", "scheduled_at": "2030-01-01T20:00:00Z", "shop_id": 999999},
        {"title": "x"},
        {"title": "x", "scheduled_at": "0001-01-01T00:00:00+14:00"},
        {"title": "x", "scheduled_at": "9999-12-31T23:59:59-05:00"},
    ],
)
def test_bad_rooms_are_problems(client, make_user, make_token, body):
    r = client.post("/api/v1/live-rooms", json=body, headers=make_token(make_user(roles=["creator"])))
    assert r.status_code == 422
    assert client.get("/api/v1/live-rooms").json()["items"] == []


@pytest.mark.parametrize("body", ["", "   ", "x" * 501])
def test_chat_messages_are_one_to_five_hundred_characters(client, show, body):
    room, host, _ = show
    client.post(f"/api/v1/live-rooms/{room['id']}/start", headers=host)
    assert (
        client.post(f"/api/v1/live-rooms/{room['id']}/chat", json={"body": body}, headers=host).status_code
        == 422
    )
    assert client.get(f"/api/v1/live-rooms/{room['id']}/chat").json()["items"] == []


def test_chat_keeps_no_nul_characters(client, show):
    # PostgreSQL cannot store NUL in text: it is dropped, as in notes, rather than failing the write
    room, host, _ = show
    client.post(f"/api/v1/live-rooms/{room['id']}/start", headers=host)
    r = client.post(f"/api/v1/live-rooms/{room['id']}/chat", json={"body": "wide\x00 fit?"}, headers=host)
    assert r.status_code == 201
    assert r.json()["body"] == "wide fit?"
    blank = client.post(f"/api/v1/live-rooms/{room['id']}/chat", json={"body": "\x00 \x00"}, headers=host)
    assert blank.status_code == 422
    assert [m["body"] for m in client.get(f"/api/v1/live-rooms/{room['id']}/chat").json()["items"]] == [
        "wide fit?"
    ]


def test_pinning_outside_the_line_up_is_refused(client, show, make_product):
    room, host, _ = show
    r = client.post(
        f"/api/v1/live-rooms/{room['id']}/pin", json={"product_id": make_product().id}, headers=host
    )
    assert r.status_code == 422


HOST_ACTIONS = [
    ("post", "start", None),
    ("post", "end", None),
    ("put", "lineup", {"product_ids": []}),
    ("post", "pin", {"product_id": "{a}"}),
]


@pytest.mark.parametrize(("method", "action", "body"), HOST_ACTIONS)
@pytest.mark.parametrize("who", ["anonymous", "someone else"])
def test_host_actions_refuse_the_wrong_person(client, show, make_user, make_token, method, action, body, who):
    # given a live room and someone who is not its host
    room, host, (a, _) = show
    client.post(f"/api/v1/live-rooms/{room['id']}/start", headers=host)
    headers = {} if who == "anonymous" else make_token(make_user(roles=["creator", "manager"]))
    if body and body.get("product_id") == "{a}":
        body = {"product_id": a.id}
    # when they try a host action, then it is refused and the room is unchanged
    r = client.request(method, f"/api/v1/live-rooms/{room['id']}/{action}", json=body, headers=headers)
    assert r.status_code == (401 if who == "anonymous" else 403)
    after = client.get(f"/api/v1/live-rooms/{room['id']}").json()
    assert (after["status"], after["pinned_product_id"], len(after["lineup"])) == ("live", None, 2)


@pytest.mark.parametrize("who", ["anonymous", "shopper"])
def test_scheduling_refuses_the_wrong_person(client, make_user, make_token, who):
    headers = {} if who == "anonymous" else make_token(make_user())
    body = {"title": "Mine", "scheduled_at": "2030-01-01T20:00:00Z"}
    assert client.post("/api/v1/live-rooms", json=body, headers=headers).status_code == (
        401 if who == "anonymous" else 403
    )


def test_chat_and_views_need_a_login(client, show):
    room, host, _ = show
    client.post(f"/api/v1/live-rooms/{room['id']}/start", headers=host)
    assert client.post(f"/api/v1/live-rooms/{room['id']}/chat", json={"body": "hi"}).status_code == 401
    assert client.post(f"/api/v1/live-rooms/{room['id']}/view").status_code == 401
    assert client.get(f"/api/v1/live-rooms/{room['id']}").json()["metrics"]["viewers"] == 0


def test_unknown_rooms_are_not_found(client, make_user, make_token):
    headers = make_token(make_user())
    assert client.get("/api/v1/live-rooms/424242").status_code == 404
    assert client.post(f"/api/v1/live-rooms/{2**40}/view", headers=headers).status_code == 404
    assert client.get("/api/v1/live-rooms/424242/chat").status_code == 404
