"""A buyer's storefront editor, the profile editor, and the product page's SKU selectors."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from tests.web.pages.conftest import post_form

from nichely.catalog import service as catalog
from nichely.catalog.models import Storefront
from nichely.live import service as live


def _storefront(db, buyer, title="Wide-foot picks"):
    with db.write() as session:
        return catalog.create_storefront(session, buyer, title=title)


# -- storefronts ---------------------------------------------------------------------------------


def test_buyer_opens_a_storefront_and_shelves_products_with_a_pitch(
    client, db, login, make_user, make_product
):
    buyer = make_user(roles=["buyer"], display_name="Curator Li")
    shoe = make_product(title="Wide Trail Runner")
    lamp = make_product(title="Dorm Desk Lamp")
    login(buyer)
    r = post_form(
        client,
        "/storefronts/new",
        {"title": "Wide-foot picks", "description": "Tested."},
        page="/storefronts/new",
    )
    assert r.status_code == 303
    edit_url = r.headers["location"]
    storefront_id = int(edit_url.split("/")[2])
    # the finder lists products from any shop (here without JavaScript, by ?q=)
    found = client.get(edit_url + "?q=trail").text
    assert "Wide Trail Runner" in found
    assert "Dorm Desk Lamp" not in found
    # the same rows come as an htmx fragment for the finder
    fragment = client.get(f"/storefronts/{storefront_id}/edit/products?q=lamp").text
    assert "Dorm Desk Lamp" in fragment
    assert "<html" not in fragment
    # when the buyer ticks both with a pitch each, in this order
    r = post_form(
        client,
        edit_url,
        {
            "title": "Wide-foot picks",
            "description": "Tested on long runs.",
            "product_ids": [str(lamp.id), str(shoe.id)],
            f"pitch_{lamp.id}": "Fits a dorm desk",
            f"pitch_{shoe.id}": "No blisters in 40 km",
        },
        page=edit_url,
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/storefronts/{storefront_id}"
    page = client.get(r.headers["location"]).text
    assert page.index("Dorm Desk Lamp") < page.index("Wide Trail Runner")
    assert "No blisters in 40 km" in page
    assert f'href="/storefronts/{storefront_id}/edit"' in page
    # and the buyer's profile links to the storefront; the editor now shows the shelf
    profile = client.get(f"/users/{buyer.id}").text
    assert f'href="/storefronts/{storefront_id}"' in profile
    assert 'value="Fits a dorm desk"' in client.get(edit_url).text
    # opening a second storefront leads to the existing one
    assert client.get("/storefronts/new", follow_redirects=False).headers["location"] == edit_url


def test_storefront_editor_re_renders_refusals_and_keeps_the_pitches(
    client, db, login, make_user, make_shop, make_product
):
    buyer = make_user(roles=["buyer", "manager"])
    own = make_product(shop=make_shop(manager=buyer), title="My own thing")
    other = make_product(title="Someone else's")
    storefront = _storefront(db, buyer)
    login(buyer)
    url = f"/storefronts/{storefront.id}/edit"
    data = {
        "title": "Picks",
        "product_ids": [str(other.id), str(own.id)],
        f"pitch_{other.id}": "Love it",
        f"pitch_{own.id}": "Mine",
    }
    r = post_form(client, url, data, page=url)
    assert r.status_code == 422
    assert "is from your own shop" in r.text
    assert 'value="Love it"' in r.text
    r = post_form(client, url, {**data, "title": " ", "product_ids": [str(other.id)]}, page=url)
    assert r.status_code == 422
    assert "title must not be empty" in r.text
    with db.read() as session:
        assert catalog.storefront_items(session, storefront.id) == []
        assert session.get(Storefront, storefront.id).title == "Wide-foot picks"


def test_only_buyers_open_storefronts_and_only_owners_edit_them(client, db, login, make_user, make_product):
    login(make_user(roles=["shopper"]))
    assert "only users with the buyer role may open a storefront" in client.get("/storefronts/new").text
    r = post_form(client, "/storefronts/new", {"title": "Mine"})
    assert r.status_code == 403
    storefront = _storefront(db, make_user(roles=["buyer"]))
    url = f"/storefronts/{storefront.id}/edit"
    assert client.get(url).status_code == 403
    r = post_form(client, url, {"title": "Taken over", "product_ids": [str(make_product().id)]})
    assert r.status_code == 403
    with db.read() as session:
        assert session.get(Storefront, storefront.id).title == "Wide-foot picks"
        assert session.query(Storefront).count() == 1


def test_storefront_changes_need_the_csrf_token(client, db, login, make_user):
    buyer = make_user(roles=["buyer"])
    storefront = _storefront(db, buyer)
    login(buyer)
    client.get("/")
    assert client.post(f"/storefronts/{storefront.id}/edit", data={"title": "X"}).status_code == 403
    assert client.post("/storefronts/new", data={"title": "X"}).status_code == 403
    with db.read() as session:
        assert session.get(Storefront, storefront.id).title == "Wide-foot picks"


# -- profile -------------------------------------------------------------------------------------


def test_editing_my_profile(client, db, login, make_user):
    me = make_user(display_name="Old name")
    login(me)
    assert 'href="/me/edit"' in client.get(f"/users/{me.id}").text
    form = client.get("/me/edit").text
    assert 'value="Old name"' in form
    r = post_form(
        client,
        "/me/edit",
        {
            "display_name": "Lin 林",
            "bio": "Runs with wide feet.",
            "languages": ["zh", "es"],
            "interests": "Trail running，宿舍, trail running",
        },
        page="/me/edit",
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/users/{me.id}"
    profile = client.get(f"/users/{me.id}").text
    assert "Lin 林" in profile
    assert "Runs with wide feet." in profile
    assert "#trail running" in profile
    assert "#宿舍" in profile
    form = client.get("/me/edit").text
    assert 'value="zh" checked' in form
    assert 'value="en" >' in form or 'value="en">' in form


def test_profile_form_re_renders_bad_input_and_changes_nothing(client, db, login, make_user):
    me = make_user(display_name="Kept")
    login(me)
    r = post_form(client, "/me/edit", {"display_name": "  ", "bio": "New bio"}, page="/me/edit")
    assert r.status_code == 422
    assert "display_name must have 1-80 characters" in r.text
    assert ">New bio</textarea>" in r.text
    assert "Kept" in client.get(f"/users/{me.id}").text
    assert "New bio" not in client.get(f"/users/{me.id}").text


def test_profile_editing_needs_a_log_in_and_the_csrf_token(client, login, make_user):
    assert client.get("/me/edit", follow_redirects=False).headers["location"] == "/login?next=/me/edit"
    me = make_user(display_name="Kept")
    login(me)
    client.get("/")
    assert client.post("/me/edit", data={"display_name": "Forged"}).status_code == 403
    assert "Forged" not in client.get(f"/users/{me.id}").text
    # someone else's profile offers no editing
    assert 'href="/me/edit"' not in client.get(f"/users/{make_user().id}").text


# -- SKU selectors -------------------------------------------------------------------------------


def test_product_page_has_one_selector_per_attribute_over_the_sku_chips(client, make_product):
    product = make_product(
        skus=[
            {"attributes": {"size": "10", "width": "wide"}, "price": "89.00", "stock": 3},
            {"attributes": {"size": "9", "width": "wide"}, "price": "85.00", "stock": 1},
            {"attributes": {"size": "9", "width": "narrow"}, "price": "85.00", "stock": 0},
        ]
    )
    html = client.get(f"/products/{product.id}").text
    # the selectors are hidden until site.js shows them; the chips work without it
    assert "data-sku-selects hidden" in html
    sizes = re.search(r'<select data-option="size">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"', sizes) == ["9", "10"]
    widths = re.search(r'<select data-option="width">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"', widths) == ["narrow", "wide"]
    # each chip carries what the selectors need: its attributes, stock and label
    attrs = [json.loads(a.replace("&#34;", '"')) for a in re.findall(r'data-attrs="([^"]*)"', html)]
    assert {"size": "9", "width": "narrow"} in attrs
    assert 'data-stock-label="Sold out"' in html
    assert 'data-stock-label="3 left"' in html


# -- languages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ["开一场直播", "我的订单", "的订单", "编辑你的橱窗", "编辑个人资料", "商品清单"]),
        (
            "es",
            [
                "Organizar un directo",
                "Mis pedidos",
                "Pedidos de",
                "Editar tu escaparate",
                "Editar tu perfil",
                "Selección de",
            ],
        ),
    ],
)
def test_the_new_pages_speak_the_visitors_language(
    client, db, login, make_user, make_shop, make_product, lang, words
):
    me = make_user(roles=["manager", "creator", "buyer"])
    shop = make_shop(manager=me)
    product = make_product(shop=shop)
    storefront = _storefront(db, me)
    with db.write() as session:
        room = live.create_room(
            session, me, title="Show", scheduled_at=datetime.now(UTC), product_ids=[product.id]
        )
    login(me)
    client.cookies.set("lang", lang)
    pages = [
        "/live/new",
        "/orders",
        f"/shops/{shop.id}/orders",
        f"/storefronts/{storefront.id}/edit",
        "/me/edit",
        f"/live/{room.id}/lineup",
    ]
    for path, word in zip(pages, words, strict=True):
        r = client.get(path)
        assert r.status_code == 200, path
        assert word in r.text, (path, word)
