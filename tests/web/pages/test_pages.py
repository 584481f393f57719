"""Pages rendered in-process: every page renders, forms validate, protection and escaping hold."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image
from tests.web.pages.conftest import csrf_of

from nichely.catalog import repo as catalog_repo
from nichely.community import moderation
from nichely.community import service as community
from nichely.live import service as live
from nichely.web.deps import SESSION_COOKIE


def form_post(client, path, data, *, page="/login", files=None, headers=None):
    """POST a form the way a browser would: with the CSRF token a page of this session carries."""
    token = csrf_of(client.get(page).text)
    return client.post(
        path, data={**data, "csrf_token": token}, files=files, headers=headers, follow_redirects=False
    )


@pytest.fixture
def note_by(db):
    def make(author, **fields):
        fields.setdefault("title", "Wide toe box, finally")
        fields.setdefault("body", "I have wide feet and these fit from day one.")
        with db.write() as session:
            return community.create_note(session, author, **fields)

    return make


# -- rendering -----------------------------------------------------------------------------------


def test_public_pages_render_for_anonymous_visitors(client, make_user, make_product, note_by, db):
    # given a shop, a product and a note about it
    product = make_product(title="Trail runner")
    author = make_user(display_name="Lin")
    note = note_by(author, product_ids=[product.id])
    with db.write() as session:
        host = make_user(roles=["creator"])
        room = live.create_room(
            session, host, title="Shoe night", scheduled_at=datetime.now(UTC), product_ids=[product.id]
        )
    # when anonymous visitors open each public page, then each renders as HTML
    for path, expected in [
        ("/", "Wide toe box, finally"),
        (f"/notes/{note.id}", "I have wide feet"),
        (f"/products/{product.id}", "Trail runner"),
        (f"/shops/{product.shop_id}", "Trail runner"),
        (f"/users/{author.id}", "Lin"),
        (f"/live/{room.id}", "Shoe night"),
        ("/live", "Shoe night"),
        ("/search?q=trail", "Trail runner"),
        ("/search?q=wide&type=notes", "Wide toe box"),
        ("/search", "Search"),
        ("/signup", "Create your account"),
        ("/login", "Log in"),
    ]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert expected in r.text, path


def test_sponsored_note_names_its_shop_on_cards_and_on_the_note(client, make_user, make_shop, note_by):
    shop = make_shop(name="Lamp & Co")
    note = note_by(make_user(), title="Paid review", disclosure="sponsored", sponsor_shop_id=shop.id)
    for path in ["/", f"/notes/{note.id}"]:
        assert "Sponsored by Lamp &amp; Co" in client.get(path).text


def test_pages_send_a_csp_that_forbids_inline_script_and_use_none(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    # every script is a static file, and htmx is configured by a meta tag
    assert "<script>" not in r.text
    assert "<script src=" in r.text
    assert 'name="htmx-config"' in r.text
    assert r.headers["x-frame-options"] == "DENY"


def test_unknown_page_is_a_friendly_html_404_while_the_api_keeps_problem_json(client):
    page = client.get("/notes/424242")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "We could not find that page" in page.text
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/notes/not-a-number").status_code == 404
    api = client.get("/api/v1/me")
    assert api.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("path", ["/notes/{huge}", "/users/{huge}"])
def test_an_id_beyond_the_stores_integers_is_a_friendly_404(client, path):
    page = client.get(path.format(huge=10**21))
    assert page.status_code == 404
    assert "We could not find that page" in page.text


def test_related_to_a_product_id_beyond_the_stores_integers_is_empty(client):
    assert client.get(f"/products/{10**21}/related").status_code == 200


# -- accounts ------------------------------------------------------------------------------------


def test_signup_with_bad_input_re_renders_the_form_with_the_reason(client):
    r = form_post(
        client, "/signup", {"username": "no spaces!", "display_name": "Ana", "password": "long enough"}
    )
    assert r.status_code == 422
    assert "username must be 3-40 characters" in r.text
    # what was typed is kept
    assert 'value="Ana"' in r.text


def test_signup_with_a_taken_name_says_so_in_the_visitors_language(client, make_user):
    make_user(username="ana")
    client.cookies.set("lang", "zh")
    r = form_post(client, "/signup", {"username": "ana", "display_name": "Ana", "password": "long enough"})
    assert r.status_code == 409
    assert "这个用户名已被占用" in r.text


def test_signup_logs_in_with_an_httponly_lax_session_cookie(client):
    r = form_post(
        client,
        "/signup",
        {
            "username": "mei",
            "display_name": "Mei",
            "password": "long enough",
            "roles": ["creator", "moderator"],
        },
    )
    assert r.status_code == 303
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    home = client.get("/")
    assert "Mei" in home.text
    assert "Log out" in home.text
    # moderator cannot be claimed through the form
    assert "/moderation" not in home.text


def test_login_replaces_the_session_token_and_logout_revokes_it(client, make_user, db):
    user = make_user(username="ana", password="right password")
    # given a browser that already holds a (planted) session token
    from nichely.accounts import service as accounts

    with db.write() as session:
        planted = accounts.issue_token(session, user, "session", 1)
    client.cookies.set(SESSION_COOKIE, planted)
    # when the person logs in
    r = form_post(
        client, "/login", {"username": "ana", "password": "right password", "next": "/search"}, page="/"
    )
    # then they get a new token, go where they were heading, and the old token no longer works
    assert r.status_code == 303
    assert r.headers["location"] == "/search"
    set_cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    fresh = set_cookie.split(";")[0].split("=", 1)[1]
    assert fresh
    assert fresh != planted
    with db.read() as session:
        assert accounts.user_for_token(session, planted, "session") is None
        assert accounts.user_for_token(session, fresh, "session").id == user.id
    # and logging out revokes the new one
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, fresh)
    form_post(client, "/logout", {}, page="/")
    with db.read() as session:
        assert accounts.user_for_token(session, fresh, "session") is None


def test_wrong_password_re_renders_login(client, make_user):
    make_user(username="ana", password="right password")
    r = form_post(client, "/login", {"username": "ana", "password": "nope"})
    assert r.status_code == 401
    assert "wrong username or password" in r.text


def test_login_never_redirects_off_site(client, make_user):
    make_user(username="ana", password="right password")
    r = form_post(
        client, "/login", {"username": "ana", "password": "right password", "next": "//evil.example/"}
    )
    assert r.headers["location"] == "/"


# -- protection ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/notes/new", "/products/new", "/shops/new", "/checkout?sku=1", "/orders/1", "/moderation"]
)
def test_protected_pages_send_anonymous_visitors_to_login(client, path):
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=/")


def test_htmx_action_by_anonymous_visitor_redirects_to_login_of_the_current_page(client, make_user, note_by):
    note = note_by(make_user())
    token = csrf_of(client.get("/login").text)
    r = client.post(
        f"/notes/{note.id}/react",
        data={"kind": "like"},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://testserver/notes/{note.id}",
            "x-csrf-token": token,
        },
    )
    assert r.headers["HX-Redirect"] == f"/login?next=/notes/{note.id}"


def test_posts_without_the_csrf_token_are_refused(client, make_user, login):
    login(make_user())
    client.get("/")
    r = client.post("/notes/new", data={"title": "t", "body": "b"}, follow_redirects=False)
    assert r.status_code == 403
    assert "text/html" in r.headers["content-type"]
    r = client.post("/notes/new", data={"title": "t", "body": "b", "csrf_token": "forged"})
    assert r.status_code == 403


def test_moderation_is_for_moderators_only(client, make_user, login):
    login(make_user())
    assert client.get("/moderation").status_code == 403


# -- notes ---------------------------------------------------------------------------------------


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 60, 80)).save(out, format="PNG")
    return out.getvalue()


def test_posting_a_note_with_a_photo_and_product_shows_it_on_the_product_page(
    client, make_user, make_product, login
):
    product = make_product(title="Wide trail shoe")
    login(make_user(display_name="Runner Ana"))
    r = form_post(
        client,
        "/notes/new",
        {
            "title": "Roomy and light",
            "body": "Good for wide feet.",
            "tags": "wide feet, 跑步",
            "product_ids": [str(product.id)],
        },
        page="/notes/new",
        files={"photos": ("shoe.png", png_bytes(), "image/png")},
    )
    assert r.status_code == 303
    note_page = client.get(r.headers["location"])
    assert "Roomy and light" in note_page.text
    assert "#跑步" in note_page.text
    assert '<img src="/media/notes/' in note_page.text
    assert "Roomy and light" in client.get(f"/products/{product.id}").text


def test_note_form_re_renders_with_the_error_and_keeps_the_linked_product(
    client, make_user, make_product, login
):
    product = make_product(title="Desk lamp")
    login(make_user())
    r = form_post(
        client,
        "/notes/new",
        {"title": "", "body": "text", "product_ids": [str(product.id)]},
        page="/notes/new",
    )
    assert r.status_code == 422
    assert "title must not be empty" in r.text
    assert "Desk lamp" in r.text
    assert 'value="text"' not in r.text
    assert ">text</textarea>" in r.text


def test_a_bad_photo_is_refused_and_no_note_is_left_behind(client, make_user, login):
    user = make_user()
    login(user)
    r = form_post(
        client,
        "/notes/new",
        {"title": "Photo", "body": "Body"},
        page="/notes/new",
        files={"photos": ("x.png", b"not an image", "image/png")},
    )
    assert r.status_code == 415
    assert "readable image" in r.text
    assert "Photo" not in client.get(f"/users/{user.id}").text.split("<h2")[1]


def test_user_written_script_is_escaped_everywhere(client, make_user, note_by, login, db):
    evil = "<script>alert(1)</script>"
    author = make_user(display_name=evil)
    note = note_by(author, title=evil, body=evil, tags=[evil])
    for path in ["/"]:  # the home page of a visitor who is not logged in: the latest notes
        html = client.get(path).text
        assert evil not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    login(make_user())  # someone who has not read it yet gets it in their feed
    html = client.get("/feed").text
    assert evil not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    reader = make_user()
    login(reader)
    form_post(client, f"/notes/{note.id}/comments", {"body": evil}, page=f"/notes/{note.id}")
    for path in [f"/notes/{note.id}", f"/users/{author.id}", "/search?q=alert"]:
        html = client.get(path).text
        assert evil not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_like_through_htmx_returns_the_action_bar(client, make_user, note_by, login):
    note = note_by(make_user())
    login(make_user())
    token = csrf_of(client.get(f"/notes/{note.id}").text)
    r = client.post(
        f"/notes/{note.id}/react",
        data={"kind": "like"},
        headers={"HX-Request": "true", "x-csrf-token": token},
    )
    assert r.status_code == 200
    assert 'id="note-actions"' in r.text
    assert "Liked" in r.text
    assert "<html" not in r.text
    r = client.post(
        f"/notes/{note.id}/react",
        data={"kind": "like", "undo": "1"},
        headers={"HX-Request": "true", "x-csrf-token": token},
    )
    assert "Liked" not in r.text
    assert 'data-kind="like"' in r.text


def test_empty_comment_comes_back_as_a_fragment_with_the_error(client, make_user, note_by, login):
    note = note_by(make_user())
    login(make_user())
    token = csrf_of(client.get(f"/notes/{note.id}").text)
    r = client.post(
        f"/notes/{note.id}/comments",
        data={"body": "  "},
        headers={"HX-Request": "true", "x-csrf-token": token},
    )
    assert r.status_code == 422
    assert "body must not be empty" in r.text
    assert "<html" not in r.text


def test_follow_from_a_profile(client, make_user, login):
    author = make_user(display_name="Author")
    login(make_user())
    r = form_post(
        client, f"/users/{author.id}/follow", {"next": f"/users/{author.id}"}, page=f"/users/{author.id}"
    )
    assert r.status_code == 303
    assert "1 follower" in client.get(f"/users/{author.id}").text


# -- products and orders -------------------------------------------------------------------------


def test_product_page_offers_each_sku_with_price_and_stock(client, make_product):
    product = make_product(
        skus=[
            {"attributes": {"size": "41", "width": "wide"}, "price": "89.00", "stock": 3},
            {"attributes": {"size": "42", "width": "wide"}, "price": "92.50", "stock": 0},
        ]
    )
    html = client.get(f"/products/{product.id}").text
    assert "size 41 · width wide" in html
    assert "89.00" in html
    assert "3 left" in html
    assert "92.50" in html
    assert "Sold out" in html


def test_publishing_a_product_with_sku_rows(client, make_user, make_shop, login):
    manager = make_user(roles=["manager"])
    shop = make_shop(manager=manager)
    login(manager)
    r = form_post(
        client,
        "/products/new",
        {
            "shop_id": str(shop.id),
            "title": "Standing desk",
            "category": "Desks",
            "sku_attrs": ["width=120cm, colour=oak", "width=140cm, colour=oak", ""],
            "sku_price": ["199", "229.5", ""],
            "sku_stock": ["4", "2", ""],
        },
        page="/products/new",
    )
    assert r.status_code == 303
    html = client.get(r.headers["location"]).text
    assert "Standing desk" in html
    assert "colour oak · width 140cm" in html
    assert "229.50" in html


def test_product_form_explains_bad_sku_rows(client, make_user, make_shop, login):
    manager = make_user(roles=["manager"])
    shop = make_shop(manager=manager)
    login(manager)
    r = form_post(
        client,
        "/products/new",
        {
            "shop_id": str(shop.id),
            "title": "Desk",
            "sku_attrs": ["just words"],
            "sku_price": ["10"],
            "sku_stock": ["1"],
        },
        page="/products/new",
    )
    assert r.status_code == 422
    assert "name=value" in r.text
    r = form_post(
        client,
        "/products/new",
        {
            "shop_id": str(shop.id),
            "title": "Desk",
            "sku_attrs": ["size=1"],
            "sku_price": ["ten"],
            "sku_stock": ["1"],
        },
        page="/products/new",
    )
    assert r.status_code == 422
    assert "price must be a number" in r.text


def test_checkout_places_an_order_once_and_shows_it(client, make_user, make_product, login, db):
    product = make_product(skus=[{"attributes": {"size": "42"}, "price": "50.00", "stock": 5}])
    sku_id = product.skus[0].id
    login(make_user())
    page = client.get(f"/checkout?sku={sku_id}&qty=2")
    assert "100.00" in page.text
    key = page.text.split('name="key" value="')[1].split('"')[0]
    data = {"sku": str(sku_id), "qty": "2", "key": key, "csrf_token": csrf_of(page.text)}
    first = client.post("/checkout", data=data, follow_redirects=False)
    again = client.post("/checkout", data=data, follow_redirects=False)
    # the same confirmation page submitted twice places one order
    assert first.headers["location"] == again.headers["location"]
    order = client.get(first.headers["location"])
    assert "placed" in order.text
    assert "100.00" in order.text
    assert "Pay" in order.text
    pay = client.post(first.headers["location"] + "/pay", data={"csrf_token": csrf_of(order.text)})
    assert "paid" in pay.text


def test_checkout_for_more_than_the_stock_explains_instead_of_failing(client, make_user, make_product, login):
    product = make_product(skus=[{"attributes": {}, "price": "5.00", "stock": 1}])
    login(make_user())
    page = client.get(f"/checkout?sku={product.skus[0].id}")
    r = client.post(
        "/checkout",
        data={"sku": str(product.skus[0].id), "qty": "3", "key": "k1", "csrf_token": csrf_of(page.text)},
    )
    assert r.status_code == 409
    assert "Only 1 left of this option; you asked for 3." in r.text
    r = client.post("/checkout", data={"sku": "x", "qty": "1", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("es", "Disponibles de esta opción: 1; pediste 3."),
        ("zh", "这个选项只剩 1 件，你要了 3 件。"),
    ],
)
def test_checkout_says_the_stock_is_short_in_the_visitors_language(
    client, make_user, make_product, login, db, lang, said
):
    product = make_product(skus=[{"attributes": {}, "price": "5.00", "stock": 1}])
    login(make_user())
    client.cookies.set("lang", lang)
    page = client.get(f"/checkout?sku={product.skus[0].id}")
    r = client.post(
        "/checkout",
        data={"sku": str(product.skus[0].id), "qty": "3", "key": "k1", "csrf_token": csrf_of(page.text)},
    )
    assert r.status_code == 409
    assert said in r.text
    assert "has only" not in r.text
    with db.read() as session:
        assert catalog_repo.get_sku(session, product.skus[0].id).stock == 1


def test_someone_elses_order_is_not_found(client, make_user, make_product, login, db):
    from nichely.commerce import service as commerce

    product = make_product()
    buyer = make_user()
    with db.write() as session:
        order, _ = commerce.place_order(session, buyer, [{"sku_id": product.skus[0].id, "quantity": 1}])
    login(make_user())
    assert client.get(f"/orders/{order.id}").status_code == 404


# -- live and moderation -------------------------------------------------------------------------


def test_live_room_chat_is_polled_and_the_host_can_pin(client, make_user, make_product, login, db):
    host = make_user(roles=["creator"])
    product = make_product(title="Pin me")
    with db.write() as session:
        room = live.create_room(
            session, host, title="Live", scheduled_at=datetime.now(UTC), product_ids=[product.id]
        )
        live.start_room(session, host, room.id)
    login(host)
    page = client.get(f"/live/{room.id}")
    assert 'hx-trigger="every 2s"' in page.text
    assert "Go live" not in page.text
    token = csrf_of(page.text)
    client.post(f"/live/{room.id}/pin", data={"product_id": str(product.id), "csrf_token": token})
    client.post(
        f"/live/{room.id}/chat",
        data={"body": "hello <b>all</b>", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    update = client.get(f"/live/{room.id}/chat?after=0")
    assert "hello &lt;b&gt;all&lt;/b&gt;" in update.text
    assert "every 2s" in update.text
    page = client.get(f"/live/{room.id}")
    assert "Pinned now" in page.text
    assert 'action="/checkout"' in page.text


def test_moderator_hides_a_reported_note(client, make_user, note_by, login, db):
    author = make_user()
    note = note_by(author, title="Spammy")
    with db.write() as session:
        moderation.report_note(session, make_user(), note.id, "spam")
    login(make_user(roles=["moderator"]))
    page = client.get("/moderation")
    assert "Spammy" in page.text
    assert "spam" in page.text
    r = client.post(
        f"/moderation/notes/{note.id}/hide", data={"reason": "spam link", "csrf_token": csrf_of(page.text)}
    )
    assert r.status_code == 200
    assert "No open reports." in r.text
    assert "spam link" in r.text
    client.cookies.clear()
    assert client.get(f"/notes/{note.id}").status_code == 404


# -- languages -----------------------------------------------------------------------------------


def test_language_follows_accept_language_and_the_switch(client):
    zh = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert '<html lang="zh-Hans">' in zh.text
    assert "登录" in zh.text
    assert "最新笔记" in zh.text
    r = client.get("/lang/es?next=/signup", follow_redirects=False)
    assert r.headers["location"] == "/signup"
    es = client.get("/signup", headers={"Accept-Language": "zh"})
    assert '<html lang="es">' in es.text
    assert "Crea tu cuenta" in es.text
    assert client.get("/lang/xx").status_code == 404


@pytest.mark.parametrize("path", ["/?cursor=not-a-cursor", "/search?q=x&cursor=bad", "/checkout?sku=abc"])
def test_odd_addresses_get_an_html_explanation_not_a_crash(client, make_user, login, path):
    login(make_user())
    r = client.get(path)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
