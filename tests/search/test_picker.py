"""The product pickers (note form, storefront editor) search like the platform, and still answer a
half-typed word: on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from nichely.catalog.models import Product
from nichely.search.index import index_product
from nichely.search.picker import find_products


@pytest.fixture
def shelf(db, make_product):  # type: ignore[no-untyped-def]
    trail = make_product(title="Wide Trail Runner", description="Roomy toe box.", category="running shoes")
    lamp = make_product(title="Dorm Desk Lamp 宿舍台灯", description="Warm light.", category="lamps")
    socks = make_product(title="Merino running socks", description="Soft.", category="socks")
    return trail, lamp, socks


def _titles(db, query, limit=8):  # type: ignore[no-untyped-def]
    with db.read() as session:
        return [p.title for p in find_products(session, query, limit=limit)]


def test_picker_finds_what_the_platform_search_finds(db, shelf):
    trail, lamp, _ = shelf
    # a typo and another word form find the product, as on the search page
    assert _titles(db, "trial")[0] == trail.title
    assert trail.title in _titles(db, "trail runners")
    # Chinese words inside a title are found
    assert _titles(db, "宿舍台灯") == [lamp.title]


def test_picker_still_answers_a_half_typed_word(db, shelf):
    trail, _, _ = shelf
    # given an author who has typed only the start of a word, then the picker still finds it
    assert _titles(db, "tra") == [trail.title]
    assert _titles(db, "Meri") == ["Merino running socks"]


def test_picker_keeps_to_active_products_and_the_limit(db, shelf, make_product):
    trail, _, _ = shelf
    for i in range(5):
        make_product(title=f"Trail gaiter {i}", category="running gear")
    with db.write() as session:
        session.execute(update(Product).where(Product.id == trail.id).values(status="archived"))
        index_product(session, trail.id)
    found = _titles(db, "trail", limit=3)
    assert len(found) == 3
    assert trail.title not in _titles(db, "trail")


@pytest.mark.parametrize("query", ["", "   ", "%_", "' OR 1=1 --", '"unbalanced', "x" * 400])
def test_picker_answers_any_text_without_errors(db, shelf, query):
    assert isinstance(_titles(db, query), list)
