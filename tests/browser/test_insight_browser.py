"""A shop manager reads unmet needs in real Chromium: the chart, the wordings, and on to the search."""

from __future__ import annotations

import re

import pytest

from nichely.accounts import service as accounts
from nichely.activity import searchlog
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser
NEED = "wide trail shoes for ultramarathon in mud"


def test_manager_sees_an_unmet_need_charted_and_opens_its_search(page, site):
    # given a need searched seven times in two wordings, never answered, and a manager's account
    with site.db.write() as s:
        for i in range(7):
            person = accounts.create_user(
                s, username=f"seeker{i}", password=PASSWORD, display_name=f"Seeker {i}"
            )
            wording = NEED if i % 2 else "ultramarathon mud trail shoes wide"
            searchlog.log_search(s, person, wording, "en", 0)
    page.goto("/login")
    page.fill("input[name=username]", "mei_run")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    # when the manager opens Insight from the header
    page.locator("nav.account a", has_text="Insight").click()
    page.wait_for_url(re.compile(r"/insight$"))
    # then the need is charted and listed first, with its two wordings and nothing found
    assert page.locator("svg.gap-chart rect.chart-bar").count() >= 1
    first = page.locator("tr.need").first
    assert first.locator("a").first.inner_text() in (NEED, "ultramarathon mud trail shoes wide")
    first.locator("summary").click()
    assert first.locator("details li").count() == 2
    assert "100%" in first.locator("td").nth(3).inner_text()
    # and the need opens the search a shopper would have seen
    first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator("#search-q").input_value() in (NEED, "ultramarathon mud trail shoes wide")
