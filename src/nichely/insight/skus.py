"""Which SKU options fit which segment: evidence for brand managers designing new products.

A segment is a need or interest people declared at onboarding (`User.interests`). For each
segment and each SKU option (attribute=value, e.g. width=wide) the report asks: among people who
buy the same product, does the segment choose the option more often than other buyers? It keeps
the options the segment chooses significantly more often.

Why the comparison is made within each product (stratified) and then combined: across a shop or
the whole store, the share of an option among a segment's units against the share among everyone
else's mostly measures product mix, not preference. People into pet furniture would "prefer"
colour=natural only because pet furniture comes in natural and other people buy other things.
So, for each (segment, attribute, value):

- observed O = the segment's units with the value, over the products that have the attribute;
- expected E = the sum over those products of the segment's units with the attribute times other
  buyers' share of the value among their units of that product with the attribute, i.e. other
  buyers' choices standardised to the segment's product mix;
- `segment_share` = O / the segment's units with the attribute, `overall_share` = E / the same
  units, `lift` = O / E. A product where other buyers have no unit with the attribute offers no
  baseline and is left out of O and E both.

Counting happens in SQL, grouped by (SKU, product, buyer); SKU attributes and interests are JSON,
whose extraction differs between SQLite and PostgreSQL, so they are expanded in Python from the
grouped rows, which are few next to the order lines they sum.

Statistics, and why:

- Shares, lift and `units` count units kept (bought and not refunded): an option the segment buys
  and sends back does not fit it. Refunded units feed the refund rates only; other buyers' refund
  rate is read from the products in which the segment bought the option.
- The p-value compares *buyers*, not units: one person ordering thirty of a SKU is one piece of
  evidence, not thirty. Each product gives a 2x2 table (segment or not, against kept the value or
  not, among the product's buyers of the attribute), and the tables are combined with a one-sided
  Cochran-Mantel-Haenszel test with continuity correction, so the segment is compared with other
  buyers of the same products. When the counts are too small for its normal approximation the
  exact conditional test is used instead, which for a single product is Fisher's exact test.
  One-sided, since only over-representation is reported.
- Every (segment, attribute, value) with enough units is a test, often hundreds per report, so
  p-values are adjusted for the false discovery rate (Benjamini-Hochberg) before `max_p` applies;
  otherwise about one in twenty options would show up by chance alone.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import numpy as np
from scipy import stats
from sqlalchemy import Select, Text, case, cast, func, select
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog.models import Product, Shop, Sku
from nichely.catalog.service import parse_count
from nichely.commerce.models import ORDER_STATUSES, Order, OrderLine
from nichely.errors import InvalidInput, NotFound
from nichely.storage.base import as_naive_utc
from nichely.storage.ids import get_by_id
from nichely.text.normalize import without_nul

__all__ = ["AttributeFit", "SkuFitReport", "Table", "fisher_or_z", "lift", "sku_fit", "stratified_p"]

# Refunded orders were bought (and count for refund rates); only cancelled ones never were.
BOUGHT = tuple(s for s in ORDER_STATUSES if s != "cancelled")
MAX_DAYS = 3650
MAX_LIMIT = 500
MAX_CATEGORY = 120
# On a large store a difference of a percent or two is "significant" and useless to a designer:
# an option is reported only when the segment picks it at least this much more often.
MIN_LIFT = 1.2
# Below this expected count per cell (or, over several products, this distance between the
# expected count and the least or most it could be) a normal approximation is unreliable.
MIN_EXPECTED = 5.0
# A refund-rate gap is worth a manager's attention when it is both this wide and this relative.
REFUND_GAP = 0.05
REFUND_RATIO = 1.5

Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class AttributeFit:
    """One SKU option a segment buys more often than other buyers of the same products, with the
    evidence."""

    segment: str
    attribute: str
    value: str
    units: int
    segment_share: float
    overall_share: float
    lift: float
    refund_rate: float
    overall_refund_rate: float
    p_value: float
    products: int
    reason: str


@dataclass(frozen=True)
class SkuFitReport:
    """The fits found and what was read to find them."""

    fits: list[AttributeFit]
    orders: int
    units: int
    buyers: int
    segments: dict[str, int]
    since: datetime


# --- statistics (pure) ---------------------------------------------------------------------


def lift(segment_share: float, overall_share: float, overall_units: int) -> float:
    """segment_share / overall_share; an option other buyers never chose is floored at half a unit
    of theirs, so the ratio stays finite and grows with how many units they chose instead."""
    floor = 0.5 / overall_units if overall_units else 1.0
    return segment_share / max(overall_share, floor)


def fisher_or_z(x1: int, n1: int, x2: int, n2: int) -> float:
    """One-sided p-value that proportion x1/n1 exceeds x2/n2: Fisher's exact test for small
    expected counts, otherwise the pooled two-proportion z-test."""
    if n1 == 0 or n2 == 0:
        return 1.0
    pooled = (x1 + x2) / (n1 + n2)
    expected = min(n1, n2) * min(pooled, 1 - pooled)
    if expected < MIN_EXPECTED:
        table = [[x1, n1 - x1], [x2, n2 - x2]]
        return float(stats.fisher_exact(table, alternative="greater").pvalue)
    z = (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return float(stats.norm.sf(z))


@dataclass(frozen=True)
class Table:
    """One product's buyers of an attribute: `x1` of the segment's `n1` kept the value, and `x2`
    of the `n2` other buyers."""

    x1: int
    n1: int
    x2: int
    n2: int

    @property
    def chose(self) -> int:
        return self.x1 + self.x2

    @property
    def bounds(self) -> tuple[int, int]:
        """The least and most `x1` could be given the table's margins."""
        return max(0, self.chose - self.n2), min(self.n1, self.chose)

    @property
    def mean(self) -> float:
        """E[x1] given the margins when the segment chooses like everyone else (hypergeometric)."""
        return self.n1 * self.chose / (self.n1 + self.n2)

    @property
    def variance(self) -> float:
        """Var[x1] given the margins, likewise."""
        n = self.n1 + self.n2
        return self.n1 * self.n2 * self.chose * (n - self.chose) / (n * n * (n - 1))


