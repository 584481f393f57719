import time

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
        ({"q": "x", "sort": "cheapest"}, "sort must be one of"),
        ({"q": "x", "price_min": "cheap"}, "price_min must be a number"),
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


# -- issue "Long-tail search": the platform search is the engine ---------------------------------


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        "x" * 10_000,
        "?!…。，",
        '" OR 1=1 --',
        "'; DROP TABLE products; --",
        "NEAR(a b)",
        "title:foo*",
        "foo AND OR NOT",
        '"unbalanced',
        "*",
        "-(",
        "👟🔥🏃‍♀️",
        "宽脚👟",
    ],
)
def test_hostile_and_odd_queries_are_answered_without_errors(client, db, make_product, q):
    # given a store with something in it
    make_product(title="Wide trail runner")
    # when anything at all is searched
    r = client.get("/api/v1/search", params={"q": q})
    # then the answer is a normal result, never an error
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"query", "language", "search_id", "products", "notes", "people", "parsed", "facets"}
    assert len(body["query"]) <= 200
    assert body["truncated"] is (len(q.strip()) > 200)
    if not q.strip():
        # nothing typed: nothing found and nothing logged
        assert (body["products"], body["search_id"]) == ([], None)


def test_product_created_through_the_api_is_found_at_once(client, make_user, make_token, make_shop):
    # given a manager's shop
    manager = make_user(roles=["manager"])
    shop = make_shop(manager=manager)
    headers = make_token(manager)
    # (a first search loads the dictionaries, Chinese segmentation and the ranker once per process)
    client.get("/api/v1/search", params={"q": "warm up 热身"})
    # when a product is listed and someone searches straight after
    r = client.post(
        "/api/v1/products",
        headers=headers,
        json={
            "shop_id": shop.id,
            "title": "Whisper-quiet office chair",
            "category": "chairs",
            "skus": [{"attributes": {"colour": "grey"}, "price": "199.00", "stock": 3}],
        },
    )
    assert r.status_code == 201, r.text
    started = time.monotonic()
    found = client.get("/api/v1/search", params={"q": "quiet office chair", "type": "products"}).json()
    # then it is found, within a second of the commit
    assert [p["id"] for p in found["items"]] == [r.json()["id"]]
    assert time.monotonic() - started < 1.0


def test_note_created_through_the_api_is_found_at_once_and_backs_its_product(
    client, make_user, make_token, make_product
):
    # given a product whose own text says nothing about dorms
    product = make_product(title="Fold-flat desk", description="Birch plywood.", category="desks")
    author = make_user(roles=["creator"])
    client.get("/api/v1/search", params={"q": "warm up 热身"})
    # when a note about it is posted and someone searches for the need straight after
    r = client.post(
        "/api/v1/notes",
        headers=make_token(author),
        json={
            "title": "宿舍里用了一学期",
            "body": "这张小书桌放在宿舍床边刚好，折起来不占地方。",
            "product_ids": [product.id],
        },
    )
    assert r.status_code == 201, r.text
    started = time.monotonic()
    body = client.get("/api/v1/search", params={"q": "适合宿舍的小书桌"}).json()
    elapsed = time.monotonic() - started
    # then the note is found, the product is found through it, with the note as evidence
    assert [n["id"] for n in body["notes"]] == [r.json()["id"]]
    assert [p["id"] for p in body["products"]] == [product.id]
    evidence = body["products"][0]["evidence"]
    assert [e["note_id"] for e in evidence] == [r.json()["id"]]
    passage = evidence[0]["passage"]
    marked = [passage["text"][a:b] for a, b in passage["highlights"]]
    assert "宿舍" in marked
    assert any("书桌" in m for m in marked)
    assert "".join(f["text"] for f in passage["fragments"]) == passage["text"]
    assert elapsed < 1.0


def test_deleted_note_leaves_search_at_once(client, make_user, make_token, make_note):
    author = make_user(roles=["creator"])
    note = make_note(author=author, title="Silent keyboard for night shifts", body="Really quiet.")
    assert [
        n["id"] for n in client.get("/api/v1/search", params={"q": "silent keyboard"}).json()["notes"]
    ] == [note.id]
    assert client.delete(f"/api/v1/notes/{note.id}", headers=make_token(author)).status_code == 204
    assert client.get("/api/v1/search", params={"q": "silent keyboard"}).json()["notes"] == []


def test_evidence_puts_buyer_shows_first_and_never_carries_html(
    client, make_user, make_product, make_note, deliver
):
    # given a product with a sponsored note, a plain note and a buyer show about wide feet
    product = make_product(title="Model 7 runner", description="", category="running shoes")
    shop_note = make_note(products=[product], title="Great for wide feet", body="Wide feet love it.")
    plain = make_note(products=[product], title="Wide feet, long runs", body="My wide feet are fine.")
    buyer = make_user()
    deliver(buyer, product)
    show = make_note(
        author=buyer,
        products=[product],
        title="Bought for my wide feet",
        body="<script>alert(1)</script> I have wide feet and these fit.",
    )
    # when someone searches for the need
    body = client.get("/api/v1/search", params={"q": "running shoes for wide feet"}).json()
    # then the product carries three notes, the buyer show first
    [hit] = body["products"]
    assert hit["id"] == product.id
    evidence = hit["evidence"]
    assert evidence[0]["note_id"] == show.id
    assert evidence[0]["buyer_show"] is True
    assert {e["note_id"] for e in evidence} == {show.id, plain.id, shop_note.id}
    assert "wide_feet" in evidence[0]["passage"]["aspects"]
    # and user text comes back as text, to be escaped by whoever renders it
    for e in evidence:
        for a, b in e["passage"]["highlights"]:
            assert e["passage"]["text"][a:b].lower().startswith(("wide", "feet", "foot", "run", "shoe"))


