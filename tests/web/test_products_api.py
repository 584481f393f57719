"""The products API: list with cursors, read with buyer shows, create and change (shop managers)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from nichely.catalog.models import Product, Sku
from nichely.community.models import Note, NoteProduct


@pytest.fixture
def seller(make_user, make_shop, make_token):
    """A manager, their shop and their auth headers."""
    manager = make_user(roles=["manager"])
    return manager, make_shop(manager=manager), make_token(manager)


def product_body(shop_id, **overrides):
    body = {
        "shop_id": shop_id,
        "title": "Trail runner",
        "description": "Grippy and light.",
        "category": "Running Shoes",
        "attributes": {"drop_mm": 6},
        "skus": [
            {"attributes": {"size": "42"}, "price": "129.90", "stock": 4},
            {"attributes": {"size": "43"}, "price": 119, "stock": 0},
        ],
    }
    body.update(overrides)
    return body


def counts(db):
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Product)),
            session.scalar(select(func.count()).select_from(Sku)),
        )


def test_a_manager_lists_a_product_with_skus(client, seller):
    # given a shop's manager
    _, shop, headers = seller
    # when they list a product with two sizes
    r = client.post("/api/v1/products", json=product_body(shop.id), headers=headers)
    # then it comes back with its SKUs, prices to the cent and a price range
    assert r.status_code == 201
    product = r.json()
    assert product["category"] == "running shoes"
    assert [(s["attributes"], s["price"], s["stock"]) for s in product["skus"]] == [
        ({"size": "42"}, "129.90", 4),
        ({"size": "43"}, "119.00", 0),
    ]
    assert all(isinstance(s["id"], int) for s in product["skus"])
    assert (product["price_min"], product["price_max"], product["in_stock"]) == ("119.00", "129.90", True)


def test_products_page_with_cursors_and_filters(client, make_shop, make_product):
    # given five shoes in one shop and a tent in another
    shop = make_shop()
    shoes = [make_product(shop=shop).id for _ in range(5)]
    tent = make_product(category="tents").id
    # when pages of two are read, then every product comes once, newest first
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/products", params=params).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [tent, *shoes[::-1]]
    # when filtered by shop or category, then only those come back
    assert [
        p["id"] for p in client.get("/api/v1/products", params={"shop_id": shop.id}).json()["items"]
    ] == shoes[::-1]
    assert [
        p["id"] for p in client.get("/api/v1/products", params={"category": "Tents"}).json()["items"]
    ] == [tent]


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"cursor": "garbage"}, {"limit": "many"}])
def test_bad_paging_is_a_problem_not_a_crash(client, params):
    r = client.get("/api/v1/products", params=params)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")


def test_a_product_shows_its_notes_buyer_shows_first(client, db, make_user, make_product):
    # given a product with a popular plain note and a quieter verified buyer show
    product = make_product()
    with db.write() as session:
        for title, verified, likes in [("Looks nice", False, 50), ("Ran 100 km in them", True, 1)]:
            note = Note(
                author_id=make_user().id,
                language="en",
                title=title,
                body="...",
                verified_purchase=verified,
                like_count=likes,
            )
            note.product_links = [NoteProduct(product_id=product.id)]
            session.add(note)
    # when the product is read
    r = client.get(f"/api/v1/products/{product.id}")
    # then its SKUs are there and the buyer show leads
    assert r.status_code == 200
    body = r.json()
    assert [s["id"] for s in body["skus"]] == [s.id for s in product.skus]
    assert [(n["title"], n["verified_purchase"]) for n in body["notes"]] == [
        ("Ran 100 km in them", True),
        ("Looks nice", False),
    ]


def test_the_manager_edits_hides_and_restocks(client, seller, make_product):
    # given a product of the manager's shop
    _, shop, headers = seller
    product = make_product(shop=shop)
    sku = product.skus[0]
    # when they retitle and hide it, then others no longer see it but they do
    r = client.patch(
        f"/api/v1/products/{product.id}",
        json={"title": "Trail runner v2", "status": "hidden"},
        headers=headers,
    )
    assert (r.status_code, r.json()["title"], r.json()["status"]) == (200, "Trail runner v2", "hidden")
    assert client.get(f"/api/v1/products/{product.id}").status_code == 404
    assert client.get(f"/api/v1/products/{product.id}", headers=headers).status_code == 200
    # when they add a size and change a price and stock, then the SKUs follow
    added = client.post(
        f"/api/v1/products/{product.id}/skus",
        json={"attributes": {"size": "44"}, "price": "5.5", "stock": 2},
        headers=headers,
    )
    assert (added.status_code, added.json()["price"]) == (201, "5.50")
    changed = client.patch(
        f"/api/v1/products/{product.id}/skus/{sku.id}",
        json={"price": "80", "stock_delta": 5},
        headers=headers,
    )
    assert (changed.json()["price"], changed.json()["stock"]) == ("80.00", 15)
    # when they send an unknown status, then it is refused
    assert (
        client.patch(f"/api/v1/products/{product.id}", json={"status": "gone"}, headers=headers).status_code
        == 422
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "  "},
        {"skus": []},
        {"skus": [{"price": "abc", "stock": 1}]},
        {"skus": [{"price": "1e20", "stock": 1}]},
        {"skus": [{"price": 1e300, "stock": 1}]},
        {"skus": [{"price": "-1", "stock": 1}]},
        {"skus": [{"price": "1.005", "stock": 1}]},
        {"skus": [{"price": "1", "stock": -1}]},
        {"skus": [{"price": "1", "stock": 10**30}]},
        {"skus": [{"price": "1", "stock": 1.5}]},
        {"skus": [{"price": "1", "attributes": {"size": 42}}]},
        {"shop_id": 10**30},
        {"attributes": {"bad": [1, 2]}},
    ],
)
def test_bad_products_get_a_problem_and_nothing_is_stored(client, db, seller, overrides):
    _, shop, headers = seller
    r = client.post("/api/v1/products", json={**product_body(shop.id), **overrides}, headers=headers)
    assert 400 <= r.status_code < 500
    assert r.headers["content-type"].startswith("application/problem+json")
    assert counts(db) == (0, 0)


@pytest.mark.parametrize(
    "bad",
    [{"price": "abc"}, {"price": "-3"}, {"stock": -1}, {"stock_delta": -11}, {"stock": 1, "stock_delta": 1}],
)
def test_bad_sku_changes_leave_the_sku_alone(client, db, seller, make_product, bad):
    _, shop, headers = seller
    product = make_product(shop=shop)
    sku = product.skus[0]
    r = client.patch(f"/api/v1/products/{product.id}/skus/{sku.id}", json=bad, headers=headers)
    assert 400 <= r.status_code < 500
    with db.read() as session:
        stored = session.get(Sku, sku.id)
        assert (str(stored.price), stored.stock) == ("99.00", 10)


ENDPOINTS = [
    ("post", "/api/v1/products", "create"),
    ("patch", "/api/v1/products/{product}", {"title": "Hijacked"}),
    ("post", "/api/v1/products/{product}/skus", {"attributes": {"size": "50"}, "price": "1", "stock": 1}),
    ("patch", "/api/v1/products/{product}/skus/{sku}", {"price": "0.01"}),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize("who", ["anonymous", "shopper", "other manager"])
def test_product_changes_refuse_the_wrong_person(
    client, db, make_user, make_token, make_product, method, path, body, who
):
    # given a product of someone else's shop
    product = make_product()
    if body == "create":
        body = product_body(product.shop_id)
    headers = (
        {}
        if who == "anonymous"
        else make_token(make_user(roles=["manager"] if who == "other manager" else []))
    )
    # when this person tries the change
    r = client.request(
        method, path.format(product=product.id, sku=product.skus[0].id), json=body, headers=headers
    )
    # then it is refused and nothing changed
    assert r.status_code == (401 if who == "anonymous" else 403)
    assert counts(db) == (1, 1)
    with db.read() as session:
        assert session.get(Product, product.id).title == product.title
        assert str(session.get(Sku, product.skus[0].id).price) == "99.00"
