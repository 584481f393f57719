"""Build the demo community in memory and write it to a store in one transaction.

`generate()` is pure: the same seed, scale and clock give the same rows. `seed_demo()` writes them
with bulk inserts (executemany in batches), then lets the store compute the buyer-show badge with
the same SQL the platform uses, so `notes.verified_purchase` always agrees with delivered orders.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.catalog.models import Product
from nichely.community.models import Note
from nichely.community.verification import refresh_product_note_counts, verified_clause
from nichely.demo import activity, catalog, live, notes, orders, people, photos, planted, reactions
from nichely.demo.context import DEMO_NOW, Demo
from nichely.errors import Conflict
from nichely.storage.engine import Database
from nichely.storage.ids import reserve_ids
from nichely.storage.schema import metadata

# Parents before children, so foreign keys hold at every insert.
TABLES = (
    "users",
    "shops",
    "products",
    "skus",
    "storefronts",
    "storefront_items",
    "live_rooms",
    "live_room_products",
    "live_chat_messages",
    "search_log",
    "search_clicks",
    "orders",
    "order_lines",
    "order_status_changes",
    "notes",
    "note_photos",
    "note_tags",
    "note_products",
    "comments",
    "reactions",
    "reports",
    "follows",
    "events",
)
BATCH = 5000
Progress = Callable[[str, float], None]


@dataclass
class Manifest:
    """What was generated, and the planted cases with their ids (the answers the trust work should find)."""

    seed: int
    scale: float
    now: datetime
    password: str
    counts: dict[str, int] = field(default_factory=dict)
    logins: dict[str, list[str]] = field(default_factory=dict)
    ring_user_ids: list[int] = field(default_factory=list)
    ring_shop_id: int = 0
    ring_note_ids: list[int] = field(default_factory=list)
    ring_bursts: list[datetime] = field(default_factory=list)
    undisclosed_ad_note_ids: list[int] = field(default_factory=list)
    near_duplicate_groups: list[list[int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly copy."""
        data = dict(self.__dict__)
        data["now"] = self.now.isoformat()
        data["ring_bursts"] = [b.isoformat() for b in self.ring_bursts]
        return data


def demo_password_hash(seed: int) -> str:
    """An Argon2id hash of the demo password with a salt derived from the seed (so runs are identical)."""
    salt = hashlib.sha256(f"nichely-demo-{seed}".encode()).digest()[:16]
    return hash_secret(
        people.DEMO_PASSWORD.encode(),
        salt,
        time_cost=2,
        memory_cost=19 * 1024,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    ).decode()


