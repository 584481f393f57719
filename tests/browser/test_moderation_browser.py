"""A moderator hides a flagged note in real Chromium, and it leaves the home page and search; its author
appeals from the note page and the moderator sees the appeal and accepts it."""

from __future__ import annotations

import pytest

from nichely.accounts import service as accounts
from nichely.catalog.models import Product, Shop
from nichely.community import service as community
from nichely.trust import service as trust
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser
TITLE = "Zebracode trail shoes deal"


def _log_in(page, username):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_moderator_hides_a_flagged_note_then_accepts_its_authors_appeal(page, site):
    # given an undisclosed ad by the shop's manager, flagged when it was posted
    with site.db.write() as s:
        product = s.get(Product, site.product_ids[0])
        manager = accounts.require_user(s, s.get(Shop, product.shop_id).manager_id)
        manager_name = manager.username
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
    _log_in(page, "mod_browser")
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
    # when the author logs in and opens the hidden note, they read the decision and appeal it
    _log_in(page, manager_name)
    page.goto(f"/notes/{note_id}")
    decision = page.locator("#moderation .decision")
    assert "undisclosed ad" in decision.inner_text()
    decision.locator("summary").click()
    form = decision.locator(f"form[action='/notes/{note_id}/appeal']")
    form.locator("textarea[name=reason]").fill("ZEBRA20 is a code for my running club, not a sale")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/notes/{note_id}#moderation")
    assert "Your appeal is pending" in page.locator("#moderation").inner_text()
    page.goto("/me/decisions")
    assert (
        "Your appeal is pending" in page.locator(f"li.decision-entry[data-note-id='{note_id}']").inner_text()
    )
    # then the moderator sees the appeal, with the decision it is about, and accepts it
    _log_in(page, "mod_browser")
    page.goto("/moderation")
    appeal = page.locator("li.appeal-entry").filter(has_text="running club")
    assert appeal.count() == 1
    assert TITLE in appeal.inner_text()
    accept = appeal.locator("form[action$='/accept']")
    accept.locator("input[name=reason]").fill("club code, fine")
    accept.locator("button").click()
    page.wait_for_url("**/moderation")
    assert page.locator("li.appeal-entry").filter(has_text="running club").count() == 0
    # and the note is back in search, the author reading that the appeal was accepted
    page.goto("/search?q=Zebracode&type=notes")
    assert page.locator(".note-card").get_by_text(TITLE).count() == 1
    _log_in(page, manager_name)
    page.goto(f"/notes/{note_id}")
    assert "Your appeal was accepted." in page.locator("#moderation").inner_text()
