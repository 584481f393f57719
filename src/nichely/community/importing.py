"""Importing notes in bulk from CSV or JSON Lines.

Columns: author (a username), title, body, language (zh, en, es or auto), tags (JSON list or
comma-separated), product_ids and/or product_uids (JSON list or separated by ';' or ','),
optionally disclosure with sponsor_shop (a shop name) and created_at (ISO 8601). Each row passes
the rules of `community.service.create_note` (reused from there); the first bad row stops the
import with its line number, and the caller's single transaction leaves the store untouched.
After the insert the buyer-show badge is computed with the platform's own SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog.models import Product, Shop
from nichely.community import service
from nichely.community.models import Note
from nichely.community.verification import refresh_product_note_counts, verified_clause
from nichely.errors import InvalidInput, NichelyError
from nichely.search import index as search_index
from nichely.storage.base import utcnow
from nichely.storage.ids import reserve_ids
from nichely.storage.records import Record, json_field
from nichely.storage.schema import metadata

TABLES = metadata.tables
BATCH = 2000
Progress = Callable[[int], None]
_SEPARATORS = re.compile(r"[;,]")


@dataclass
class NoteRow:
    line: int
    author: str
    title: str
    body: str
    language: str
    tags: list[str]
    product_ids: list[int]
    product_uids: list[str]
    disclosure: str
    sponsor_shop: str | None
    created_at: datetime | None


@dataclass
class NoteImportReport:
    notes: int = 0
    links: int = 0
    authors: set[int] = field(default_factory=set)


def _list(value: Any, name: str, line: int) -> list[str]:
    """A list column: JSON in JSON Lines, JSON or 'a;b' / 'a,b' in CSV."""
    if isinstance(value, str) and value.strip().startswith("["):
        value = json_field(value, name, line)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [item.strip() for item in _SEPARATORS.split(value) if item.strip()]
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    if isinstance(value, int) and not isinstance(value, bool):
        return [str(value)]
    raise InvalidInput(f"{name} must be a list")


def _created_at(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"created_at must be an ISO 8601 date-time, got {str(value)[:30]!r}") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz=None).replace(tzinfo=None)
    return moment


def parse_note(record: Record, line: int) -> NoteRow:
    """Validate one record into a NoteRow; errors name the line."""
    try:
        author = str(record.get("author") or record.get("username") or "").strip().lower()
        if not author:
            raise InvalidInput("author (a username) is required", field="author")
        title = service.check_text(record.get("title") or "", "title", service.MAX_TITLE)
        body = service.check_text(record.get("body") or "", "body", service.MAX_BODY)
        language = service._resolve_language(record.get("language") or None, title, body)
        ids = []
        for raw in _list(record.get("product_ids"), "product_ids", line):
            if not raw.isdigit():
                raise InvalidInput(f"product_ids must be whole numbers, got {raw!r}", field="product_ids")
            ids.append(int(raw))
        disclosure = str(record.get("disclosure") or "none")
        if disclosure not in ("none", "sponsored", "gifted"):
            raise InvalidInput(
                f"disclosure must be one of ['none', 'sponsored', 'gifted'], got {disclosure!r}"
            )
        sponsor = record.get("sponsor_shop") or None
        if (disclosure == "none") != (sponsor is None):
            raise InvalidInput("a sponsored or gifted note names its sponsor_shop, and only such a note does")
        return NoteRow(
            line=line,
            author=author,
            title=title,
            body=body,
            language=language,
            tags=service.normalise_tags(_list(record.get("tags"), "tags", line)),
            product_ids=ids,
            product_uids=_list(record.get("product_uids"), "product_uids", line),
            disclosure=disclosure,
            sponsor_shop=str(sponsor) if sponsor else None,
            created_at=_created_at(record.get("created_at")),
        )
    except NichelyError as exc:
        raise type(exc)(f"line {line}: {exc.detail}", **exc.extra) from None


class _Lookups:
    """Users, products and shops named by rows, fetched once per batch."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.users: dict[str, int] = {}
        self.product_ids: set[int] = set()
        self.uids: dict[str, int] = {}
        self.shops: dict[str, int] = {}

    def load(self, batch: list[NoteRow]) -> None:
        names = {row.author for row in batch} - set(self.users)
        if names:
            self.users.update(
                self.session.execute(select(User.username, User.id).where(User.username.in_(names))).all()
            )
        ids = {i for row in batch for i in row.product_ids} - self.product_ids
        if ids:
            self.product_ids.update(self.session.scalars(select(Product.id).where(Product.id.in_(ids))))
        uids = {u for row in batch for u in row.product_uids} - set(self.uids)
        if uids:
            found = self.session.execute(
                select(Product.external_uid, Product.id).where(Product.external_uid.in_(uids))
            )
            self.uids.update((uid, pid) for uid, pid in found.all() if uid is not None)
        shops = {row.sponsor_shop for row in batch if row.sponsor_shop} - set(self.shops)
        if shops:
            self.shops.update(
                self.session.execute(select(Shop.name, Shop.id).where(Shop.name.in_(shops))).all()
            )

    def resolve(self, row: NoteRow) -> tuple[int, list[int], int | None]:
        if row.author not in self.users:
            raise InvalidInput(f"line {row.line}: no user named {row.author!r}", field="author")
        products = []
        for product_id in row.product_ids:
            if product_id not in self.product_ids:
                raise InvalidInput(
                    f"line {row.line}: product {product_id} does not exist", field="product_ids"
                )
            products.append(product_id)
        for uid in row.product_uids:
            if uid not in self.uids:
                raise InvalidInput(
                    f"line {row.line}: no product with product_uid {uid!r}", field="product_uids"
                )
            products.append(self.uids[uid])
        products = list(dict.fromkeys(products))
        if len(products) > service.MAX_PRODUCTS:
            raise InvalidInput(f"line {row.line}: a note may link at most {service.MAX_PRODUCTS} products")
        sponsor = None
        if row.sponsor_shop:
            if row.sponsor_shop not in self.shops:
                raise InvalidInput(
                    f"line {row.line}: no shop named {row.sponsor_shop!r}", field="sponsor_shop"
                )
            sponsor = self.shops[row.sponsor_shop]
        return self.users[row.author], products, sponsor