def stratified_p(tables: Iterable[Table]) -> float:
    """One-sided p-value that within products the segment's buyers keep the value more often than
    other buyers of the same product.

    Cochran-Mantel-Haenszel with continuity correction: z = (sum(x1 - E[x1]) - 1/2) /
    sqrt(sum Var[x1]) over the products. When the summed expectation lies within MIN_EXPECTED of
    the least or most the sum could be (the Mantel-Fleiss rule) the normal approximation is
    unreliable, and the exact conditional test answers: the sum's distribution is the convolution
    of the products' hypergeometric distributions; for one product that is Fisher's exact test."""
    # A product without buyers on both sides says nothing about the difference.
    informative = [t for t in tables if t.n1 and t.n2]
    if not informative:
        return 1.0
    observed = sum(t.x1 for t in informative)
    mean = sum(t.mean for t in informative)
    low = sum(t.bounds[0] for t in informative)
    high = sum(t.bounds[1] for t in informative)
    if min(mean - low, high - mean) < MIN_EXPECTED:
        return _exact_p(informative, observed)
    z = (observed - mean - 0.5) / math.sqrt(sum(t.variance for t in informative))
    return float(stats.norm.sf(z))


def _exact_p(tables: list[Table], observed: int) -> float:
    distribution, low = np.ones(1), 0
    for t in tables:
        least, most = t.bounds
        low += least
        if most > least:  # a product whose margins fix x1 only shifts the sum
            pmf = stats.hypergeom.pmf(np.arange(least, most + 1), t.n1 + t.n2, t.chose, t.n1)
            distribution = np.convolve(distribution, pmf)
    return float(min(1.0, distribution[observed - low :].sum()))


