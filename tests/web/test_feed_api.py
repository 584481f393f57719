"""GET /api/v1/feed, /users/{id}/similar and /notes/{id}/related over a planted community (both stores)."""

from __future__ import annotations

from nichely.recommend.online import StateHolder


def test_feed_is_cursor_paginated_with_translated_reasons(app, client, planted, make_token):
    # given a trained feed and a reader of the dorm group
    app.state.feed_holder = StateHolder(state=planted.train())
    reader = planted.readers["dorm"][0]
    headers = make_token(reader)
    # when they read their feed in two pages
    first = client.get("/api/v1/feed?limit=3", headers=headers)
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) == 3
    second = client.get(f"/api/v1/feed?limit=3&cursor={body['next_cursor']}", headers=headers).json()
    # then pages do not repeat, the first is the reader's own community, and every item says why
    first_ids = [i["note"]["id"] for i in body["items"]]
    assert not set(first_ids) & {i["note"]["id"] for i in second["items"]}
    assert {planted.group_of(i) for i in first_ids} == {"dorm"}
    assert all(i["reason"]["code"] and i["reason"]["text"] for i in body["items"])
    # and the reasons come in the reader's language
    english = {i["reason"]["code"]: i["reason"]["text"] for i in body["items"]}
    chinese = client.get("/api/v1/feed?limit=3", headers={**headers, "Accept-Language": "zh-CN"}).json()
    for item in chinese["items"]:
        assert item["reason"]["text"] != english.get(item["reason"]["code"], "")
    spanish = client.get("/api/v1/feed?limit=3", headers={**headers, "Accept-Language": "es"}).json()
    assert all(i["reason"]["text"] not in english.values() for i in spanish["items"])


def test_a_like_through_the_api_changes_the_next_feed(app, client, planted, make_token):
    app.state.feed_holder = StateHolder(state=planted.train())
    reader = planted.readers["dorm"][1]
    headers = make_token(reader)
    before = client.get("/api/v1/feed?limit=20", headers=headers).json()["items"]
    # when the reader saves a trail note
    liked = planted.notes["trail"][1]
    assert client.post(
        f"/api/v1/notes/{liked.id}/reactions", json={"kind": "save"}, headers=headers
    ).status_code in (200, 201)
    after = client.get("/api/v1/feed?limit=20", headers=headers).json()["items"]

    # then the next feed explains items by that save, and the saved note itself is gone
    def by_that_save(items):  # type: ignore[no-untyped-def]
        return [
            i
            for i in items
            if i["reason"]["code"] == "because_you_saved" and i["reason"]["params"]["name"] == liked.title
        ]

    assert not by_that_save(before)
    assert by_that_save(after)
    assert liked.id not in {i["note"]["id"] for i in after}


def test_feed_needs_a_login_and_a_valid_cursor(client, planted, make_token):
    assert client.get("/api/v1/feed").status_code == 401
    headers = make_token(planted.readers["dorm"][0])
    response = client.get("/api/v1/feed?cursor=nonsense", headers=headers)
    assert response.status_code == 422


def test_feed_works_before_any_training(client, planted, make_token):
    # given no trained state at all: follows, interests, new creators and popular notes still fill it
    items = client.get("/api/v1/feed", headers=make_token(planted.readers["trail"][0])).json()["items"]
    assert items


def test_similar_users_and_related_notes(app, client, planted, make_token):
    app.state.feed_holder = StateHolder(state=planted.train())
    reader = planted.readers["trail"][2]
    similar = client.get(f"/api/v1/users/{reader.id}/similar?limit=5", headers=make_token(reader)).json()
    trail_people = {u.id for u in planted.readers["trail"] + planted.creators["trail"]}
    assert similar
    assert all(s["user"]["id"] in trail_people and s["reason"]["text"] for s in similar)
    note = planted.notes["dorm"][0]
    related = client.get(f"/api/v1/notes/{note.id}/related?limit=4").json()
    assert related["notes"]
    assert all(planted.group_of(i["note"]["id"]) == "dorm" for i in related["notes"])