def _write(session: Session, batch: list[NoteRow], lookups: _Lookups, report: NoteImportReport) -> None:
    lookups.load(batch)
    resolved = [lookups.resolve(row) for row in batch]
    ids = reserve_ids(session, TABLES["notes"], len(batch))
    now = utcnow()
    notes: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for note_id, row, (author_id, products, sponsor) in zip(ids, batch, resolved, strict=True):
        created = row.created_at or now
        notes.append(
            {
                "id": note_id,
                "author_id": author_id,
                "language": row.language,
                "title": row.title,
                "body": row.body,
                "disclosure": row.disclosure,
                "sponsor_shop_id": sponsor,
                "status": "published",
                "verified_purchase": False,
                "like_count": 0,
                "save_count": 0,
                "comment_count": 0,
                "created_at": created,
                "updated_at": created,
            }
        )
        tags.extend({"note_id": note_id, "tag": tag} for tag in row.tags)
        links.extend({"note_id": note_id, "product_id": product_id} for product_id in products)
        report.authors.add(author_id)
    session.execute(insert(TABLES["notes"]), notes)
    if tags:
        session.execute(insert(TABLES["note_tags"]), tags)
    if links:
        session.execute(insert(TABLES["note_products"]), links)
    session.execute(
        update(Note)
        .where(Note.id.in_(ids))
        .values(verified_purchase=verified_clause(), updated_at=Note.updated_at)
    )
    if links:
        refresh_product_note_counts(session, sorted({link["product_id"] for link in links}))
    search_index.index_notes(session, ids)
    report.notes += len(notes)
    report.links += len(links)


def import_notes(
    session: Session, records: Iterable[tuple[int, Record]], *, progress: Progress | None = None
) -> NoteImportReport:
    """Validate and insert every record in the caller's transaction; the first bad row raises."""
    report = NoteImportReport()
    lookups = _Lookups(session)
    batch: list[NoteRow] = []
    for line, record in records:
        batch.append(parse_note(record, line))
        if len(batch) >= BATCH:
            _write(session, batch, lookups, report)
            batch = []
            if progress:
                progress(report.notes)
    if batch:
        _write(session, batch, lookups, report)
    if progress:
        progress(report.notes)
    return report