def adjust(p_values: list[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (false discovery rate), in the same order."""
    if not p_values:
        return []
    return [float(p) for p in stats.false_discovery_control(np.array(p_values), method="bh")]


def rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# --- arguments -----------------------------------------------------------------------------


def _check_numbers(days: int, min_units: int, max_p: float, limit: int) -> None:
    parse_count(days, "days", low=1, high=MAX_DAYS)
    parse_count(min_units, "min_units", low=1, high=2**31 - 1)
    parse_count(limit, "limit", low=1, high=MAX_LIMIT)
    if isinstance(max_p, bool) or not isinstance(max_p, int | float) or not 0 < max_p <= 1:
        raise InvalidInput("max_p must be a number above 0 and at most 1", field="max_p")


def _check_scope(
    session: Session, shop_id: int | None, product_id: int | None, category: str | None
) -> str | None:
    if shop_id is not None and get_by_id(session, Shop, shop_id) is None:
        raise NotFound(f"shop {shop_id} does not exist")
    if product_id is not None:
        product = get_by_id(session, Product, product_id)
        if product is None:
            raise NotFound(f"product {product_id} does not exist")
        if shop_id is not None and product.shop_id != shop_id:
            raise InvalidInput(f"product {product_id} is not sold by shop {shop_id}", field="product_id")
    if category is None:
        return None
    # As the catalog stores it: lower case, without NUL (which PostgreSQL refuses in text).
    category = without_nul(category).strip().lower()
    if not category or len(category) > MAX_CATEGORY:
        raise InvalidInput(f"category must have 1-{MAX_CATEGORY} characters", field="category")
    return category


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which order lines a report reads."""

    since: datetime
    until: datetime
    shop_id: int | None = None
    product_id: int | None = None
    category: str | None = None

    def apply(self, stmt: Query) -> Query:
        """`stmt` over order lines, limited to bought orders in the window and the shop/product/category."""
        stmt = (
            stmt.join(Order, Order.id == OrderLine.order_id)
            .join(Product, Product.id == OrderLine.product_id)
            .where(Order.status.in_(BOUGHT), Order.created_at >= self.since, Order.created_at <= self.until)
        )
        if self.shop_id is not None:
            stmt = stmt.where(Product.shop_id == self.shop_id)
        if self.product_id is not None:
            stmt = stmt.where(OrderLine.product_id == self.product_id)
        if self.category is not None:
            stmt = stmt.where(Product.category == self.category)
        return stmt


@dataclass(frozen=True)
class Bought:
    """Units of one SKU one buyer bought in scope."""

    sku_id: int
    product_id: int
    buyer_id: int
    kept: int
    refunded: int


def _bought(session: Session, scope: Scope) -> list[Bought]:
    refunded = Order.status == "refunded"
    stmt = scope.apply(
        select(
            OrderLine.sku_id,
            OrderLine.product_id,
            Order.customer_id,
            func.sum(case((refunded, 0), else_=OrderLine.quantity)),
            func.sum(case((refunded, OrderLine.quantity), else_=0)),
        ).select_from(OrderLine)
    ).group_by(OrderLine.sku_id, OrderLine.product_id, Order.customer_id)
    return [Bought(s, p, c, int(k), int(r)) for s, p, c, k, r in session.execute(stmt)]


def _order_count(session: Session, scope: Scope) -> int:
    stmt = scope.apply(select(func.count(func.distinct(Order.id))).select_from(OrderLine))
    return session.scalar(stmt) or 0


def _json(raw: str | None) -> Any:
    # Read as text and parsed here: SQLite keeps JSON as text that may not parse (written by an
    # import or by hand), and one such row must not fail the report.
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _options(raw: Any) -> dict[str, str]:
    # Only scalar options describe a choice a buyer made; nested JSON is not an option.
    if not isinstance(raw, dict):
        return {}
    return {
        str(k): str(v).strip() for k, v in raw.items() if isinstance(v, str | int | float) and str(v).strip()
    }


def _interests(raw: Any) -> frozenset[str]:
    if not isinstance(raw, list):
        return frozenset()
    return frozenset(i.strip().lower() for i in raw if isinstance(i, str) and i.strip())


def _sku_options(session: Session, scope: Scope) -> dict[int, dict[str, str]]:
    # A subquery rather than a list of ids: a whole-store report may touch more SKUs than a
    # statement may bind parameters on SQLite.
    ids = scope.apply(select(OrderLine.sku_id).select_from(OrderLine)).scalar_subquery()
    rows = session.execute(select(Sku.id, cast(Sku.attributes, Text)).where(Sku.id.in_(ids)))
    return {sku_id: _options(_json(raw)) for sku_id, raw in rows}


def _buyer_segments(session: Session, scope: Scope) -> dict[int, frozenset[str]]:
    ids = scope.apply(select(Order.customer_id).select_from(OrderLine)).scalar_subquery()
    rows = session.execute(select(User.id, cast(User.interests, Text)).where(User.id.in_(ids)))
    return {user_id: _interests(_json(raw)) for user_id, raw in rows}


# --- tallying ------------------------------------------------------------------------------

Option = tuple[str, str]


@dataclass
class Tally:
    """Units and buyers per product and SKU option for one group of buyers (a segment, or everyone)."""

    kept: dict[tuple[int, Option], int] = field(default_factory=lambda: defaultdict(int))
    refunded: dict[tuple[int, Option], int] = field(default_factory=lambda: defaultdict(int))
    kept_of: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))
    buyers: dict[tuple[int, Option], set[int]] = field(default_factory=lambda: defaultdict(set))
    buyers_of: dict[tuple[int, str], set[int]] = field(default_factory=lambda: defaultdict(set))
    # Kept units per option over every product, to skip options that cannot reach min_units.
    units: dict[Option, int] = field(default_factory=lambda: defaultdict(int))
    # Products in which the group kept units with the attribute, and bought (kept or not) the option.
    products_of: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    bought_in: dict[Option, set[int]] = field(default_factory=lambda: defaultdict(set))

    def add(self, row: Bought, options: dict[str, str]) -> None:
        product = row.product_id
        for attribute, value in options.items():
            option = (attribute, value)
            self.refunded[product, option] += row.refunded
            self.bought_in[option].add(product)
            if row.kept:
                self.kept[product, option] += row.kept
                self.kept_of[product, attribute] += row.kept
                self.buyers[product, option].add(row.buyer_id)
                self.buyers_of[product, attribute].add(row.buyer_id)
                self.units[option] += row.kept
                self.products_of[attribute].add(product)


