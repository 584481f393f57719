"""The search page (tabs, facets, sorting, evidence, empty state), autocomplete and search statistics."""

from __future__ import annotations

import re

from nichely.activity.models import SearchLog


def _shoes(make_product, make_note, make_user, deliver):
    wide = make_product(
        title="Roomy trail runner",
        category="running shoes",
        skus=[
            {"attributes": {"size": "42", "width": "wide"}, "price": "89.00", "stock": 3},
            {"attributes": {"size": "43", "width": "wide"}, "price": "89.00", "stock": 0},
        ],
    )
    slim = make_product(
        title="Slim trail runner",
        category="running shoes",
        skus=[{"attributes": {"size": "44", "width": "regular"}, "price": "120.00", "stock": 1}],
    )
    buyer = make_user(display_name="Ana")
    deliver(buyer, wide)
    show = make_note(
        author=buyer,
        products=[wide],
        title="宽脚跑了一个月",
        body="我是宽脚，42码刚好，跑鞋前掌很宽。<b>不挤脚</b>",
        language="zh",
    )
    return wide, slim, show


def test_long_tail_search_shows_products_with_highlighted_buyer_show_evidence(
    client, db, make_product, make_note, make_user, deliver
):
    # given a wide shoe with a buyer show about wide feet, and a regular one
    wide, slim, show = _shoes(make_product, make_note, make_user, deliver)
    # when someone searches in Chinese for wide-feet running shoes in size 42
    html = client.get("/search", params={"q": "42码宽脚跑鞋"}).text
    # then the wide shoe is listed with the buyer show as evidence, the need highlighted
    assert f'data-product-id="{wide.id}"' in html
    evidence = html[html.index('class="evidence"') :]
    assert "Buyer show" in evidence
    assert "<mark>宽脚</mark>" in evidence
    assert f'href="/notes/{show.id}"' in evidence
    # and the note's own markup is shown as text, never as HTML
    assert "<b>" not in evidence
    assert "&lt;b&gt;" in evidence
    # and the search is logged with its long-tail judgement
    with db.read() as session:
        entry = session.query(SearchLog).one()
        assert (entry.query, entry.language) == ("42码宽脚跑鞋", "zh")


def test_facets_filter_and_sort_products(client, make_product, make_note, make_user, deliver):
    wide, slim, _ = _shoes(make_product, make_note, make_user, deliver)
    # given a search listing both shoes
    html = client.get("/search", params={"q": "trail runner"}).text
    assert f'data-product-id="{wide.id}"' in html
    assert f'data-product-id="{slim.id}"' in html
    # when the size 44 facet link is followed
    link = re.search(r'href="([^"]*size=44[^"]*)"', html).group(1).replace("&amp;", "&")
    filtered = client.get(link).text
    # then only the shoe with size 44 remains, and the filter can be removed
    assert f'data-product-id="{slim.id}"' in filtered
    assert f'data-product-id="{wide.id}"' not in filtered
    assert "Remove filter" in filtered
    # and sorting by price puts the cheaper shoe first
    by_price = client.get("/search", params={"q": "trail runner", "sort": "price_desc"}).text
    assert by_price.index(f'data-product-id="{slim.id}"') < by_price.index(f'data-product-id="{wide.id}"')


def test_sponsored_and_gifted_notes_name_their_shop_in_evidence_and_note_results(
    client, make_shop, make_product, make_note
):
    # given a lamp with a note sponsored by one shop and a note gifted by another
    lamp = make_product(title="Dorm desk lamp", category="lamps", description="")
    paid = make_note(
        products=[lamp],
        title="Desk lamp for a dorm",
        body="This desk lamp is bright and quiet in a dorm.",
        disclosure="sponsored",
        sponsor_shop_id=make_shop(name="Lamp & Co").id,
    )
    gift = make_note(
        products=[lamp],
        title="A dorm desk lamp I was sent",
        body="The desk lamp fits a small dorm desk.",
        disclosure="gifted",
        sponsor_shop_id=make_shop(name="Glow Goods").id,
    )
    # when someone searches for the need
    html = client.get("/search", params={"q": "desk lamp for a dorm"}).text
    # then the lamp quotes both notes, each naming the shop behind it
    evidence = html[html.index('class="evidence"') : html.index("</ul>", html.index('class="evidence"'))]
    assert f'href="/notes/{paid.id}"' in evidence
    assert f'href="/notes/{gift.id}"' in evidence
    assert "Sponsored by Lamp &amp; Co" in evidence
    assert "Gifted by Glow Goods" in evidence
    # and the notes listed in the results name them too
    notes = client.get("/search", params={"q": "desk lamp for a dorm", "type": "notes"}).text
    listed = notes[notes.index('class="grid note-results"') :]
    assert "Sponsored by Lamp &amp; Co" in listed
    assert "Gifted by Glow Goods" in listed


def test_more_results_keeps_the_filters(client, make_product):
    # given more size 44 trail runners than one page shows, and size 40 ones
    big = {
        make_product(title=f"Trail runner {i}", skus=[{"attributes": {"size": "44"}}]).id for i in range(26)
    }
    small = {
        make_product(title=f"Trail runner S{i}", skus=[{"attributes": {"size": "40"}}]).id for i in range(3)
    }
    params = {"q": "trail runner", "type": "products", "size": "44", "sort": "price_asc"}
    first = client.get("/search", params=params).text
    # when the next page is followed
    more = re.search(r'href="([^"]*cursor=[^"]*)"', first).group(1).replace("&amp;", "&")
    second = client.get(more).text
    # then it is still filtered and sorted, and the two pages hold every size 44 runner once
    shown = [int(i) for i in re.findall(r'data-product-id="(\d+)"', first + second)]
    assert "size=44" in more
    assert "sort=price_asc" in more
    assert not small & set(shown)
    assert sorted(shown) == sorted(big)


def test_empty_state_offers_did_you_mean_and_popular_searches(client, make_product):
    make_product(title="Ergonomic keyboard")
    client.get("/search", params={"q": "ergonomic keyboard"})
    # a typo gets a "did you mean" link
    html = client.get("/search", params={"q": "ergonomc keyboard"}).text
    assert "Did you mean" in html
    assert "/search?q=ergonomic+keyboard" in html
    # nothing found: popular searches are offered
    empty = client.get("/search", params={"q": "zqxv"}).text
    assert "Nothing matches" in empty
    assert 'href="/search?q=ergonomic%20keyboard"' in empty


def test_odd_queries_render_a_page(client, make_product):
    make_product(title="Anything")
    for q in ["a" * 300, '" OR 1=1 --', "NEAR(a b)", "title:foo*", "👟", "?!"]:
        r = client.get("/search", params={"q": q})
        assert r.status_code == 200, q
    assert "first 200 characters" in client.get("/search", params={"q": "a" * 300}).text


def test_autocomplete_fragment(client, make_product):
    make_product(title="Quiet desk fan")
    html = client.get("/search/suggest", params={"q": "qui"}, headers={"HX-Request": "true"}).text
    assert 'href="/search?q=Quiet%20desk%20fan"' in html


def test_stats_page_is_for_moderators_and_draws_the_long_tail_share(
    client, login, make_user, make_moderator, make_product
):
    make_product(title="Wide trail runner")
    client.get("/search", params={"q": "wide trail runner for flat feet"})
    client.get("/search", params={"q": "zqxv"})
    login(make_user())
    assert client.get("/search/stats").status_code == 403
    login(make_moderator())
    html = client.get("/search/stats").text
    assert "<svg" in html
    assert "<polyline" in html
    assert "50.0%" in html  # one of two searches was long-tail
    assert ">zqxv</a>" in html
