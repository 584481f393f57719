"""Demo orders in every status, with their status history.

Orders come from intents (a customer wanting a product at a moment, maybe through a storefront or
a live room); the status follows from the order's age, so recent orders are still in transit and
old ones delivered, cancelled or refunded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from nichely.commerce.models import ORDER_STATUSES
from nichely.demo.context import Demo, Person, ProductInfo

# Where each final status comes from: the path of statuses an order walks through.
PATHS = {
    "placed": ["placed"],
    "paid": ["placed", "paid"],
    "shipped": ["placed", "paid", "shipped"],
    "delivered": ["placed", "paid", "shipped", "delivered"],
    "cancelled": ["placed", "cancelled"],
    "refunded": ["placed", "paid", "shipped", "delivered", "refunded"],
}
# Hours after the previous status each step typically takes (min, max).
STEP_HOURS = {
    "paid": (0.02, 2),
    "shipped": (12, 72),
    "delivered": (24, 120),
    "cancelled": (0.1, 30),
    "refunded": (48, 400),
}


@dataclass
class OrderIntent:
    customer: Person
    products: list[ProductInfo]
    created_at: datetime
    storefront_id: int | None = None
    live_room_id: int | None = None


@dataclass
class Delivered:
    """A delivered order line: the raw material of a buyer show."""

    customer: Person
    product: ProductInfo
    sku_attributes: dict[str, str]
    price: Decimal
    delivered_at: datetime


def _status_for_age(demo: Demo, age_days: float) -> str:
    if age_days < 1:
        return demo.weighted(["placed", "paid", "cancelled"], [0.3, 0.6, 0.1])
    if age_days < 5:
        return demo.weighted(["paid", "shipped", "delivered", "cancelled"], [0.2, 0.5, 0.2, 0.1])
    if age_days < 12:
        return demo.weighted(["shipped", "delivered", "cancelled", "refunded"], [0.25, 0.6, 0.1, 0.05])
    return demo.weighted(["delivered", "cancelled", "refunded"], [0.82, 0.1, 0.08])


def regular_intents(demo: Demo, shelves: dict[int, list[int]]) -> list[OrderIntent]:
    """Ordinary purchases: people buy mostly within their own scenarios, some through storefronts."""
    by_scenario: dict[str, list[ProductInfo]] = {}
    for product in demo.products:
        by_scenario.setdefault(product.scenario, []).append(product)
    by_id = {p.id: p for p in demo.products}
    customers = [p for p in demo.people if p.kind in ("shopper", "creator", "buyer")]
    weights = [3.0 if p.kind == "creator" else 1.0 for p in customers]
    storefronts = sorted(shelves)
    intents = []
    for _ in range(demo.count(6000, 150)):
        customer = demo.weighted(customers, weights)
        moment = demo.ago(min(365, (demo.now - customer.created_at).days + 0.5))
        if storefronts and demo.chance(0.1):
            storefront_id = demo.pick(storefronts)
            product = by_id[demo.pick(shelves[storefront_id])]
            intents.append(OrderIntent(customer, [product], moment, storefront_id=storefront_id))
            continue
        scenario = demo.pick(customer.scenarios) if demo.chance(0.85) else demo.pick(sorted(by_scenario))
        pool = by_scenario.get(scenario) or demo.products
        products = [demo.pick(pool)]
        if demo.chance(0.15):
            products.append(demo.pick(pool))
        intents.append(OrderIntent(customer, products, moment))
    return intents


def _cover_every_status(statuses: list[str]) -> None:
    """Make sure each status occurs (small demos have few recent orders): the newest orders take
    the missing ones, never the last order of a status."""
    missing = [s for s in ORDER_STATUSES if s not in statuses]
    index = len(statuses) - 1
    while missing and index >= 0:
        if statuses.count(statuses[index]) > 1:
            statuses[index] = missing.pop()
        index -= 1


Sku = tuple[int, Decimal, dict[str, str]]
WIDE = ("wide", "extra wide")


def fitting_sku(customer: Person, skus: list[Sku], picked: Sku) -> Sku:
    """People mostly buy what fits them: their own shoe or clothing size, and a wide fit when they
    have wide feet; the picked SKU's other options (colour...) stay. Chosen without a random draw,
    so the rest of the demo is the same whatever the catalogue offers."""
    want = dict(picked[2])
    offered: dict[str, set[str]] = {}
    for _, _, attrs in skus:
        for axis, value in attrs.items():
            offered.setdefault(axis, set()).add(value)
    if "width" in want and "wide_fit" in customer.scenarios:
        want["width"] = next((w for w in WIDE if w in offered["width"]), want["width"])
    size = want.get("size")
    if size is not None:
        own = customer.slots.get("size") if size.isdigit() else customer.slots.get("cloth")
        if own in offered["size"]:
            want["size"] = own
    return next((sku for sku in skus if sku[2] == want), picked)


def make_orders(demo: Demo, intents: list[OrderIntent]) -> list[Delivered]:
    """Orders, lines and status history from intents; returns the delivered lines."""
    intents = sorted(intents, key=lambda i: (i.created_at, i.customer.id))
    statuses = [_status_for_age(demo, (demo.now - i.created_at).total_seconds() / 86400) for i in intents]
    _cover_every_status(statuses)
    delivered: list[Delivered] = []
    sold: dict[int, int] = {}
    for n, (intent, status) in enumerate(zip(intents, statuses, strict=True)):
        lines = []
        seen_skus: set[int] = set()
        for product in intent.products:
            sku_id, price, attrs = fitting_sku(intent.customer, product.skus, demo.pick(product.skus))
            if sku_id in seen_skus:
                continue
            seen_skus.add(sku_id)
            quantity = 1 if demo.chance(0.88) else 2
            lines.append((product, sku_id, price, attrs, quantity))
        total = sum((price * quantity for _, _, price, _, quantity in lines), Decimal(0))
        order_id = demo.add(
            "orders",
            {
                "customer_id": intent.customer.id,
                "status": status,
                "total": total,
                "storefront_id": intent.storefront_id,
                "live_room_id": intent.live_room_id,
                "search_id": None,
                "idempotency_key": f"demo-{n + 1}",
                "request_fingerprint": None,
                "created_at": intent.created_at,
                "updated_at": intent.created_at,
            },
        )
        for product, sku_id, price, _, quantity in lines:
            demo.add(
                "order_lines",
                {
                    "order_id": order_id,
                    "sku_id": sku_id,
                    "product_id": product.id,
                    "quantity": quantity,
                    "unit_price": price,
                },
            )
        moment = intent.created_at
        previous = None
        manager = demo.shop_manager[lines[0][0].shop_id]
        for step in PATHS[status]:
            if previous is not None:
                low, high = STEP_HOURS[step]
                moment = min(demo.now, moment + timedelta(hours=demo.rng.uniform(low, high)))
            actor = {"placed": intent.customer.id, "cancelled": intent.customer.id, "shipped": manager}.get(
                step
            )
            demo.add(
                "order_status_changes",
                {
                    "order_id": order_id,
                    "from_status": previous,
                    "to_status": step,
                    "changed_by": actor,
                    "changed_at": moment,
                },
            )
            previous = step
        demo.rows["orders"][order_id - 1]["updated_at"] = moment
        if status in ("paid", "shipped", "delivered"):
            for product, _, _, _, quantity in lines:
                sold[product.id] = sold.get(product.id, 0) + quantity
        if status == "delivered":
            for product, _, price, attrs, _ in lines:
                delivered.append(Delivered(intent.customer, product, attrs, price, moment))
    for product_id, quantity in sold.items():
        demo.rows["products"][product_id - 1]["sold_count"] = quantity
    return delivered
