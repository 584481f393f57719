"""Which SKU options fit which segment: planted purchase patterns whose answer is known."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from sqlalchemy import update

from nichely.commerce.models import Order
from nichely.errors import InvalidInput, NotFound
from nichely.insight import skus as insight
from nichely.insight.skus import Candidate, Table, fisher_or_z, lift, select_fits, sku_fit, stratified_p
from nichely.storage.base import utcnow
from tests.commerce.fixtures import advance, place  # noqa: F401

WIDTHS = ("standard", "wide")


@pytest.fixture
def shoe(make_user, make_shop, make_product):
    """A factory for shoes sold in width x colour SKUs; returns (product, manager, {(width, colour): sku_id})."""

    def make(shop=None, category="running shoes", colours=("black", "white")):
        manager = make_user(roles=["manager"])
        shop = shop or make_shop(manager=manager)
        specs = [
            {"attributes": {"width": w, "colour": c}, "price": "80.00", "stock": 1000}
            for w in WIDTHS
            for c in colours
        ]
        product = make_product(shop=shop, skus=specs, category=category)
        skus = {(s.attributes["width"], s.attributes["colour"]): s.id for s in product.skus}
        return product, manager, skus

    return make


@pytest.fixture
def buy(make_user, place):  # noqa: F811
    """A new buyer with `interests` orders `quantity` of one SKU; returns (order, buyer)."""

    def make(sku_id, interests=(), quantity=1):
        buyer = make_user(interests=list(interests))
        return place(buyer, (sku_id, quantity)), buyer

    return make


def small_plant(shoe, buy, wide_buyers=12):
    """`wide_buyers` people into wide-feet all buy wide; 12 others buy wide 3 times in 12."""
    product, manager, skus = shoe(colours=("black",))
    segment = [buy(skus["wide", "black"], ["wide-feet"]) for _ in range(wide_buyers)]
    others = [buy(skus["wide" if i % 4 == 0 else "standard", "black"]) for i in range(12)]
    return product, manager, segment, others


def keys(report):
    return [(f.segment, f.attribute, f.value) for f in report.fits]


def test_a_planted_preference_is_found_and_a_segment_without_one_is_not(db, shoe, buy):
    # given 40 people into wide-feet who buy wide 80% of the time and 60 other buyers who do 15%
    # of the time; half of each group is also into commuting, which has no preference of its own,
    # and colour is black for every other buyer whatever their segment
    _, _, skus = shoe()
    for i in range(40):
        interests = ["wide-feet", "commuting"] if i < 20 else ["wide-feet"]
        buy(skus["wide" if i % 5 else "standard", "black" if i % 2 == 0 else "white"], interests)
    for i in range(60):
        interests = ["commuting"] if i < 30 else []
        buy(
            skus["wide" if i % 20 in (0, 7, 14) else "standard", "black" if i % 2 == 0 else "white"],
            interests,
        )
    # when a manager asks which SKUs fit which segment
    with db.read() as session:
        report = sku_fit(session)
    # then wide width is the one fit, at the planted strength: 0.80 / 0.15
    assert (report.orders, report.units, report.buyers) == (100, 100, 100)
    assert report.segments == {"commuting": 50, "wide-feet": 40}
    assert keys(report) == [("wide-feet", "width", "wide")]
    fit = report.fits[0]
    assert fit.units == 32
    assert fit.segment_share == pytest.approx(0.80)
    assert fit.overall_share == pytest.approx(0.15)
    assert fit.lift == pytest.approx(0.80 / 0.15)
    assert fit.p_value < 1e-6
    assert fit.products == 1
    assert fit.refund_rate == fit.overall_refund_rate == 0
    assert fit.reason.startswith(
        "People into wide-feet bought width=wide 5.3x as often as other buyers of the same products "
        "(80% of their width units against 15%;"
    )
    assert "32 units, p<0.001" in fit.reason
    assert "refunded" not in fit.reason


def test_refunds_lower_units_and_raise_the_refund_rate(db, shoe, buy, advance):  # noqa: F811
    # given 12 people into wide-feet who bought wide shoes and 12 others
    product, manager, segment, _ = small_plant(shoe, buy)
    with db.read() as session:
        before = sku_fit(session, product_id=product.id)
    # when the shop refunds four of the segment's orders
    for order, buyer in segment[:4]:
        advance(order.id, (buyer, "pay"), (manager, "refund"))
    with db.read() as session:
        after = sku_fit(session, product_id=product.id)
    # then the refunded units still count as read but not as kept, and the refund rate shows it
    assert keys(before) == keys(after) == [("wide-feet", "width", "wide")]
    assert (before.fits[0].units, before.fits[0].refund_rate) == (12, 0)
    assert (after.orders, after.units) == (before.orders, before.units) == (24, 24)
    fit = after.fits[0]
    assert fit.units == 8
    assert fit.refund_rate == pytest.approx(4 / 12)
    assert fit.overall_refund_rate == 0
    assert fit.reason.endswith("; 33% of their units were refunded against 0% for other buyers.")


def test_cancelled_orders_are_not_counted(db, shoe, buy, advance):  # noqa: F811
    # given the small plant, where the segment's buyers cancel five of their orders
    product, _, segment, _ = small_plant(shoe, buy)
    for order, buyer in segment[:5]:
        advance(order.id, (buyer, "cancel"))
    # when the report is read
    with db.read() as session:
        report = sku_fit(session, product_id=product.id)
    # then those orders are gone from every count
    assert (report.orders, report.units, report.buyers) == (19, 19, 19)
    assert report.segments == {"wide-feet": 7}
    assert report.fits[0].units == 7
    assert report.fits[0].refund_rate == 0


def test_one_bulk_buyer_is_not_a_segment_preference(db, shoe, buy):
    # given one person into wide-feet who ordered 30 wide pairs, against 12 ordinary buyers
    product, _, skus = shoe(colours=("black",))
    buy(skus["wide", "black"], ["wide-feet"], quantity=30)
    for i in range(12):
        buy(skus["wide" if i % 4 == 0 else "standard", "black"])
    # when the report is read
    with db.read() as session:
        report = sku_fit(session, product_id=product.id)
    # then 30 units are read, but one buyer's choice is no evidence about a segment
    assert report.units == 42
    assert report.fits == []


def test_the_report_reads_only_the_shop_product_or_category_asked_for(db, shoe, buy, make_shop, make_user):
    # given shop A, where 12 people into wide-feet buy wide running shoes, 12 others buy standard
    # ones and 3 others buy standard dress shoes; and shop B, where 10 others buy wide running shoes
    shop_a = make_shop(manager=make_user(roles=["manager"]))
    running, _, skus = shoe(shop=shop_a, colours=("black",))
    dress, _, dress_skus = shoe(shop=shop_a, category="dress shoes", colours=("black",))
    other_shop, _, b_skus = shoe(colours=("black",))
    for _ in range(12):
        buy(skus["wide", "black"], ["wide-feet"])
        buy(skus["standard", "black"])
    for _ in range(3):
        buy(dress_skus["standard", "black"])
    for _ in range(10):
        buy(b_skus["wide", "black"])
    # when reports are read for each scope
    with db.read() as session:
        whole = sku_fit(session)
        in_a = sku_fit(session, shop_id=shop_a.id)
        in_b = sku_fit(session, shop_id=other_shop.shop_id)
        one_product = sku_fit(session, product_id=running.id)
        one_category = sku_fit(session, shop_id=shop_a.id, category="dress shoes")
    # then each reads only its own orders
    assert [r.orders for r in (whole, in_a, in_b, one_product, one_category)] == [37, 27, 10, 24, 3]
    assert (in_b.fits, in_b.segments, one_category.fits) == ([], {}, [])
    # and in shop A nobody else bought wide running shoes: the lift is finite, floored at half a
    # unit of the 12 running shoes other buyers kept (dress shoes, which the segment never bought,
    # are not compared)
    fit = in_a.fits[0]
    assert (fit.segment, fit.attribute, fit.value, fit.units, fit.products) == (
        "wide-feet",
        "width",
        "wide",
        12,
        1,
    )
    assert fit.overall_share == 0
    assert math.isfinite(fit.lift)
    assert fit.lift == pytest.approx(1 / (0.5 / 12))
    assert keys(one_product)[0] == ("wide-feet", "width", "wide")


def test_orders_older_than_the_window_are_ignored(db, shoe, buy):
    # given the small plant, whose segment bought 200 days ago
    product, _, segment, _ = small_plant(shoe, buy)
    with db.write() as session:
        session.execute(
            update(Order)
            .where(Order.id.in_([order.id for order, _ in segment]))
            .values(created_at=utcnow() - timedelta(days=200))
        )
    # when the report covers 180 days, then a year, then 180 days from a year ahead
    with db.read() as session:
        recent = sku_fit(session, product_id=product.id, days=180)
        year = sku_fit(session, product_id=product.id, days=365)
        ahead = sku_fit(session, product_id=product.id, days=180, now=utcnow() + timedelta(days=365))
    # then only orders inside each window count
    assert (recent.orders, recent.segments, recent.fits) == (12, {}, [])
    assert (year.orders, keys(year)) == (24, [("wide-feet", "width", "wide")])
    assert (ahead.orders, ahead.fits) == (0, [])
    assert year.since < recent.since


def test_product_mix_is_not_mistaken_for_a_preference(db, shoe, buy):
    # given product A in black or natural, bought by 30 people into cabins and 10 others, half of
    # each group choosing natural; and product B, only in black, bought by 40 others
    a, _, a_skus = shoe(colours=("black", "natural"))
    _, _, b_skus = shoe(category="slippers", colours=("black",))
    for i in range(30):
        buy(a_skus["standard", "natural" if i % 2 else "black"], ["cabins"])
    for i in range(10):
        buy(a_skus["standard", "natural" if i % 2 else "black"])
    for _ in range(40):
        buy(b_skus["standard", "black"])
    # (compared with every other buyer, as if product mix were preference, natural would fit:
    # 15 of the segment's 30 units against 5 of the others' 50, 5x and significant)
    assert fisher_or_z(15, 30, 5, 50) < 0.001
    # when the whole store is read
    with db.read() as session:
        report = sku_fit(session)
        only_a = sku_fit(session, product_id=a.id)
    # then within A the segment chooses natural as often as other buyers of A do: no fit
    assert report.units == 80
    assert report.fits == only_a.fits == []


def test_a_preference_within_each_of_two_products_is_combined(db, shoe, buy, make_shop, make_user):
    # given two shoes in one shop whose other buyers choose wide at different rates (20% and 30%),
    # and people into wide-feet who choose wide three times as often in each (60% and 90%)
    shop = make_shop(manager=make_user(roles=["manager"]))
    _, _, trail = shoe(shop=shop, colours=("black",))
    _, _, road = shoe(shop=shop, category="road shoes", colours=("black",))
    for i in range(30):
        buy(trail["wide" if i % 5 in (0, 1, 2) else "standard", "black"], ["wide-feet"])
    for i in range(60):
        buy(trail["wide" if i % 5 == 0 else "standard", "black"])
    for i in range(20):
        buy(road["wide" if i % 10 else "standard", "black"], ["wide-feet"])
    for i in range(40):
        buy(road["wide" if i % 10 in (0, 1, 2) else "standard", "black"])
    # when the shop's report is read
    with db.read() as session:
        report = sku_fit(session, shop_id=shop.id)
    # then wide fits, at the planted 3x: 36 of 50 units against the 6 + 6 other buyers' rates predict
    assert keys(report) == [("wide-feet", "width", "wide")]
    fit = report.fits[0]
    assert (fit.units, fit.products) == (36, 2)
    assert fit.segment_share == pytest.approx(36 / 50)
    assert fit.overall_share == pytest.approx(12 / 50)
    assert fit.lift == pytest.approx(3.0)
    assert fit.p_value < 1e-6
    assert fit.reason.startswith(
        "People into wide-feet bought width=wide 3.0x as often as other buyers of the same"
    )


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"days": 0}, InvalidInput, "days must be between 1 and 3650"),
        ({"days": 3651}, InvalidInput, "days must be between 1 and 3650"),
        ({"min_units": 0}, InvalidInput, "min_units must be between 1"),
        ({"limit": 0}, InvalidInput, "limit must be between 1 and 500"),
        ({"limit": 501}, InvalidInput, "limit must be between 1 and 500"),
        ({"max_p": 0}, InvalidInput, "max_p must be a number above 0"),
        ({"category": "  "}, InvalidInput, "category must have 1-120 characters"),
        ({"shop_id": 999_999}, NotFound, "shop 999999 does not exist"),
        ({"product_id": 999_999}, NotFound, "product 999999 does not exist"),
        ({"product_id": 2**40}, NotFound, f"product {2**40} does not exist"),
    ],
)
def test_bad_input_is_refused(db, arguments, error, message):
    # given an empty store, when a report is asked for with bad arguments, then it is refused
    with db.read() as session, pytest.raises(error, match=message):
        sku_fit(session, **arguments)


def test_a_product_of_another_shop_is_refused(db, shoe, make_shop):
    # given a product and an unrelated shop, when both are asked for, then the mismatch is named
    product, _, _ = shoe()
    shop = make_shop()
    with db.read() as session, pytest.raises(InvalidInput, match=f"not sold by shop {shop.id}"):
        sku_fit(session, shop_id=shop.id, product_id=product.id)


# --- pure statistics -------------------------------------------------------------------------


def test_the_test_is_one_sided_and_switches_to_fisher_for_small_counts():
    # a large clear excess is significant, an equal split is not, a deficit never is
    assert fisher_or_z(32, 40, 9, 60) < 1e-9
    assert fisher_or_z(20, 40, 30, 60) == pytest.approx(0.5)
    assert fisher_or_z(9, 60, 32, 40) > 0.999
    # with few buyers Fisher's exact test answers: 3 of 3 against 1 of 4 has p = 4/35
    assert fisher_or_z(3, 3, 1, 4) == pytest.approx(4 / 35)
    assert fisher_or_z(0, 0, 1, 4) == 1.0


def test_the_stratified_test_combines_products_and_is_exact_for_small_counts():
    # one product with few buyers is Fisher's exact test: 3 of 3 against 1 of 4 has p = 4/35
    assert stratified_p([Table(3, 3, 1, 4)]) == pytest.approx(4 / 35)
    # two such products: the exact test over both, (4/35) squared
    assert stratified_p([Table(3, 3, 1, 4), Table(3, 3, 1, 4)]) == pytest.approx((4 / 35) ** 2)
    # with many buyers: Cochran-Mantel-Haenszel, one-sided, with continuity correction
    assert stratified_p([Table(32, 40, 9, 60)]) < 1e-9
    assert stratified_p([Table(20, 40, 30, 60)]) == pytest.approx(0.58, abs=0.01)
    assert stratified_p([Table(9, 60, 32, 40)]) > 0.999
    # equal choices within products are no evidence, however the segment's products differ
    assert stratified_p([Table(15, 30, 5, 10), Table(0, 0, 0, 40)]) > 0.5
    # 60% against 20% and 90% against 30%, combined
    assert stratified_p([Table(18, 30, 12, 60), Table(18, 20, 12, 40)]) < 1e-6
    # products without buyers on both sides say nothing
    assert stratified_p([Table(0, 0, 3, 4), Table(3, 3, 0, 0)]) == 1.0
    assert stratified_p([]) == 1.0


def test_lift_is_floored_at_half_a_unit_of_other_buyers():
    assert lift(0.8, 0.2, 100) == pytest.approx(4.0)
    assert lift(0.5, 0.0, 10) == pytest.approx(10.0)
    assert lift(0.5, 0.0, 0) == pytest.approx(0.5)


def candidate(segment, value, p_raw, lift_value):
    return Candidate(segment, ("width", value), 10, 0.5, 0.5 / lift_value, lift_value, 0.0, 0.0, p_raw, 1)


def test_fits_are_over_represented_adjusted_and_strongest_first():
    # given three tests: a strong excess, a weaker one, and a strong deficit
    candidates = [
        candidate("a", "wide", 0.01, 2.0),
        candidate("b", "wide", 0.0001, 3.0),
        candidate("c", "narrow", 0.00001, 0.5),
    ]
    # when fits are selected
    fits = select_fits(candidates, max_p=0.05, limit=50)
    # then the deficit is dropped, p-values are adjusted for three tests, the strongest comes first
    assert [f.segment for f in fits] == ["b", "a"]
    assert [f.p_value for f in fits] == pytest.approx([0.00015, 0.01])
    assert [f.segment for f in select_fits(candidates, max_p=0.05, limit=1)] == ["b"]
    assert select_fits(candidates, max_p=0.001, limit=50)[0].segment == "b"
    assert select_fits([], max_p=0.05, limit=50) == []


def test_the_public_names_are_exported():
    assert {"AttributeFit", "SkuFitReport", "sku_fit", "stratified_p"} <= set(insight.__all__)


def test_a_tiny_excess_is_not_reported_however_significant():
    # given a huge sample where a segment picks an option 5% more often than others (p tiny)
    candidates = [candidate("a", "regular", 1e-12, 1.05), candidate("b", "wide", 1e-6, 1.8)]
    # then by default only the excess a designer can act on is reported; asked for, both are
    assert [f.segment for f in select_fits(candidates, max_p=0.05, limit=50)] == ["b"]
    assert [f.segment for f in select_fits(candidates, max_p=0.05, limit=50, min_lift=1.0)] == ["a", "b"]


@pytest.mark.parametrize("bad", [0.5, 1001, float("nan"), True])
def test_min_lift_must_be_sensible(db, bad):
    with db.read() as session, pytest.raises(InvalidInput):
        sku_fit(session, min_lift=bad)