def _tally(
    rows: Iterable[Bought], options: dict[int, dict[str, str]], segments: dict[int, frozenset[str]]
) -> tuple[Tally, dict[str, Tally]]:
    everyone, by_segment = Tally(), defaultdict[str, Tally](Tally)
    for row in rows:
        sku_options = options.get(row.sku_id, {})
        everyone.add(row, sku_options)
        for segment in segments.get(row.buyer_id, frozenset()):
            by_segment[segment].add(row, sku_options)
    return everyone, dict(by_segment)


@dataclass(frozen=True)
class Candidate:
    """A (segment, option) with enough units to test, before the p-values are adjusted."""

    segment: str
    option: Option
    units: int
    segment_share: float
    overall_share: float
    lift: float
    refund_rate: float
    overall_refund_rate: float
    p_raw: float
    products: int


def _refund_rates(option: Option, seg: Tally, everyone: Tally) -> tuple[float, float]:
    # Both rates come from the products in which the segment bought the option, so a product the
    # segment never bought does not move other buyers' rate.
    products = seg.bought_in[option]
    refunded = sum(seg.refunded.get((p, option), 0) for p in products)
    kept = sum(seg.kept.get((p, option), 0) for p in products)
    all_refunded = sum(everyone.refunded.get((p, option), 0) for p in products)
    all_kept = sum(everyone.kept.get((p, option), 0) for p in products)
    other_refunded, other_kept = all_refunded - refunded, all_kept - kept
    return rate(refunded, kept + refunded), rate(other_refunded, other_kept + other_refunded)


def _candidate(segment: str, option: Option, seg: Tally, everyone: Tally) -> Candidate | None:
    attribute = option[0]
    units = of_attribute = other_of_attribute = 0
    expected = 0.0
    tables = []
    for product in sorted(seg.products_of[attribute]):
        mine_of = seg.kept_of[product, attribute]
        theirs_of = everyone.kept_of[product, attribute] - mine_of
        if theirs_of == 0:
            # Other buyers kept no unit of this product with the attribute: there is no baseline to
            # compare with, so the product is left out of both observed and expected.
            continue
        mine = seg.kept.get((product, option), 0)
        theirs = everyone.kept.get((product, option), 0) - mine
        units += mine
        of_attribute += mine_of
        other_of_attribute += theirs_of
        expected += mine_of * theirs / theirs_of
        chose = len(seg.buyers.get((product, option), ()))
        bought = len(seg.buyers_of[product, attribute])
        tables.append(
            Table(
                chose,
                bought,
                len(everyone.buyers.get((product, option), ())) - chose,
                len(everyone.buyers_of[product, attribute]) - bought,
            )
        )
    if not tables:
        return None  # nobody outside the segment kept this attribute where it did
    segment_share, overall_share = rate(units, of_attribute), expected / of_attribute
    refund_rate, overall_refund_rate = _refund_rates(option, seg, everyone)
    return Candidate(
        segment=segment,
        option=option,
        units=units,
        segment_share=segment_share,
        overall_share=overall_share,
        # floored at half a unit of other buyers' units with the attribute in the products compared
        lift=lift(segment_share, overall_share, other_of_attribute),
        refund_rate=refund_rate,
        overall_refund_rate=overall_refund_rate,
        p_raw=stratified_p(tables),
        products=len(tables),
    )