def test_sku_attributes_in_the_query_lift_matching_products_and_filters_narrow(client, make_product):
    # given wide shoes in size 42, narrow shoes in 42 and wide shoes without 42
    wide42 = make_product(
        title="Trail shoe A",
        category="running shoes",
        skus=[{"attributes": {"size": "42", "width": "wide"}, "price": "90.00", "stock": 2}],
    )
    narrow42 = make_product(
        title="Trail shoe B running shoes running shoes",
        category="running shoes",
        skus=[{"attributes": {"size": "42", "width": "narrow"}, "price": "60.00", "stock": 2}],
    )
    wide44 = make_product(
        title="Trail shoe C",
        category="running shoes",
        skus=[{"attributes": {"size": "44", "width": "wide"}, "price": "120.00", "stock": 0}],
    )
    # when searching in Chinese for size 42, wide, running shoes
    body = client.get("/api/v1/search", params={"q": "42码宽脚跑鞋 trail shoe"}).json()
    # then the query's attributes were understood and the product having both comes first
    assert body["parsed"]["sku_attributes"]["size"] == 42
    assert body["parsed"]["sku_attributes"]["width"] == "wide"
    assert [p["id"] for p in body["products"]][0] == wide42.id
    assert {p["id"] for p in body["products"]} == {wide42.id, narrow42.id, wide44.id}
    # and facets count SKU values over the results
    sizes = {f["value"]: f["count"] for f in body["facets"]["size"]}
    assert sizes == {"42": 2, "44": 1}
    # when a size filter is chosen, only products with that size remain; the size facet still counts all
    filtered = client.get("/api/v1/search", params={"q": "trail shoe", "size": "42", "width": "wide"}).json()
    assert [p["id"] for p in filtered["products"]] == [wide42.id]
    assert {f["value"]: f["count"] for f in filtered["facets"]["size"]} == {"42": 1, "44": 1}
    # and in-stock and price filters and price sorting work together
    cheap_first = client.get(
        "/api/v1/search",
        params={"q": "trail shoe", "sort": "price_asc", "in_stock": "true", "price_max": "100"},
    ).json()
    assert [p["id"] for p in cheap_first["products"]] == [narrow42.id, wide42.id]


def test_did_you_mean_corrects_towards_words_in_the_store(client, make_product):
    make_product(title="Ergonomic keyboard")
    body = client.get("/api/v1/search", params={"q": "ergonomc keyboard"}).json()
    assert body["parsed"]["did_you_mean"] == "ergonomic keyboard"
    assert len(body["products"]) == 1


def test_no_result_search_suggests_popular_related_queries(client, make_product):
    make_product(title="Standing desk")
    client.get("/api/v1/search", params={"q": "standing desk"})
    empty = client.get("/api/v1/search", params={"q": "zqxv"}).json()
    assert empty["total"] == 0
    assert empty["suggestions"] == ["standing desk"]


def test_suggest_completes_from_queries_titles_and_tags(client, make_product, make_note):
    make_product(title="Quilted dorm blanket")
    make_note(title="Winter", body="warm", tags=["quiet-room"])
    client.get("/api/v1/search", params={"q": "quiet shoes"})
    body = client.get("/api/v1/search/suggest", params={"q": "Qu"}).json()
    assert body["suggestions"] == [
        {"text": "quiet shoes", "source": "query"},
        {"text": "Quilted dorm blanket", "source": "product"},
        {"text": "quiet-room", "source": "tag"},
    ]
    assert client.get("/api/v1/search/suggest", params={"q": "%_"}).json()["suggestions"] == []


def test_stats_are_for_moderators_and_count_long_tail_and_clicks(
    client, make_user, make_token, make_moderator, make_product
):
    product = make_product(title="Wide trail runner 宽脚轻量越野跑鞋")
    first = client.get("/api/v1/search", params={"q": "wide trail runner"}).json()
    client.get("/api/v1/search", params={"q": "适合宽脚的轻量越野跑鞋推荐"})
    client.get("/api/v1/search", params={"q": "zqxv"})
    client.post(
        f"/api/v1/search/{first['search_id']}/click",
        json={"target_type": "product", "target_id": product.id, "position": 0},
    )
    assert client.get("/api/v1/search/stats").status_code == 401
    assert (
        client.get("/api/v1/search/stats", headers=make_token(make_user(roles=["manager"]))).status_code
        == 403
    )
    stats = client.get("/api/v1/search/stats", headers=make_token(make_moderator())).json()
    assert stats["searches"] == 3
    assert stats["click_through_rate"] == pytest.approx(1 / 3, abs=1e-3)
    [today] = stats["per_day"]
    assert (today["searches"], today["long_tail"]) == (3, 1)
    assert stats["no_result_queries"] == [{"query": "zqxv", "count": 1}]
