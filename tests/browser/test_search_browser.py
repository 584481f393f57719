"""Long-tail search in real Chromium: a Chinese need finds products backed by buyer shows, then a size filter."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser
QUERY = "适合宽脚的42码跑鞋"


def test_chinese_long_tail_query_shows_buyer_show_evidence_and_filters_by_size(page, site):
    trail_id = site.product_ids[0]
    # given the search page, when someone types a Chinese long-tail need and submits
    page.goto("/search")
    box = page.locator("#search-q")
    box.fill(QUERY)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    # then the wide trail runner is listed (the need reaches its English notes through synonyms)
    product = page.locator(f"li.product-result[data-product-id='{trail_id}']")
    assert product.count() == 1
    # with evidence from a buyer show first, the need highlighted
    first = product.locator("li.evidence-note").first
    assert "buyer-show" in (first.get_attribute("class") or "")
    assert first.locator(".badge.verified").inner_text() == "Buyer show"
    marks = [m.lower() for m in first.locator("mark").all_inner_texts()]
    assert "wide feet" in marks
    # and the extracted size appears among the size facet's values
    size_facet = page.locator("section.facet[data-facet='size']")
    assert size_facet.get_by_text("42", exact=False).count() >= 1
    # when the size 44 filter (which no wide runner has) is chosen, the runner goes
    page.goto(f"/search?q={QUERY}&size=44")
    assert page.locator(f"li.product-result[data-product-id='{trail_id}']").count() == 0
    # and choosing size 42 from the facet list brings it back, with the filter shown as removable
    page.goto(f"/search?q={QUERY}")
    page.locator("section.facet[data-facet='size'] a", has_text=re.compile(r"^\s*42\b")).click()
    page.wait_for_url(re.compile(r"size=42"))
    assert page.locator(f"li.product-result[data-product-id='{trail_id}']").count() == 1
    assert page.locator(".chosen-filters .chip").get_by_text("42").count() == 1
    # and the search box offers completions as one types (htmx autocomplete)
    box = page.locator("#search-q")
    box.fill("Wide")
    page.locator("#search-suggestions a").first.wait_for()
    assert "Wide Trail Runner" in page.locator("#search-suggestions").inner_text()
