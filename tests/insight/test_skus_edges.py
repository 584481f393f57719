"""SKU fit at the edges: stored JSON that is not what the forms write, and the test statistics
against independent references."""

from __future__ import annotations

import pytest
from scipy import stats
from sqlalchemy import text

from nichely.errors import InvalidInput
from nichely.insight.skus import Table, adjust, sku_fit, stratified_p
from tests.commerce.fixtures import place  # noqa: F401


@pytest.fixture
def widths(make_user, make_shop, make_product, place):  # noqa: F811
    """A shoe in two widths; 20 people into wide-feet buy wide 90% of the time, 30 others 10%."""
    shop = make_shop(manager=make_user(roles=["manager"]))
    skus = [{"attributes": {"width": w}, "price": "80.00", "stock": 500} for w in ("standard", "wide")]
    product = make_product(shop=shop, skus=skus)
    standard, wide = (s.id for s in product.skus)
    segment = [make_user(interests=["wide-feet"]) for _ in range(20)]
    for i, person in enumerate(segment):
        place(person, (wide if i % 10 else standard, 1))
    for i in range(30):
        place(make_user(), (wide if i % 10 == 0 else standard, 1))
    return product, segment, (standard, wide)


def test_malformed_stored_json_is_read_as_nothing(db, widths):
    # given a store where one buyer's interests and one SKU's attributes are not valid JSON
    # (SQLite keeps JSON as text; PostgreSQL refuses it on the way in)
    if db.url.startswith("postgresql"):
        pytest.skip("PostgreSQL's json type refuses malformed text")
    product, segment, (standard, _) = widths
    with db.write() as session:
        session.execute(
            text("UPDATE users SET interests = '[\"wide-feet\"' WHERE id = :id"), {"id": segment[0].id}
        )
        session.execute(text("UPDATE skus SET attributes = '{width: ' WHERE id = :id"), {"id": standard})
    # when the report is read, then it does not fail; the malformed rows count for nothing
    with db.read() as session:
        report = sku_fit(session, product_id=product.id)
    assert report.orders == 50
    assert report.segments == {"wide-feet": 19}


def test_numbers_and_nested_values_in_sku_attributes(db, make_user, make_shop, make_product, place):  # noqa: F811
    shop = make_shop(manager=make_user(roles=["manager"]))
    skus = [{"attributes": {"width": w}, "price": "80.00", "stock": 500} for w in ("standard", "wide")]
    product = make_product(shop=shop, skus=skus)
    standard, wide = (s.id for s in product.skus)
    with db.write() as session:
        for sku_id, size in ((standard, "42"), (wide, "43")):
            session.execute(
                text("UPDATE skus SET attributes = :a WHERE id = :id"),
                {"a": f'{{"size": {size}, "fit": {{"toe": "round"}}, "vegan": true}}', "id": sku_id},
            )
    for i in range(20):
        place(make_user(interests=["wide-feet"]), (wide if i % 10 else standard, 1))
    for i in range(30):
        place(make_user(), (wide if i % 10 == 0 else standard, 1))
    with db.read() as session:
        fits = sku_fit(session, product_id=product.id).fits
    assert [(f.attribute, f.value) for f in fits] == [("size", "43")]


def test_one_product_is_fishers_exact_test():
    for x1, n1, x2, n2 in ((3, 4, 1, 5), (2, 6, 0, 7), (5, 5, 2, 9), (0, 3, 4, 4)):
        expected = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]], alternative="greater").pvalue
        assert stratified_p([Table(x1, n1, x2, n2)]) == pytest.approx(expected, rel=1e-9)


def test_two_small_products_are_the_exact_conditional_test_by_hand():
    # Product A: the segment's 2 buyers and 2 others, 2 chose the value, the segment both of them.
    # Product B: the segment's 1 buyer and 2 others, 1 chose it, the segment that one.
    # Under no preference x1_A is hypergeometric: P(2) = 1/6, P(1) = 4/6, P(0) = 1/6; x1_B: P(1) = 1/3.
    # The observed sum is 3, the most it can be: P = 1/6 x 1/3 = 1/18.
    assert stratified_p([Table(2, 2, 0, 2), Table(1, 1, 0, 2)]) == pytest.approx(1 / 18)


def test_large_products_use_the_continuity_corrected_normal_approximation():
    tables = [Table(30, 50, 20, 60), Table(25, 40, 15, 50)]
    observed = sum(t.x1 for t in tables)
    mean = sum(t.mean for t in tables)
    variance = sum(t.variance for t in tables)
    expected = stats.norm.sf((observed - mean - 0.5) / variance**0.5)
    assert stratified_p(tables) == pytest.approx(expected)


def test_adjusted_p_values_are_monotone_and_capped_at_one():
    raw = [0.01, 0.04, 0.03, 0.9, 0.99, 0.5]
    adjusted = adjust(raw)
    order = sorted(range(len(raw)), key=raw.__getitem__)
    ranked = [adjusted[i] for i in order]
    assert ranked == sorted(ranked)
    assert all(a >= r for a, r in zip(adjusted, raw, strict=True))
    assert max(adjusted) <= 1.0
    assert adjusted[0] == pytest.approx(0.01 * 6 / 1)  # min over ranks >= 1 of p_(k) m / k


def test_a_category_is_matched_as_the_catalog_stores_it(db, widths):
    # the catalog keeps categories in lower case and without NUL characters
    product, _, _ = widths
    with db.read() as session:
        stored = sku_fit(session, category=product.category).orders
        assert stored == 50
        assert sku_fit(session, category=f" {product.category.upper()} ").orders == stored
        assert sku_fit(session, category=f"{product.category}\x00").orders == stored
        with pytest.raises(InvalidInput):
            sku_fit(session, category="\x00 ")


def test_no_orders_give_an_empty_report(db):
    with db.read() as session:
        report = sku_fit(session)
    assert (report.fits, report.orders, report.units, report.buyers, report.segments) == ([], 0, 0, 0, {})


def test_an_option_only_some_skus_have_is_compared_among_those(
    db,
    make_user,
    make_shop,
    make_product,
    place,  # noqa: F811
):
    # given a product whose plain SKU has no width at all, bought by everyone alike
    shop = make_shop(manager=make_user(roles=["manager"]))
    specs = [
        {"attributes": {"width": "standard"}, "price": "80.00", "stock": 500},
        {"attributes": {"width": "wide"}, "price": "80.00", "stock": 500},
        {"attributes": {}, "price": "60.00", "stock": 500},
    ]
    product = make_product(shop=shop, skus=specs)
    standard, wide, plain = (s.id for s in product.skus)
    for i in range(30):
        place(
            make_user(interests=["wide-feet"]), (plain if i % 3 == 0 else (wide if i % 10 else standard), 1)
        )
    for i in range(45):
        place(make_user(), (plain if i % 3 == 0 else (wide if i % 10 == 0 else standard), 1))
    with db.read() as session:
        fits = sku_fit(session, product_id=product.id).fits
    # then the plain SKU's units do not dilute the width shares
    (fit,) = fits
    assert (fit.segment, fit.attribute, fit.value) == ("wide-feet", "width", "wide")
    assert fit.segment_share == pytest.approx(18 / 20)
