"""Importing products in bulk from CSV or JSON Lines.

Columns: title (or product_title), description, category, attributes (JSON object), skus (JSON
list of {attributes, price, stock}) or price/stock for a single SKU, product_uid (or
external_uid) and shop. Each row passes the same value checks as `catalog.service.create_product`
(reused from there); a bad row stops the import with its line number and, because the caller
runs it in one transaction, nothing is written. Rows are inserted in batches with ids reserved
up front, so a 50,000-row feed takes seconds.

A row without a shop goes to the default shop ("Imported catalogue" unless told otherwise),
created on demand and run by the `system` account; a row without a price gets one SKU at 0.00
with no stock, so a bare `product_uid,product_title` feed still makes valid products.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog import service
from nichely.catalog.models import Product, Shop
from nichely.errors import Conflict, InvalidInput, NichelyError
from nichely.search import index as search_index
from nichely.storage.base import utcnow
from nichely.storage.ids import reserve_ids
from nichely.storage.records import Record, json_field
from nichely.storage.schema import metadata

DEFAULT_SHOP = "Imported catalogue"
SYSTEM_USERNAME = "system"
# A hash no password can match: the system account exists to own imported shops, not to log in.
UNUSABLE_PASSWORD = "!unusable"
TABLES = metadata.tables
BATCH = 5000
Progress = Callable[[int], None]


@dataclass
class ProductRow:
    """One validated product of a feed."""

    line: int
    title: str
    description: str
    category: str
    attributes: dict[str, Any]
    skus: list[tuple[dict[str, str], Decimal, int]]
    external_uid: str | None
    shop: str | None
    status: str = "active"


@dataclass
class ImportReport:
    """What an import wrote."""

    products: int = 0
    skus: int = 0
    shops_created: list[str] = field(default_factory=list)


def _text(record: Record, *names: str) -> Any:
    for name in names:
        value = record.get(name)
        if value is not None and value != "":
            return value
    return None


def _uid(value: Any, line: int) -> str | None:
    if value is None:
        return None
    uid = str(value).strip()
    if len(uid) > 80:
        raise InvalidInput(f"line {line}: product_uid must have at most 80 characters")
    return uid or None


def _skus(record: Record, line: int) -> list[tuple[dict[str, str], Decimal, int]]:
    raw = json_field(record.get("skus"), "skus", line)
    single = raw is None
    if single:
        price = record.get("price")
        stock = record.get("stock")
        raw = [
            {
                "price": price if price not in (None, "") else "0",
                "stock": stock if stock not in (None, "") else 0,
            }
        ]
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("skus must be a non-empty JSON list")
    if len(raw) > service.MAX_SKUS:
        raise InvalidInput(f"a product may have at most {service.MAX_SKUS} SKUs")
    skus = []
    seen: set[tuple[tuple[str, str], ...]] = set()
    for i, spec in enumerate(raw):
        if not isinstance(spec, Mapping) or "price" not in spec:
            raise InvalidInput(f"skus.{i} must be an object with attributes, price and stock")
        prefix = "" if single else f"skus.{i}."
        attributes = service.clean_sku_attributes(spec.get("attributes"), f"{prefix}attributes")
        price = service.parse_price(spec["price"], f"{prefix}price")
        stock = spec.get("stock", 0)
        if isinstance(stock, str) and stock.strip().lstrip("-").isdigit():
            stock = int(stock)
        stock = service.parse_count(stock, f"{prefix}stock", low=0, high=service.MAX_STOCK)
        key = tuple(sorted(attributes.items()))
        if key in seen:
            raise InvalidInput(f"two SKUs have the same attributes {attributes}")
        seen.add(key)
        skus.append((attributes, price, stock))
    return skus


def _status(value: Any) -> str:
    status = value or "active"
    if status not in service.PRODUCT_STATUSES:
        raise InvalidInput(f"status must be one of {list(service.PRODUCT_STATUSES)}, got {status!r}")
    return str(status)


def parse_product(record: Record, line: int, default_shop: str | None = None) -> ProductRow:
    """Validate one record into a ProductRow; errors name the line."""
    try:
        title = service.clean_text(_text(record, "title", "product_title") or "", "title", 300, required=True)
        attributes = service.clean_product_attributes(
            json_field(record.get("attributes"), "attributes", line)
        )
        shop = _text(record, "shop", "shop_name") or default_shop
        return ProductRow(
            line=line,
            title=title,
            description=service.clean_text(
                _text(record, "description", "product_description"), "description", 20000
            ),
            category=service.clean_text(record.get("category") or "", "category", 120).lower(),
            attributes=attributes,
            skus=_skus(record, line),
            external_uid=_uid(_text(record, "product_uid", "external_uid"), line),
            shop=service.clean_text(shop, "shop", 120) if shop is not None else None,
            status=_status(record.get("status")),
        )
    except NichelyError as exc:
        if exc.detail.startswith("line "):
            raise
        raise type(exc)(f"line {line}: {exc.detail}", **exc.extra) from None


def system_manager(session: Session) -> User:
    """The account that runs shops created by imports (made on first use; it cannot log in)."""
    user = session.scalar(select(User).where(User.username == SYSTEM_USERNAME))
    if user is None:
        user = User(
            username=SYSTEM_USERNAME,
            password_hash=UNUSABLE_PASSWORD,
            display_name="Nichely import",
            roles=["manager"],
            bio="Owns shops created by catalogue imports.",
            languages=[],
            interests=[],
        )
        session.add(user)
        session.flush()
    return user


class _Shops:
    """Shop ids by name, creating missing shops through the catalog rules."""

    def __init__(self, session: Session, report: ImportReport) -> None:
        self.session = session
        self.report = report
        self.ids: dict[str, int] = {}

    def id_for(self, name: str, line: int) -> int:
        if name not in self.ids:
            shop_id = self.session.scalar(select(Shop.id).where(Shop.name == name))
            if shop_id is None:
                try:
                    shop_id = service.create_shop(self.session, system_manager(self.session), name=name).id
                except NichelyError as exc:
                    raise type(exc)(f"line {line}: {exc.detail}", **exc.extra) from None
                self.report.shops_created.append(name)
            self.ids[name] = shop_id
        return self.ids[name]


def _write(session: Session, batch: list[ProductRow], shops: _Shops, report: ImportReport) -> None:
    uids = [row.external_uid for row in batch if row.external_uid]
    if uids:
        taken = set(session.scalars(select(Product.external_uid).where(Product.external_uid.in_(uids))))
        for row in batch:
            if row.external_uid in taken:
                raise Conflict(
                    f"line {row.line}: product_uid {row.external_uid!r} already exists in the store"
                )
    ids = reserve_ids(session, TABLES["products"], len(batch))
    now = utcnow()
    products: list[dict[str, Any]] = []
    skus: list[dict[str, Any]] = []
    for product_id, row in zip(ids, batch, strict=True):
        products.append(
            {
                "id": product_id,
                "shop_id": shops.id_for(row.shop or DEFAULT_SHOP, row.line),
                "external_uid": row.external_uid,
                "title": row.title,
                "description": row.description,
                "category": row.category,
                "attributes": row.attributes,
                "status": row.status,
                "note_count": 0,
                "buyer_show_count": 0,
                "sold_count": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
        skus.extend(
            {"product_id": product_id, "attributes": a, "price": p, "stock": s} for a, p, s in row.skus
        )
    session.execute(insert(TABLES["products"]), products)
    session.execute(insert(TABLES["skus"]), skus)
    search_index.index_products(session, ids)
    report.products += len(products)
    report.skus += len(skus)


def import_products(
    session: Session,
    records: Iterable[tuple[int, Record]],
    *,
    default_shop: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate and insert every record in the caller's transaction; the first bad row raises."""
    report = ImportReport()
    shops = _Shops(session, report)
    seen_uids: dict[str, int] = {}
    batch: list[ProductRow] = []
    for line, record in records:
        row = parse_product(record, line, default_shop)
        if row.external_uid is not None:
            if row.external_uid in seen_uids:
                raise InvalidInput(
                    f"line {line}: product_uid {row.external_uid!r} repeats line {seen_uids[row.external_uid]}"
                )
            seen_uids[row.external_uid] = line
        batch.append(row)
        if len(batch) >= BATCH:
            _write(session, batch, shops, report)
            batch = []
            if progress:
                progress(report.products)
    if batch:
        _write(session, batch, shops, report)
    if progress:
        progress(report.products)
    return report
