"""Onboarding and the feed's infinite scroll in real headless Chromium."""

from __future__ import annotations

import pytest

from nichely.accounts import service as accounts
from nichely.community import service as community

pytestmark = pytest.mark.browser


def test_onboarding_then_the_feed_scrolls_on_by_itself(page, site):
    # given a creator with many notes about one need
    with site.db.write() as s:
        creator = accounts.create_user(
            s, username="dorm_writer", password="browser-pass-1", display_name="Dorm Writer"
        )
        for i in range(30):
            community.create_note(
                s,
                creator,
                title=f"Tiny room idea {i}",
                body="A small-room trick that works.",
                tags=["tiny room"],
                language="en",
            )
    # when a new person signs up, is sent to onboarding and picks that need
    page.goto("/signup")
    page.fill("input[name=username]", "scroller1")
    page.fill("input[name=display_name]", "Scroller")
    page.fill("input[name=password]", "a long password")
    page.click("form[action='/signup'] button[type=submit]")
    page.wait_for_url("**/onboarding")
    page.check("input[name=needs][value='tiny room']")
    page.click("#onboarding-form button[type=submit]")
    page.wait_for_url("**/feed")
    # then the feed is about it at once, each card saying why
    first = page.locator(".feed-item").count()
    assert first == 12
    assert page.locator(".feed-reason").first.inner_text() == "Matches your interest: tiny room"
    # and scrolling to the end loads the next page without a click (hx-trigger="revealed")
    page.locator(".feed-more").scroll_into_view_if_needed()
    page.locator(".feed-item").nth(12).wait_for()
    page.locator(".feed-more").scroll_into_view_if_needed()
    page.locator(".feed-item").nth(23).wait_for()
    titles = page.locator(".feed-item .card-title").all_inner_texts()
    assert len(titles) == len(set(titles))
