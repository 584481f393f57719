"""The storefronts API: a buyer opens one, shelves other shops' products, anyone reads it."""

from __future__ import annotations

import pytest


@pytest.fixture
def curator(make_user, make_token, client):
    """A buyer with an open storefront, and their headers."""
    buyer = make_user(roles=["buyer"], display_name="Mei")
    headers = make_token(buyer)
    storefront = client.post(
        "/api/v1/storefronts",
        json={"title": "Mei's trail picks", "description": "Tested on wet rock"},
        headers=headers,
    ).json()
    return buyer, headers, storefront


def test_a_buyer_curates_a_shelf_anyone_can_read(client, curator, make_product):
    # given a buyer's new storefront and two products from other shops
    buyer, headers, storefront = curator
    assert (storefront["buyer"]["id"], storefront["items"], storefront["commission_rate"]) == (
        buyer.id,
        [],
        "0.050",
    )
    shoes, socks = make_product(title="Shoes"), make_product(title="Socks")
    # when the buyer shelves them with a pitch
    items = {"items": [{"product_id": socks.id, "pitch": "no blisters"}, {"product_id": shoes.id}]}
    r = client.put(f"/api/v1/storefronts/{storefront['id']}/items", json=items, headers=headers)
    # then anyone sees the shelf in that order
    assert r.status_code == 200
    shelf = client.get(f"/api/v1/storefronts/{storefront['id']}").json()["items"]
    assert [(i["product"]["title"], i["pitch"], i["position"]) for i in shelf] == [
        ("Socks", "no blisters", 0),
        ("Shoes", "", 1),
    ]
    assert [s["id"] for s in client.get("/api/v1/storefronts").json()["items"]] == [storefront["id"]]


def test_one_storefront_per_buyer(client, curator):
    _, headers, _ = curator
    assert client.post("/api/v1/storefronts", json={"title": "Again"}, headers=headers).status_code == 409


@pytest.mark.parametrize(
    "items",
    [
        [{"product_id": 999999}],
        [{"product_id": 10**30}],
        [{"product_id": "{p}"}, {"product_id": "{p}"}],
        [{"product_id": "{p}", "pitch": "x" * 501}],
        "all of them",
    ],
)
def test_bad_shelves_are_refused_and_the_old_one_stays(client, curator, make_product, items):
    # given a shelf with one product
    _, headers, storefront = curator
    product = make_product()
    url = f"/api/v1/storefronts/{storefront['id']}/items"
    client.put(url, json={"items": [{"product_id": product.id}]}, headers=headers)
    if isinstance(items, list):
        items = [
            {**i, "product_id": product.id if i["product_id"] == "{p}" else i["product_id"]} for i in items
        ]
    # when a bad shelf is sent, then it is a 422 problem and the old shelf stays
    r = client.put(url, json={"items": items}, headers=headers)
    assert r.status_code == 422
    assert [
        i["product"]["id"] for i in client.get(f"/api/v1/storefronts/{storefront['id']}").json()["items"]
    ] == [product.id]


def test_a_buyer_cannot_shelve_their_own_shops_products(
    client, make_user, make_token, make_shop, make_product
):
    both = make_user(roles=["buyer", "manager"])
    headers = make_token(both)
    own = make_product(shop=make_shop(manager=both))
    storefront = client.post("/api/v1/storefronts", json={"title": "Mine"}, headers=headers).json()
    r = client.put(
        f"/api/v1/storefronts/{storefront['id']}/items",
        json={"items": [{"product_id": own.id}]},
        headers=headers,
    )
    assert r.status_code == 422
    assert "own shop" in r.json()["detail"]


@pytest.mark.parametrize("who", ["anonymous", "shopper", "other buyer"])
def test_storefront_changes_refuse_the_wrong_person(
    client, curator, make_user, make_token, make_product, who
):
    # given someone else's storefront
    _, _, storefront = curator
    product = make_product()
    headers = (
        {} if who == "anonymous" else make_token(make_user(roles=["buyer"] if who == "other buyer" else []))
    )
    expected = 401 if who == "anonymous" else 403
    # when they change its shelf, then it is refused and the shelf is untouched
    r = client.put(
        f"/api/v1/storefronts/{storefront['id']}/items",
        json={"items": [{"product_id": product.id}]},
        headers=headers,
    )
    assert r.status_code == expected
    assert client.get(f"/api/v1/storefronts/{storefront['id']}").json()["items"] == []
    # when they open a storefront, then only a buyer may
    opened = client.post("/api/v1/storefronts", json={"title": "Mine"}, headers=headers)
    assert opened.status_code == (201 if who == "other buyer" else expected)


def test_unknown_storefronts_are_not_found(client):
    assert client.get("/api/v1/storefronts/424242").status_code == 404
    assert client.get(f"/api/v1/storefronts/{2**40}").status_code == 404
