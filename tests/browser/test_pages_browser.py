"""The pages in real headless Chromium: sign-up to buyer show, language switch, and how it looks."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

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
    page.wait_for_url(site.url + "/")
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
    page.click("label.sku:has-text('size 42')")
    assert page.locator("[data-sku-summary]").inner_text() == "89.00"
    page.screenshot(path=str(out / "product.png"), full_page=True)
    assert (out / "home.png").stat().st_size > 10_000
