"""Export the store as JSON Lines: products, notes, users (never password hashes) and orders.

Products and notes come out in the shape `nichely import products` / `import notes` read back.
Products are named by `product_uid` (their external uid, or `nichely:<id>` when they have none),
and notes point at products by those uids, so a round trip into another store keeps the links.
Rows are streamed in id order, so memory stays flat on large stores.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog.models import Product, Shop, Sku
from nichely.commerce.models import Order, OrderLine
from nichely.community.models import Note, NoteProduct, NoteTag
from nichely.storage.engine import Database
from nichely.storage.records import write_jsonl

CHUNK = 2000
FILES = ("products", "notes", "users", "orders")


def product_uid(external_uid: str | None, product_id: int) -> str:
    """The name a product carries in exports."""
    return external_uid or f"nichely:{product_id}"


def _chunks(session: Session, model: Any) -> Iterator[list[Any]]:
    """Rows of `model` in id order, a chunk at a time (keyset paging works on both stores)."""
    last = 0
    while True:
        rows = list(session.scalars(select(model).where(model.id > last).order_by(model.id).limit(CHUNK)))
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _uids(session: Session, product_ids: set[int]) -> dict[int, str]:
    if not product_ids:
        return {}
    rows = session.execute(select(Product.id, Product.external_uid).where(Product.id.in_(product_ids)))
    return {pid: product_uid(uid, pid) for pid, uid in rows.all()}


def products(session: Session) -> Iterator[dict[str, Any]]:
    shops = dict(session.execute(select(Shop.id, Shop.name)).all())
    for chunk in _chunks(session, Product):
        skus: dict[int, list[dict[str, Any]]] = {}
        for sku in session.scalars(
            select(Sku).where(Sku.product_id.in_([p.id for p in chunk])).order_by(Sku.id)
        ):
            skus.setdefault(sku.product_id, []).append(
                {"attributes": sku.attributes, "price": str(sku.price), "stock": sku.stock}
            )
        for p in chunk:
            yield {
                "product_uid": product_uid(p.external_uid, p.id),
                "title": p.title,
                "description": p.description,
                "category": p.category,
                "attributes": p.attributes,
                "skus": skus.get(p.id, []),
                "shop": shops[p.shop_id],
                "status": p.status,
                "created_at": p.created_at,
            }


def notes(session: Session) -> Iterator[dict[str, Any]]:
    shops = dict(session.execute(select(Shop.id, Shop.name)).all())
    users = dict(session.execute(select(User.id, User.username)).all())
    for chunk in _chunks(session, Note):
        ids = [n.id for n in chunk]
        tags: dict[int, list[str]] = {}
        for note_id, tag in session.execute(
            select(NoteTag.note_id, NoteTag.tag)
            .where(NoteTag.note_id.in_(ids))
            .order_by(NoteTag.note_id, NoteTag.tag)
        ).all():
            tags.setdefault(note_id, []).append(tag)
        links: dict[int, list[int]] = {}
        for note_id, product_id in session.execute(
            select(NoteProduct.note_id, NoteProduct.product_id)
            .where(NoteProduct.note_id.in_(ids))
            .order_by(NoteProduct.note_id, NoteProduct.product_id)
        ).all():
            links.setdefault(note_id, []).append(product_id)
        uids = _uids(session, {p for ps in links.values() for p in ps})
        for n in chunk:
            yield {
                "author": users[n.author_id],
                "title": n.title,
                "body": n.body,
                "language": n.language,
                "tags": tags.get(n.id, []),
                "product_uids": [uids[p] for p in links.get(n.id, [])],
                "disclosure": n.disclosure,
                "sponsor_shop": shops.get(n.sponsor_shop_id) if n.sponsor_shop_id else None,
                "status": n.status,
                "verified_purchase": n.verified_purchase,
                "created_at": n.created_at,
            }


def users(session: Session) -> Iterator[dict[str, Any]]:
    for chunk in _chunks(session, User):
        for u in chunk:
            yield {
                "username": u.username,
                "display_name": u.display_name,
                "roles": u.roles,
                "bio": u.bio,
                "languages": u.languages,
                "interests": u.interests,
                "status": u.status,
                "created_at": u.created_at,
            }


def orders(session: Session) -> Iterator[dict[str, Any]]:
    users = dict(session.execute(select(User.id, User.username)).all())
    for chunk in _chunks(session, Order):
        lines: dict[int, list[OrderLine]] = {}
        for line in session.scalars(
            select(OrderLine).where(OrderLine.order_id.in_([o.id for o in chunk])).order_by(OrderLine.id)
        ):
            lines.setdefault(line.order_id, []).append(line)
        uids = _uids(session, {line.product_id for ls in lines.values() for line in ls})
        skus: dict[int, dict[str, str]] = dict(
            session.execute(
                select(Sku.id, Sku.attributes).where(
                    Sku.id.in_([line.sku_id for ls in lines.values() for line in ls])
                )
            ).all()
        )
        for o in chunk:
            yield {
                "id": o.id,
                "customer": users[o.customer_id],
                "status": o.status,
                "total": str(o.total),
                "storefront_id": o.storefront_id,
                "live_room_id": o.live_room_id,
                "created_at": o.created_at,
                "lines": [
                    {
                        "product_uid": uids[line.product_id],
                        "sku": skus.get(line.sku_id, {}),
                        "quantity": line.quantity,
                        "unit_price": str(line.unit_price),
                    }
                    for line in lines.get(o.id, [])
                ],
            }


EXPORTERS = {"products": products, "notes": notes, "users": users, "orders": orders}


def export_store(db: Database, out_dir: Path) -> dict[str, int]:
    """Write <out_dir>/{products,notes,users,orders}.jsonl; returns the row count of each file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    with db.read() as session:
        for name, exporter in EXPORTERS.items():
            counts[name] = write_jsonl(out_dir / f"{name}.jsonl", exporter(session))
    return counts
