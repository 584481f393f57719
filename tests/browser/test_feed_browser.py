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


def test_onboarding_choices_are_chips_with_the_box_beside_the_label(page, site):
    # given several needs to choose from
    with site.db.write() as s:
        creator = accounts.create_user(
            s, username="chip_writer", password="browser-pass-1", display_name="Chip Writer"
        )
        for tag in ("wide feet", "tiny room", "light sleeper"):
            community.create_note(
                s, creator, title=f"About {tag}", body="Notes for the need.", tags=[tag], language="en"
            )
    page.goto("/signup")
    page.fill("input[name=username]", "chooser1")
    page.fill("input[name=display_name]", "Chooser")
    page.fill("input[name=password]", "a long password")
    page.click("form[action='/signup'] button[type=submit]")
    page.wait_for_url("**/onboarding")
    chips = page.locator("#onboarding-form label.chip")
    assert chips.count() >= 3
    first, second = chips.nth(0).bounding_box(), chips.nth(1).bounding_box()
    box = chips.nth(0).locator("input").bounding_box()
    assert first
    assert second
    assert box
    # then each chip is only as wide as its words, and the next one follows on the same line
    form = page.locator("#onboarding-form").bounding_box()
    assert form
    assert first["width"] < form["width"] / 2
    assert abs(first["y"] - second["y"]) < 2
    # and the box sits on the label's line, not above it
    assert box["y"] >= first["y"]
    assert box["y"] + box["height"] <= first["y"] + first["height"]
    assert box["height"] > first["height"] / 3
