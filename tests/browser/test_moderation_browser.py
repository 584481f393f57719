"""A moderator hides a flagged note in real Chromium, and it leaves the home page and search."""

from __future__ import annotations

import pytest

from nichely.accounts import service as accounts
from nichely.catalog.models import Product, Shop
from nichely.community import service as community
from nichely.trust import service as trust
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser
TITLE = "Zebracode trail shoes deal"


def test_moderator_hides_a_flagged_note_and_it_leaves_home_and_search(page, site):
    # given an undisclosed ad by the shop's manager, flagged when it was posted
    with site.db.write() as s:
        product = s.get(Product, site.product_ids[0])
        manager = accounts.require_user(s, s.get(Shop, product.shop_id).manager_id)
        note = community.create_note(
            s,
            manager,
            title=TITLE,
            body="Use my code ZEBRA20 for 20% off, link in bio!",
            product_ids=[product.id],
        )
        trust.note_created(s, note.id)
        accounts.create_user(
            s, username="mod_browser", password=PASSWORD, display_name="Mod", roles=["moderator"]
        )
        note_id = note.id
    page.goto("/")
    assert page.locator(".note-card").get_by_text(TITLE).count() == 1
    page.goto("/search?q=Zebracode&type=notes")
    assert page.locator(".note-card").get_by_text(TITLE).count() == 1
    # when a moderator logs in, reads the reasons and hides it
    page.goto("/login")
    page.fill("input[name=username]", "mod_browser")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.goto("/moderation")
    entry = page.locator(f"li.report-entry[data-note-id='{note_id}']")
    assert "ZEBRA20" in entry.inner_text()
    hide = entry.locator(f"form[action='/moderation/notes/{note_id}/hide']")
    hide.locator("input[name=reason]").fill("undisclosed ad")
    hide.locator("button").click()
    page.wait_for_url("**/moderation")
    assert page.locator(f"li.report-entry[data-note-id='{note_id}']").count() == 0
    # then it is gone from the home page and from search
    page.goto("/")
    assert page.locator(".note-card").get_by_text(TITLE).count() == 0
    page.goto("/search?q=Zebracode&type=notes")
    assert page.locator(".note-card").get_by_text(TITLE).count() == 0
