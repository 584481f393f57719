"""The pages in real headless Chromium: sign-up to buyer show, language switch, and how it looks."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from nichely.accounts import service as accounts
from nichely.accounts.models import User
from nichely.web.deps import SESSION_COOKIE

pytestmark = pytest.mark.browser
_names = itertools.count(1)


def test_sign_up_post_a_note_linked_to_a_product_and_find_it_there(page, site):
    trail_id = site.product_ids[0]
    username = f"newcomer{next(_names)}"
    # given a new person who signs up
    page.goto("/signup")
    page.fill("input[name=username]", username)
    page.fill("input[name=display_name]", "New Runner")
    page.fill("input[name=password]", "a long password")
    page.check("input[name=roles][value=creator]")
    page.click("form[action='/signup'] button[type=submit]")
    page.wait_for_url(site.url + "/onboarding")  # a new person picks interests first
    assert page.locator(".account .me").inner_text() == "New Runner"
    # when they write a note and link the product found with the htmx picker
    page.click("text=Post a note")
    page.fill("input[name=title]", "Two weeks in the Wide Trail Runner")
    page.fill("textarea[name=body]", "No blisters <b>at all</b>, even on long runs.")
    page.fill("input[name=tags]", "wide feet, 跑步")
    page.fill("#product-query", "trail")
    page.locator("#picker-results input[data-pick]").first.check()
    # the ticked product moves to the kept list, so a new search does not drop it
    assert page.locator(f"#picked input[value='{trail_id}']").is_checked()
    page.click("#note-form button[type=submit]")
    page.wait_for_url("**/notes/*")
    assert page.locator("h1").inner_text() == "Two weeks in the Wide Trail Runner"
    # user text is shown as text, never as markup
    assert "<b>at all</b>" in page.locator(".note-body").inner_text()
    # and liking it goes through htmx with the CSRF header
    page.click("#note-actions button[data-kind=like]")
    page.wait_for_selector("#note-actions button[data-kind=like][aria-pressed=true]")
    # then the note is on the product's page
    page.goto(f"/products/{trail_id}")
    assert page.locator(".product-notes").get_by_text("Two weeks in the Wide Trail Runner").count() == 1


def _logged_in_tab(browser, site, username, problems):
    """A new browser context holding a session of `username` (logging in is tested elsewhere);
    page errors and CSP violations go to `problems`."""
    with site.db.write() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        token = accounts.issue_token(session, user, "session", 1)
    context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": site.url}])
    tab = context.new_page()
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    tab.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    return tab


def test_host_goes_live_pins_a_product_and_reads_a_viewers_chat(browser, site):
    trail_id = site.product_ids[0]
    problems: list[str] = []
    host = _logged_in_tab(browser, site, "mei_run", problems)
    viewer = _logged_in_tab(browser, site, "ana_walks", problems)
    try:
        # given a host who schedules a show of their shop with the trail runner in the line-up
        host.goto("/live/new")
        host.fill("input[name=title]", "Wide feet live")
        host.fill("input[name=scheduled_at]", "2030-01-01T20:00")
        host.select_option("select[name=shop_id]", label="Mei's Running Lab")
        host.check(f"#live-form input[name=product_ids][value='{trail_id}']")
        host.click("#live-form button[type=submit]")
        host.wait_for_url("**/live/*")
        room_url = host.url
        # when they go live, a viewer opens the room
        host.click("text=Go live")
        host.wait_for_selector(".live-status.status-live")
        viewer.goto(room_url)
        assert viewer.locator("#pinned .pinned").count() == 0
        # and the host pins the product: the viewer's page shows it without reloading
        host.click(f"form[action$='/pin']:has(input[value='{trail_id}']) button")
        host.wait_for_selector(".pinned-badge")
        viewer.wait_for_selector("#pinned .pinned h2:has-text('Wide Trail Runner')")
        assert viewer.locator("#pinned input[name=room]").get_attribute("value") == room_url.rsplit("/", 1)[1]
        # then the viewer's chat message reaches the host's page by polling
        viewer.fill("#chat-body", "Does it come in 44?")
        viewer.press("#chat-body", "Enter")
        host.wait_for_selector("#chat-log .chat-line:has-text('Does it come in 44?')")
        assert "Ana García" in host.locator("#chat-log .chat-line").last.inner_text()
        assert problems == []
    finally:
        host.context.close()
        viewer.context.close()


def test_language_switch_translates_the_interface(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h2.section-title").first.inner_text() == "Latest notes"
    page.click(".langs a[hreflang=zh-Hans]")
    page.wait_for_selector("html[lang=zh-Hans]")
    assert page.locator("h2.section-title").first.inner_text() == "最新笔记"
    assert page.locator(".account").get_by_text("登录").count() == 1
    assert page.get_attribute("#site-search", "placeholder") == "搜索商品、笔记、用户"
    page.click(".langs a[hreflang=es]")
    page.wait_for_selector("html[lang=es]")
    assert page.locator("h2.section-title").first.inner_text() == "Notas recientes"
    assert page.locator(".account").get_by_text("Registrarse").count() == 1
    # the choice sticks on the next page
    page.goto("/login")
    assert page.locator("h1").inner_text() == "Iniciar sesión"


def test_screenshots_of_home_and_product_pages(page, site, tmp_path):
    """Screenshots to look at (NICHELY_SCREENSHOT_DIR keeps them); the test checks the layout holds."""
    out = Path(os.environ.get("NICHELY_SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    # photos loaded and the grid has several columns on a laptop screen
    boxes = [page.locator(".note-card").nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]
    assert page.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    page.screenshot(path=str(out / "home.png"))
    page.goto(f"/products/{site.product_ids[0]}")
    # site.js replaces the SKU chips with one selector per attribute; sold-out sizes are disabled
    assert page.locator(".skus").is_hidden()
    assert page.locator("select[data-option=size] option[value='43']").is_disabled()
    page.select_option("select[data-option=size]", "42")
    assert page.locator("[data-sku-summary]").inner_text() == "89.00"
    assert page.locator("[data-sku-stock]").inner_text() == "2 left"
    assert '"42"' in page.locator("input[name=sku]:checked").get_attribute("data-attrs")
    page.screenshot(path=str(out / "product.png"), full_page=True)
    assert (out / "home.png").stat().st_size > 10_000
