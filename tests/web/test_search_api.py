import pytest

from nichely.activity.models import Event, SearchClick, SearchLog


def test_search_all_returns_each_kind_and_logs_the_search(client, db, make_user, make_note, make_product):
    # given a product, a note and a person that mention trail running
    product = make_product(title="Trail running shoe")
    note = make_note(title="Trail running in the rain")
    person = make_user(display_name="Trail Running Club")
    # when someone searches
    r = client.get("/api/v1/search", params={"q": "trail running"})
    # then each kind is listed and the search is logged
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["query"], body["language"]) == ("trail running", "en")
    assert [p["id"] for p in body["products"]] == [product.id]
    assert [n["id"] for n in body["notes"]] == [note.id]
    assert [u["id"] for u in body["people"]] == [person.id]
    with db.read() as session:
        entry = session.get(SearchLog, body["search_id"])
        assert (entry.query, entry.result_count, entry.is_long_tail, entry.user_id) == (
            "trail running",
            3,
            False,
            None,
        )


def test_single_type_is_paginated_items(client, make_product):
    for i in range(3):
        make_product(title=f"Wide shoe {i}")
    first = client.get("/api/v1/search", params={"q": "wide", "type": "products", "limit": 2}).json()
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    second = client.get(
        "/api/v1/search", params={"q": "wide", "type": "products", "limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert len(second["items"]) == 1
    assert second["next_cursor"] is None


def test_long_tail_chinese_query_is_flagged(client, db, make_user, make_token):
    user = make_user()
    r = client.get("/api/v1/search", params={"q": "适合宽脚的轻量越野跑鞋"}, headers=make_token(user))
    assert r.json()["language"] == "zh"
    with db.read() as session:
        entry = session.get(SearchLog, r.json()["search_id"])
        assert (entry.is_long_tail, entry.user_id, entry.language) == (True, user.id, "zh")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "q must not be empty"),
        ({}, "q must not be empty"),
        ({"q": "x" * 10_000}, "at most 200 characters"),
        ({"q": "x", "type": "shops"}, "type must be one of"),
        ({"q": "x", "limit": 0}, "limit must be between"),
        ({"q": "x", "type": "notes", "cursor": "nope"}, "cursor is not valid"),
    ],
)
def test_bad_searches_are_clear_422s_and_not_logged(client, db, params, message):
    r = client.get("/api/v1/search", params=params)
    assert r.status_code == 422
    assert message in r.json()["detail"]
    with db.read() as session:
        assert session.query(SearchLog).count() == 0


@pytest.mark.parametrize("q", ["%' OR 1=1 --", "?!…", "👟🔥", "_", "\\", "qz\x00zq", "ñ" * 200])
def test_odd_queries_never_500(client, make_note, q):
    make_note(title="Anything")
    r = client.get("/api/v1/search", params={"q": q})
    assert r.status_code == 200, r.text
    assert r.json()["notes"] == []


def test_click_is_logged_and_counted(client, db, make_user, make_token, make_product):
    # given a signed-in person's search
    user = make_user()
    product = make_product(title="Trail shoe")
    headers = make_token(user)
    search_id = client.get("/api/v1/search", params={"q": "trail"}, headers=headers).json()["search_id"]
    click = {"target_type": "product", "target_id": product.id, "position": 0}
    # when someone else or nobody clicks on it, then they are refused
    assert client.post(f"/api/v1/search/{search_id}/click", json=click).status_code == 401
    assert (
        client.post(
            f"/api/v1/search/{search_id}/click", json=click, headers=make_token(make_user())
        ).status_code
        == 403
    )
    # when they click a result
    r = client.post(f"/api/v1/search/{search_id}/click", json=click, headers=headers)
    assert r.status_code == 201
    # then the click is stored, counted, and an event is recorded
    with db.read() as session:
        assert session.get(SearchLog, search_id).click_count == 1
        assert session.query(SearchClick).count() == 1
        assert session.query(Event).filter_by(kind="click", target_id=product.id).count() == 1


def test_bad_clicks_are_refused(client, db, make_product):
    search_id = client.get("/api/v1/search", params={"q": "trail"}).json()["search_id"]
    url = f"/api/v1/search/{search_id}/click"
    assert client.post(url, json={"target_type": "shop", "target_id": 1, "position": 0}).status_code == 422
    assert client.post(url, json={"target_type": "note", "target_id": 1, "position": -1}).status_code == 422
    assert (
        client.post(
            "/api/v1/search/999999/click", json={"target_type": "note", "target_id": 1, "position": 0}
        ).status_code
        == 404
    )
    with db.read() as session:
        assert session.query(SearchClick).count() == 0


def test_hidden_notes_never_appear_in_search(client, make_note):
    make_note(title="Secret stash", status="hidden")
    make_note(title="Secret deleted", status="deleted")
    assert client.get("/api/v1/search", params={"q": "secret"}).json()["notes"] == []