def generate(
    seed: int = 7, scale: float = 1.0, now: datetime = DEMO_NOW, progress: Progress | None = None
) -> tuple[Demo, Manifest]:
    """Every demo row, in memory, with ids counted from 1; and the manifest of planted cases."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    report = progress or (lambda _label, _done: None)
    demo = Demo(seed=seed, scale=scale, now=now)
    manifest = Manifest(seed=seed, scale=scale, now=now, password=people.DEMO_PASSWORD)

    report("people", 0.02)
    plan = catalog.shop_plan(demo)
    ring_ids = people.make_people(demo, demo_password_hash(seed), plan)
    report("catalogue", 0.06)
    catalog.make_shops(demo, plan)
    catalog.make_products(demo)
    shelves = catalog.make_storefronts(demo)
    ring_shop = planted.pick_ring_shop(demo)
    people.make_follows(demo, ring_ids, demo.shop_manager[ring_shop])
    people.apply_follow_counts(demo)

    report("live rooms and orders", 0.12)
    intents = live.make_live_rooms(demo) + orders.regular_intents(demo, shelves)
    delivered = orders.make_orders(demo, intents)

    report("notes", 0.2)
    ring = [p for p in demo.people if p.id in ring_ids]
    ring_specs, bursts = planted.ring_notes(demo, ring, ring_shop)
    ad_specs = planted.undisclosed_ads(demo)
    dup_groups = planted.near_duplicates(demo)
    budget = demo.count(10000, 200) - len(ring_specs) - len(ad_specs) - sum(len(g) for g in dup_groups)
    shows = notes.buyer_shows(demo, delivered, budget // 4)
    everyday = notes.experiences(demo, budget - len(shows))
    specs = shows + everyday + ring_specs + ad_specs + [s for g in dup_groups for s in g]
    specs.sort(key=lambda s: (s.created_at, s.author.id))
    note_ids = notes.store_notes(demo, specs)
    id_of = {id(spec): note_id for spec, note_id in zip(specs, note_ids, strict=True)}
    photos.link_photos(demo, specs, note_ids)

    report("likes, saves and comments", 0.3)
    engagement = reactions.Reactions(demo)
    ring_note_ids = sorted(id_of[id(s)] for s in ring_specs)
    shop_notes = [
        id_of[id(s)] for s in specs if s.kind != "ring" and any(p.shop_id == ring_shop for p in s.products)
    ]
    reactions.ring_engagement(demo, engagement, ring_ids, ring_note_ids, shop_notes)
    reactions.organic_engagement(demo, engagement, specs, note_ids)
    ad_ids = sorted(id_of[id(s)] for s in ad_specs)
    reactions.reports(demo, ad_ids + ring_note_ids[:3])

    report("search log and events", 0.4)
    activity.make_searches(demo, {id_of[id(s)]: s.scenario for s in specs if s.kind not in ("ring", "ad")})
    activity.other_events(demo)
    _chronological(demo, "events")

    manifest.counts = {table: len(demo.rows[table]) for table in TABLES}
    manifest.logins = _logins(demo)
    manifest.ring_user_ids = sorted(ring_ids)
    manifest.ring_shop_id = ring_shop
    manifest.ring_note_ids = ring_note_ids
    manifest.ring_bursts = bursts
    manifest.undisclosed_ad_note_ids = ad_ids
    manifest.near_duplicate_groups = [[id_of[id(s)] for s in group] for group in dup_groups]
    return demo, manifest


def _chronological(demo: Demo, table: str) -> None:
    """Renumber a log table so ids follow time (nothing refers to these ids)."""
    rows = sorted(demo.rows[table], key=lambda r: (r["created_at"], r["id"]))
    for n, row in enumerate(rows, start=1):
        row["id"] = n
    demo.rows[table] = rows


def _logins(demo: Demo) -> dict[str, list[str]]:
    by_kind: dict[str, list[str]] = {}
    for person in demo.people:
        by_kind.setdefault(person.kind, []).append(person.username)
    return {kind: names[:5] for kind, names in by_kind.items()}


def is_empty(db: Database) -> bool:
    """True when the store has no people, products or notes yet."""
    with db.read() as session:
        return not any(
            session.scalar(select(func.count()).select_from(model)) for model in (User, Product, Note)
        )


def seed_demo(
    db: Database,
    seed: int = 7,
    scale: float = 1.0,
    now: datetime = DEMO_NOW,
    progress: Progress | None = None,
    media_dir: Path | None = None,
) -> Manifest:
    """Generate the demo and write it to an empty store in one transaction.

    With `media_dir`, the photo library is written there (files already present are kept) and notes
    link to it; without one, the notes have no photos.
    """
    report = progress or (lambda _label, _done: None)
    if not is_empty(db):
        raise Conflict("the store already has data; the demo only seeds an empty store")
    demo, manifest = generate(seed, scale, now, report)
    if media_dir is None:
        demo.rows["note_photos"] = []
        manifest.counts["note_photos"] = 0
    else:
        report("drawing photos", 0.42)
        photos.write_library(media_dir, photos.library(seed))
    total = sum(len(demo.rows[t]) for t in TABLES) or 1
    done = 0
    with db.write() as session:
        for name in TABLES:
            rows = demo.rows[name]
            table = metadata.tables[name]
            if "id" in table.c and rows:
                _check_ids(session, name, len(rows))
            for start in range(0, len(rows), BATCH):
                session.execute(insert(table), rows[start : start + BATCH])
                done += len(rows[start : start + BATCH])
                report(f"writing {name}", 0.45 + 0.5 * done / total)
        report("buyer-show badges", 0.97)
        session.execute(update(Note).values(verified_purchase=verified_clause(), updated_at=Note.updated_at))
        refresh_product_note_counts(session, select(Product.id))
    report("done", 1.0)
    return manifest


def _check_ids(session: Session, name: str, count: int) -> None:
    # Ids were counted from 1 in memory; reserving them keeps PostgreSQL's sequences ahead of them.
    ids = reserve_ids(session, metadata.tables[name], count)
    if ids[0] != 1 or ids[-1] != count:
        raise Conflict(f"table {name} has used ids before; the demo needs a freshly created store")
