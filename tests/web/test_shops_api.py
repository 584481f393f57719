"""The shops API: open (managers only), read, list, change (that shop's manager only)."""

from __future__ import annotations

import pytest


def test_a_manager_opens_a_shop_and_anyone_reads_it(client, make_user, make_token):
    # given a manager
    manager = make_user(roles=["manager"], display_name="Ana")
    # when they open a shop
    r = client.post(
        "/api/v1/shops",
        json={"name": "Moss & Stone", "description": "Bouldering kit"},
        headers=make_token(manager),
    )
    # then it is created with them as manager, and anyone can read it
    assert r.status_code == 201
    shop = r.json()
    assert (shop["name"], shop["manager"]["id"], shop["product_count"]) == ("Moss & Stone", manager.id, 0)
    assert client.get(f"/api/v1/shops/{shop['id']}").json()["manager"]["display_name"] == "Ana"


def test_shops_are_listed_a_page_at_a_time(client, make_shop):
    # given three shops
    ids = [make_shop().id for _ in range(3)]
    # when listed two at a time, then pages follow newest first without gaps
    first = client.get("/api/v1/shops", params={"limit": 2}).json()
    second = client.get("/api/v1/shops", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [s["id"] for s in first["items"] + second["items"]] == ids[::-1]
    assert second["next_cursor"] is None


def test_the_manager_changes_their_shop(client, make_user, make_token, make_shop):
    manager = make_user(roles=["manager"])
    shop = make_shop(manager=manager)
    r = client.patch(
        f"/api/v1/shops/{shop.id}", json={"description": "Now with chalk"}, headers=make_token(manager)
    )
    assert r.status_code == 200
    assert r.json()["description"] == "Now with chalk"


def test_a_taken_name_conflicts(client, make_user, make_token, make_shop):
    make_shop(name="Taken")
    r = client.post("/api/v1/shops", json={"name": "Taken"}, headers=make_token(make_user(roles=["manager"])))
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("body", [{"name": "   "}, {"name": "x" * 121}, {}, {"name": 5}])
def test_bad_shop_bodies_are_refused(client, make_user, make_token, body):
    r = client.post("/api/v1/shops", json=body, headers=make_token(make_user(roles=["manager"])))
    assert r.status_code == 422
    assert client.get("/api/v1/shops").json()["items"] == []


@pytest.mark.parametrize("shop_id", ["999", str(2**40), "abc"])
def test_unknown_shops_are_not_found_never_a_crash(client, shop_id):
    assert client.get(f"/api/v1/shops/{shop_id}").status_code in (404, 422)


@pytest.mark.parametrize("who", ["anonymous", "shopper", "other manager"])
def test_opening_and_changing_shops_refuses_the_wrong_person(client, make_user, make_token, make_shop, who):
    # given a shop and someone who may not change it
    shop = make_shop(name="Original")
    headers = (
        {}
        if who == "anonymous"
        else make_token(make_user(roles=["manager"] if who == "other manager" else []))
    )
    expected = 401 if who == "anonymous" else 403
    # when they try to change it, then it is refused
    assert (
        client.patch(f"/api/v1/shops/{shop.id}", json={"name": "Hijacked"}, headers=headers).status_code
        == expected
    )
    # when they try to open a shop (a manager may), then only the non-managers are refused
    opened = client.post("/api/v1/shops", json={"name": f"New {who}"}, headers=headers)
    assert opened.status_code == (201 if who == "other manager" else expected)
    assert client.get(f"/api/v1/shops/{shop.id}").json()["name"] == "Original"