def _candidates(everyone: Tally, by_segment: dict[str, Tally], min_units: int) -> list[Candidate]:
    found = []
    for segment, seg in sorted(by_segment.items()):
        for option, units in sorted(seg.units.items()):
            if units < min_units:
                continue
            c = _candidate(segment, option, seg, everyone)
            if c is not None and c.units >= min_units:
                found.append(c)
    return found


# --- reporting -----------------------------------------------------------------------------


def _p_text(p: float) -> str:
    return "p<0.001" if p < 0.001 else f"p={p:.2g}"


def _refund_text(refund_rate: float, overall_refund_rate: float) -> str:
    low, high = sorted((refund_rate, overall_refund_rate))
    notable = high - low >= REFUND_GAP and (low == 0 or high / low >= REFUND_RATIO)
    if not notable:
        return ""
    return (
        f"; {refund_rate:.0%} of their units were refunded against {overall_refund_rate:.0%} for other buyers"
    )


def reason(c: Candidate, p_value: float) -> str:
    """The sentence a manager reads for one fit."""
    attribute, value = c.option
    return (
        f"People into {c.segment} bought {attribute}={value} {c.lift:.1f}x as often as "
        "other buyers of the same products "
        f"({c.segment_share:.0%} of their {attribute} units against {c.overall_share:.0%}; "
        f"{c.units} units, {_p_text(p_value)})"
        f"{_refund_text(c.refund_rate, c.overall_refund_rate)}."
    )


def _fit(c: Candidate, p_value: float) -> AttributeFit:
    return AttributeFit(
        segment=c.segment,
        attribute=c.option[0],
        value=c.option[1],
        units=c.units,
        segment_share=c.segment_share,
        overall_share=c.overall_share,
        lift=c.lift,
        refund_rate=c.refund_rate,
        overall_refund_rate=c.overall_refund_rate,
        p_value=p_value,
        products=c.products,
        reason=reason(c, p_value),
    )


def select_fits(
    candidates: list[Candidate], max_p: float, limit: int, min_lift: float = MIN_LIFT
) -> list[AttributeFit]:
    """Options over-represented by at least `min_lift` whose adjusted p-value passes, strongest
    evidence first."""
    adjusted = adjust([c.p_raw for c in candidates])
    fits = [
        _fit(c, p)
        for c, p in zip(candidates, adjusted, strict=True)
        if c.lift > 1 and c.lift >= min_lift and p <= max_p
    ]
    fits.sort(key=lambda f: (f.p_value, -f.lift, -f.units, f.segment, f.attribute, f.value))
    return fits[:limit]


def sku_fit(
    session: Session,
    *,
    shop_id: int | None = None,
    product_id: int | None = None,
    category: str | None = None,
    days: int = 180,
    min_units: int = 5,
    max_p: float = 0.05,
    limit: int = 50,
    min_lift: float = MIN_LIFT,
    now: datetime | None = None,
) -> SkuFitReport:
    """Which SKU options each declared segment buys more often than other buyers of the same
    products, over the last `days` days of orders in a shop, product or category (the whole store
    when none is given)."""
    _check_numbers(days, min_units, max_p, limit)
    if isinstance(min_lift, bool) or not isinstance(min_lift, int | float) or not 1 <= min_lift <= 1000:
        raise InvalidInput("min_lift must be a number from 1 to 1000", field="min_lift")
    category = _check_scope(session, shop_id, product_id, category)
    until = as_naive_utc(now)
    scope = Scope(until - timedelta(days=days), until, shop_id, product_id, category)
    rows = _bought(session, scope)
    segments = _buyer_segments(session, scope)
    everyone, by_segment = _tally(rows, _sku_options(session, scope), segments)
    buyers_in: dict[str, int] = defaultdict(int)
    for interests in segments.values():
        for segment in interests:
            buyers_in[segment] += 1
    return SkuFitReport(
        fits=select_fits(_candidates(everyone, by_segment, min_units), max_p, limit, min_lift),
        orders=_order_count(session, scope),
        units=sum(r.kept + r.refunded for r in rows),
        buyers=len(segments),
        segments=dict(sorted(buyers_in.items())),
        since=scope.since,
    )
