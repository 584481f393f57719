"""The feed, people and onboarding pages, and related notes under notes and products."""

from __future__ import annotations

from sqlalchemy import select
from tests.web.pages.conftest import csrf_of, post_form

from nichely.accounts.models import User
from nichely.recommend.online import StateHolder


def test_home_is_the_feed_for_people_logged_in(client, login, planted):
    assert client.get("/", follow_redirects=False).status_code == 200
    login(planted.readers["dorm"][0])
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/feed"


def test_feed_page_shows_reasons_and_scrolls_with_htmx(app, client, login, planted, monkeypatch):
    from nichely.web.pages import feed as feed_pages

    monkeypatch.setattr(feed_pages, "PAGE_SIZE", 4)
    app.state.feed_holder = StateHolder(state=planted.train())
    login(planted.readers["dorm"][0])
    html = client.get("/feed").text
    assert html.count('class="feed-item"') == 4
    assert 'class="feed-reason"' in html
    assert 'hx-trigger="revealed"' in html
    # when htmx asks for the next page, only the next cards come back
    start = html.index('hx-get="/feed?cursor=') + len('hx-get="')
    more = html[start : html.index('"', start)].replace("&amp;", "&")
    fragment = client.get(more, headers={"HX-Request": "true"}).text
    assert "<html" not in fragment
    assert fragment.count('class="feed-item"') >= 1
    # and the reasons are translated
    client.cookies.set("lang", "zh")
    chinese = client.get("/feed").text
    assert "<title>你的推荐" in chinese


def test_sign_up_leads_to_onboarding_and_picks_fill_the_feed(app, client, planted, db):
    app.state.feed_holder = StateHolder(state=planted.train())
    response = post_form(
        client,
        "/signup",
        {"username": "newbie", "display_name": "Newbie", "password": "a long password"},
        page="/signup",
    )
    assert response.headers["location"] == "/onboarding"
    page = client.get("/onboarding").text
    assert "trail running" in page
    assert "dorm" in page
    # when the newcomer picks the trail community
    saved = client.post(
        "/onboarding",
        data={"interests": "trail running,wide feet", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert saved.headers["location"] == "/feed"
    with db.read() as session:
        interests = session.scalar(select(User.interests).where(User.username == "newbie"))
    assert interests == ["trail running", "wide feet"]
    feed_html = client.get("/feed").text
    # then their first feed is about it at once
    assert feed_html.count("trail running note") >= 4


def test_people_page_lists_people_like_you_with_follow_buttons(app, client, login, planted):
    app.state.feed_holder = StateHolder(state=planted.train())
    login(planted.readers["trail"][0])
    html = client.get("/people").text
    assert "trail reader" in html or "trail creator" in html
    assert "dorm reader" not in html
    assert "follow-form" in html


def test_related_notes_load_under_a_note_and_a_product(app, client, planted, make_product, make_note):
    app.state.feed_holder = StateHolder(state=planted.train())
    note = planted.notes["dorm"][0]
    assert f'hx-get="/notes/{note.id}/related"' in client.get(f"/notes/{note.id}").text
    fragment = client.get(f"/notes/{note.id}/related", headers={"HX-Request": "true"}).text
    assert "Related notes" in fragment
    assert "dorm note" in fragment
    assert "trail running note" not in fragment
    # and a product's page loads notes about similar things
    lamp = make_product(title="Clip lamp")
    make_note(products=[lamp], title="Clip lamp on my dorm bunk", tags=["dorm"])
    assert f'hx-get="/products/{lamp.id}/related"' in client.get(f"/products/{lamp.id}").text
    related = client.get(f"/products/{lamp.id}/related").text
    assert "dorm note" in related
