"""Demand insight at platform scale: time and peak memory of unmet needs and SKU fit.

1. Generates a store created with the project's migrations, with seeded bulk inserts (SQLAlchemy
   core `insert()` executemany, the secondary indexes of the big tables built once at the end):
   50,000 people with 0-2 interests from 20 segments, 100 shops selling 2,000 products with 12
   SKUs each (size x width x colour), `--searches` search-log rows over 60 days (a Zipf-like mix of
   2,160 head queries and many long-tail ones in English, Spanish and Chinese made from word
   lists; some head wordings with their words reordered; ~15% found nothing; ~40% led to a click),
   and `--order-lines` order lines over 180 days, ~5% of orders refunded and ~3% cancelled, with
   one planted preference: people into "wide feet" buy width=wide 3x as often as others. A few
   thousand notes (a share of them buyer shows) give the live search something to find; products
   and notes are put in the search index with the project's `reindex`.
2. Runs each analysis in a fresh child process (so its peak RSS is its own): `unmet_needs` over
   30 days without and with the live supply measurement, `sku_fit` over 180 days for the busiest
   shop and for the whole store. Prints wall time, peak RSS, what was read and found, checks the
   planted preference is reported, and ends with a markdown table of the results.

    python benchmarks/insight_scale.py --dir bench-insight

With `--postgres URL` the same generator fills the database `nichely_bench_insight` on that
server (dropped and created again, migrated) and the analyses are measured there too. `--reuse`
keeps a store (and a PostgreSQL database) that a previous run generated completely with the same
sizes and seed. `--profile` also runs each analysis under cProfile and prints its top entries.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import pstats
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import search_load
from psycopg import sql
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.activity.models import SearchLog
from nichely.catalog.models import Product, Shop, Sku
from nichely.commerce.models import ORDER_STATUSES, Order, OrderLine
from nichely.community.models import Note, NoteProduct
from nichely.storage.engine import Database, open_database
from nichely.storage.ids import reserve_ids
from nichely.storage.migrate import upgrade

BATCH = 50_000
PG_DATABASE = "nichely_bench_insight"
NOW = datetime(2026, 1, 1)
SEARCH_DAYS = 60
ORDER_DAYS = 180
USERS = 50_000
SHOPS = 100
PRODUCTS = 2_000
NOTES = 3_000
# Tables whose secondary indexes are dropped during the load and built once at the end.
BIG_TABLES = ("search_log", "orders", "order_lines")

SEGMENTS = [
    "wide feet",
    "trail running",
    "marathon training",
    "dorm life",
    "small kitchen",
    "new parents",
    "cat owners",
    "dog owners",
    "light sleepers",
    "bike commuting",
    "carry-on travel",
    "home office",
    "plus-size fashion",
    "sensitive skin",
    "hiking",
    "minimalism",
    "vegan living",
    "rainy city",
    "back pain",
    "budget buys",
]
PLANTED_SEGMENT = "wide feet"
BASE_WIDE = 0.15  # share of units in width=wide for everyone else
PLANTED_WIDE = 0.45  # for the planted segment: 3x

# The same product types, adjectives and needs as the search benchmark's queries.
TYPES = [(en, zh, es) for en, zh, es, _category in search_load.TYPES]
ADJECTIVES = search_load.ADJECTIVES
NEEDS = search_load.NEEDS
# Long-tail queries add one or two of these to a product type (and often an adjective and a need).
EXTRAS = [
    ("under 50 euros", "50元以内", "por menos de 50 euros"),
    ("black", "黑色", "negro"),
    ("grey", "灰色", "gris"),
    ("for winter", "冬天用", "para invierno"),
    ("for summer", "夏天用", "para verano"),
    ("with pockets", "带口袋", "con bolsillos"),
    ("vegan", "纯素材质", "vegano"),
    ("for kids", "儿童款", "para niños"),
    ("second hand", "二手", "de segunda mano"),
    ("easy to clean", "好清洗", "fácil de limpiar"),
    ("for travel", "旅行用", "para viajar"),
    ("gift idea", "送礼", "idea de regalo"),
    ("recycled", "再生材料", "reciclado"),
    ("for beginners", "新手", "para principiantes"),
    ("long lasting", "耐用", "duradero"),
    ("no smell", "没有异味", "sin olor"),
    ("for tall people", "适合高个子", "para personas altas"),
    ("for a small flat", "小户型", "para un piso pequeño"),
    ("for night shifts", "夜班", "para turnos de noche"),
    ("made in europe", "欧洲制造", "hecho en europa"),
]
LANGS = ("en", "zh", "es")
COLOURS = ["black", "white", "grey", "blue", "red"]
WIDTHS = ["regular", "wide"]
SHOE_SIZES = [str(s) for s in range(38, 46)]
CLOTH_SIZES = ["S", "M", "L", "XL"]
# Order statuses and their shares (the real names from the order life cycle).
STATUS_SHARE = {
    "placed": 0.04,
    "paid": 0.06,
    "shipped": 0.10,
    "delivered": 0.72,
    "cancelled": 0.03,
    "refunded": 0.05,
}
assert set(STATUS_SHARE) == set(ORDER_STATUSES)
HASH = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$J8qCjcGx0s5ZfUeMUaF3Kg"


def peak_mib() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def own_peak_mib() -> float:
    """Peak resident memory of this process image, in MiB: VmHWM, since getrusage's ru_maxrss
    carries the parent's peak over into a spawned child on Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_mib()


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    )


def stamps(rng: np.random.Generator, n: int, days: int) -> list[datetime]:
    """`n` moments over the `days` days before NOW, oldest first (ids then follow time)."""
    seconds = np.sort(rng.uniform(0, days * 86_400, n))[::-1]
    return [NOW - timedelta(seconds=float(s)) for s in seconds]


def zipf_weights(n: int, exponent: float) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** exponent
    return w / w.sum()


# --- the store -----------------------------------------------------------------------------


def secondary_indexes(session: Session, dialect: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the plain secondary indexes on BIG_TABLES."""
    if dialect == "sqlite":
        rows = session.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('search_log', 'orders', 'order_lines')"
            )
        )
    else:
        rows = session.execute(
            text(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "WHERE t.relname IN ('search_log', 'orders', 'order_lines') "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)"
            )
        )
    return [(name, statement) for name, statement in rows]


def write(
    session: Session, model: Any, rows: Iterable[dict[str, Any]], bars: Progress, label: str, total: int
) -> None:
    """Insert `rows` into `model`'s table, BATCH rows per executemany."""
    task = bars.add_task(label, total=total)
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            session.execute(insert(model), batch)
            bars.advance(task, len(batch))
            batch = []
    if batch:
        session.execute(insert(model), batch)
        bars.advance(task, len(batch))


def people(rng: np.random.Generator, first_id: int) -> tuple[list[dict[str, Any]], list[frozenset[str]]]:
    counts = rng.choice(3, size=USERS, p=[0.3, 0.45, 0.25])
    rows, interests = [], []
    for i in range(USERS):
        chosen = [SEGMENTS[s] for s in rng.choice(len(SEGMENTS), size=counts[i], replace=False)]
        interests.append(frozenset(chosen))
        uid = first_id + i
        rows.append(
            {
                "id": uid,
                "username": f"p{uid}",
                "password_hash": HASH,
                "display_name": f"Person {uid}",
                "roles": ["shopper"],
                "bio": "",
                "languages": [LANGS[i % 3]],
                "interests": chosen,
                "status": "active",
                "violation_points": 0,
                "follower_count": 0,
                "following_count": 0,
                "created_at": NOW - timedelta(days=400),
            }
        )
    return rows, interests


def catalogue(
    rng: np.random.Generator,
    user_ids: list[int],
    shop_ids: list[int],
    product_ids: list[int],
    sku_ids: list[int],
) -> tuple[list, list, list, np.ndarray]:
    """Shops, products, SKUs (3 sizes x 2 widths x 2 colours per product) and each product's type."""
    shops = [
        {
            "id": s,
            "manager_id": user_ids[k],
            "name": f"Shop {k + 1}",
            "description": "",
            "created_at": NOW - timedelta(days=365),
        }
        for k, s in enumerate(shop_ids)
    ]
    products, skus, types = [], [], np.empty(PRODUCTS, dtype=np.int64)
    per_shop = PRODUCTS // SHOPS
    for k, pid in enumerate(product_ids):
        t, a = int(rng.integers(len(TYPES))), int(rng.integers(len(ADJECTIVES)))
        lang = int(rng.choice(3, p=[0.5, 0.35, 0.15]))
        need = NEEDS[int(rng.integers(len(NEEDS)))][lang]
        types[k] = t
        products.append(
            {
                "id": pid,
                "shop_id": shop_ids[min(k // per_shop, SHOPS - 1)],
                "title": f"{ADJECTIVES[a][lang]} {TYPES[t][lang]} {k % 97}",
                "description": f"{TYPES[t][lang]} {need}.",
                "category": TYPES[t][0],
                "attributes": {},
                "status": "active",
                "note_count": 0,
                "buyer_show_count": 0,
                "sold_count": 0,
                "created_at": NOW - timedelta(days=300),
                "updated_at": NOW - timedelta(days=300),
            }
        )
        sizes = SHOE_SIZES if "shoes" in TYPES[t][0] else CLOTH_SIZES
        start = int(rng.integers(len(sizes) - 2))
        colours = rng.choice(len(COLOURS), size=2, replace=False)
        for s in range(3):
            for w in range(2):
                for c in range(2):
                    skus.append(
                        {
                            "id": sku_ids[len(skus)],
                            "product_id": pid,
                            "attributes": {
                                "size": sizes[start + s],
                                "width": WIDTHS[w],
                                "colour": COLOURS[colours[c]],
                            },
                            "price": Decimal(20 + (k * 7) % 180),
                            "stock": 50,
                        }
                    )
    return shops, products, skus, types


def search_rows(
    rng: np.random.Generator, n: int, first_id: int, user_ids: np.ndarray
) -> Iterator[dict[str, Any]]:
    """`n` search-log rows: 65% head queries (Zipf over ~2,000 wordings, some reordered), 35% long tail."""
    heads: list[tuple[str, str, str | None]] = []  # (query, language, reordered wording)
    for lang, code in enumerate(LANGS):
        sep = "" if code == "zh" else " "
        for t in TYPES:
            heads.append((t[lang], code, None))
            for a in ADJECTIVES:
                heads.append((f"{a[lang]}{sep}{t[lang]}", code, f"{t[lang]}{sep}{a[lang]}"))
            for nd in NEEDS:
                heads.append((f"{t[lang]}{sep}{nd[lang]}", code, f"{nd[lang]}{sep}{t[lang]}"))
                for a in ADJECTIVES:
                    heads.append(
                        (
                            f"{a[lang]}{sep}{t[lang]}{sep}{nd[lang]}",
                            code,
                            f"{t[lang]}{sep}{nd[lang]}{sep}{a[lang]}",
                        )
                    )
    order = rng.permutation(len(heads))
    head_p = zipf_weights(len(heads), 1.0)
    # How often each head query finds nothing: most rarely, a few (the unmet needs) often.
    head_zero = rng.beta(0.4, 4.0, len(heads))
    is_head = rng.random(n) < 0.65
    head_pick = order[rng.choice(len(heads), size=n, p=head_p)]
    reorder = rng.random(n) < 0.15
    lang_pick = rng.choice(3, size=n, p=[0.45, 0.35, 0.2])
    t_pick = rng.integers(len(TYPES), size=n)
    a_pick = rng.integers(-2, len(ADJECTIVES), size=n)  # negative: no adjective
    nd_pick = rng.integers(-2, len(NEEDS), size=n)  # negative: no need
    e1 = rng.integers(len(EXTRAS), size=n)
    e2 = rng.integers(-len(EXTRAS), len(EXTRAS), size=n)  # negative: one extra only
    roll_zero, roll_click = rng.random(n), rng.random(n)
    clicks = rng.integers(1, 4, size=n)
    results = rng.integers(1, 200, size=n)
    signed_in = rng.random(n) < 0.7
    who = rng.choice(user_ids, size=n)
    moments = stamps(rng, n, SEARCH_DAYS)
    for i in range(n):
        if is_head[i]:
            h = int(head_pick[i])
            query, code, variant = heads[h]
            if variant and reorder[i]:
                query = variant
            zero_p, click_p, long_tail = float(head_zero[h]), 0.5, False
        else:
            lang = int(lang_pick[i])
            code = LANGS[lang]
            parts = []
            if a_pick[i] >= 0:
                parts.append(ADJECTIVES[a_pick[i]][lang])
            parts.append(TYPES[t_pick[i]][lang])
            if nd_pick[i] >= 0:
                parts.append(NEEDS[nd_pick[i]][lang])
            parts.append(EXTRAS[e1[i]][lang])
            if e2[i] >= 0 and e2[i] != e1[i]:
                parts.append(EXTRAS[e2[i]][lang])
            query = ("" if code == "zh" else " ").join(parts)
            zero_p, click_p, long_tail = 0.27, 0.35, True
        zero = roll_zero[i] < zero_p
        yield {
            "id": first_id + i,
            "user_id": int(who[i]) if signed_in[i] else None,
            "query": query,
            "language": code,
            "is_long_tail": long_tail,
            "result_count": 0 if zero else int(results[i]),
            "click_count": int(clicks[i]) if not zero and roll_click[i] < click_p else 0,
            "created_at": moments[i],
        }


def order_plan(rng: np.random.Generator, lines: int) -> np.ndarray:
    """Lines per order (1-3), adding up to exactly `lines`."""
    per_order = rng.integers(1, 4, size=max(lines, 1))
    ends = np.cumsum(per_order)
    n_orders = int(np.searchsorted(ends, lines)) + 1
    per_order = per_order[:n_orders].copy()
    per_order[-1] -= int(ends[n_orders - 1]) - lines
    return per_order


def order_rows(
    rng: np.random.Generator,
    per_order: np.ndarray,
    order_ids: list[int],
    line_ids: list[int],
    user_ids: np.ndarray,
    planted: np.ndarray,
    product_ids: list[int],
    sku_ids: list[int],
) -> tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]]:
    """Orders and their lines; the planted segment picks width=wide 3x as often as everyone else."""
    n_orders, lines = len(per_order), int(per_order.sum())
    customer_pos = rng.integers(len(user_ids), size=n_orders)
    status_names = list(STATUS_SHARE)
    status = rng.choice(len(status_names), size=n_orders, p=list(STATUS_SHARE.values()))
    moments = stamps(rng, n_orders, ORDER_DAYS)
    # Products' popularity: Zipf over a random order of the catalogue.
    popularity = rng.permutation(len(product_ids))
    product_pos = popularity[rng.choice(len(product_ids), size=lines, p=zipf_weights(len(product_ids), 0.8))]
    line_order = np.repeat(np.arange(n_orders), per_order)
    wide_p = np.where(planted[customer_pos[line_order]], PLANTED_WIDE, BASE_WIDE)
    width = (rng.random(lines) < wide_p).astype(np.int64)
    size = rng.integers(3, size=lines)
    colour = rng.integers(2, size=lines)
    quantity = np.where(rng.random(lines) < 0.9, 1, 2)
    sku_pos = product_pos * 12 + size * 4 + width * 2 + colour

    def orders() -> Iterator[dict[str, Any]]:
        for k in range(n_orders):
            yield {
                "id": order_ids[k],
                "customer_id": int(user_ids[customer_pos[k]]),
                "status": status_names[status[k]],
                "total": Decimal(40 * int(per_order[k])),
                "created_at": moments[k],
                "updated_at": moments[k],
            }

    def order_lines() -> Iterator[dict[str, Any]]:
        for j in range(lines):
            yield {
                "id": line_ids[j],
                "order_id": order_ids[line_order[j]],
                "sku_id": sku_ids[sku_pos[j]],
                "product_id": product_ids[product_pos[j]],
                "quantity": int(quantity[j]),
                "unit_price": Decimal(20),
            }

    return orders(), order_lines()


def note_rows(
    rng: np.random.Generator,
    note_ids: list[int],
    user_ids: np.ndarray,
    product_ids: list[int],
    types: np.ndarray,
) -> tuple[list, list, dict[int, tuple[int, int]]]:
    """A few thousand notes about products, 30% of them buyer shows, and the counts per product."""
    notes, links, counts = [], [], {}
    for k, nid in enumerate(note_ids):
        pos = int(rng.integers(len(product_ids)))
        lang = int(rng.choice(3, p=[0.45, 0.35, 0.2]))
        t = TYPES[types[pos]][lang]
        need = NEEDS[int(rng.integers(len(NEEDS)))][lang]
        shown = bool(rng.random() < 0.3)
        notes.append(
            {
                "id": nid,
                "author_id": int(rng.choice(user_ids)),
                "language": LANGS[lang],
                "title": f"{t} {need}",
                "body": f"{t}: {need}. {ADJECTIVES[k % len(ADJECTIVES)][lang]}.",
                "disclosure": "none",
                "status": "published",
                "verified_purchase": shown,
                "like_count": 0,
                "save_count": 0,
                "comment_count": 0,
                "created_at": NOW - timedelta(days=int(rng.integers(1, 200))),
                "updated_at": NOW - timedelta(days=1),
            }
        )
        links.append({"note_id": nid, "product_id": product_ids[pos]})
        c = counts.get(product_ids[pos], (0, 0))
        counts[product_ids[pos]] = (c[0] + 1, c[1] + shown)
    return notes, links, counts


def generate(db: Database, searches: int, lines: int, seed: int) -> dict[str, Any]:
    """Fill the migrated, empty store at `db`; returns the sizes, the busiest shop and the seconds."""
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    with db.write() as session, progress_bar() as bars:
        if db.dialect == "sqlite":
            session.execute(text("PRAGMA cache_size=-262144"))
        indexes = secondary_indexes(session, db.dialect)
        for name, _ in indexes:
            session.execute(text(f'DROP INDEX "{name}"'))
        user_ids = reserve_ids(session, User.__table__, USERS)
        rows, interests = people(rng, user_ids[0])
        if user_ids != list(range(user_ids[0], user_ids[0] + USERS)):
            for row, uid in zip(rows, user_ids, strict=True):
                row["id"], row["username"] = uid, f"p{uid}"
        write(session, User, rows, bars, "users", USERS)
        uid_array = np.array(user_ids)
        planted = np.array([PLANTED_SEGMENT in i for i in interests])
        shop_ids = reserve_ids(session, Shop.__table__, SHOPS)
        product_ids = reserve_ids(session, Product.__table__, PRODUCTS)
        sku_ids = reserve_ids(session, Sku.__table__, PRODUCTS * 12)
        shops, products, skus, types = catalogue(rng, user_ids, shop_ids, product_ids, sku_ids)
        write(session, Shop, shops, bars, "shops", SHOPS)
        write(session, Product, products, bars, "products", PRODUCTS)
        write(session, Sku, skus, bars, "skus", len(skus))
        log_ids = reserve_ids(session, SearchLog.__table__, searches)
        write(
            session,
            SearchLog,
            search_rows(rng, searches, log_ids[0], uid_array),
            bars,
            "search log",
            searches,
        )
        per_order = order_plan(rng, lines)
        order_ids = reserve_ids(session, Order.__table__, len(per_order))
        line_ids = reserve_ids(session, OrderLine.__table__, lines)
        orders, line_iter = order_rows(
            rng, per_order, order_ids, line_ids, uid_array, planted, product_ids, sku_ids
        )
        write(session, Order, orders, bars, "orders", len(per_order))
        write(session, OrderLine, line_iter, bars, "order lines", lines)
        note_ids = reserve_ids(session, Note.__table__, NOTES)
        notes, links, counts = note_rows(rng, note_ids, uid_array, product_ids, types)
        write(session, Note, notes, bars, "notes", NOTES)
        write(session, NoteProduct, links, bars, "note links", NOTES)
        session.execute(
            update(Product),
            [{"id": p, "note_count": c[0], "buyer_show_count": c[1]} for p, c in counts.items()],
        )
        task = bars.add_task("indexes", total=len(indexes))
        for _, statement in indexes:
            session.execute(text(statement))
            bars.advance(task)
        busiest = session.execute(
            select(Product.shop_id, func.count())
            .select_from(OrderLine)
            .join(Product, Product.id == OrderLine.product_id)
            .group_by(Product.shop_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    load_seconds = time.perf_counter() - started
    analyse(db)
    t0 = time.perf_counter()
    from nichely.search.index import reindex

    with progress_bar() as bars:
        tasks: dict[str, Any] = {}

        def bar(stage: str, done: int, total: int) -> None:
            tasks.setdefault(stage, bars.add_task(stage, total=total))
            bars.update(tasks[stage], completed=done, total=total)

        indexed = reindex(db, kinds=("product", "note"), progress=bar)
    return {
        "searches": searches,
        "order_lines": lines,
        "orders": len(per_order),
        "users": USERS,
        "planted_people": int(planted.sum()),
        "products": PRODUCTS,
        "skus": len(skus),
        "shops": SHOPS,
        "notes": NOTES,
        "indexed": indexed,
        "busiest_shop": int(busiest[0]),
        "busiest_shop_lines": int(busiest[1]),
        "load_seconds": round(load_seconds, 1),
        "reindex_seconds": round(time.perf_counter() - t0, 1),
        "seed": seed,
    }


def analyse(db: Database) -> None:
    """Fresh planner statistics after the bulk load (ANALYZE on SQLite, VACUUM ANALYZE on PostgreSQL)."""
    with db.writer.connect() as conn:
        if db.dialect == "sqlite":
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        else:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")


# --- measuring -----------------------------------------------------------------------------


def run_one(url: str, name: str, shop_id: int, profile: bool) -> dict[str, Any]:
    """One analysis in this (fresh) process: wall time, peak RSS, and what it read and found."""
    from nichely.insight import needs, skus
    from nichely.search import service
    from nichely.search.analysis import analyze

    db = open_database(url)
    measured = {"needs": 0}
    finish = needs._finish

    def counted(*args: Any, **kwargs: Any) -> Any:
        measured["needs"] += 1
        return finish(*args, **kwargs)

    needs._finish = counted  # type: ignore[assignment]
    out: dict[str, Any] = {"name": name}
    with db.read() as session:
        # Loaded once per server process, not per request: jieba's dictionary and the speller.
        analyze("适合宽脚的跑鞋 wide running shoes")
        if name == "needs, supply":
            service.search(session, "wide running shoes", type="products", limit=10)
        out["rss_before_mib"] = round(own_peak_mib())
        runs = {
            "needs, no supply": lambda: needs.unmet_needs(session, days=30, limit=20, supply=False, now=NOW),
            "needs, supply": lambda: needs.unmet_needs(session, days=30, limit=20, supply=True, now=NOW),
            "sku fit, shop": lambda: skus.sku_fit(session, shop_id=shop_id, days=180, now=NOW),
            "sku fit, store": lambda: skus.sku_fit(session, days=180, now=NOW),
        }
        profiler = cProfile.Profile() if profile else None
        t0 = time.perf_counter()
        report = profiler.runcall(runs[name]) if profiler else runs[name]()
        out["seconds"] = round(time.perf_counter() - t0, 2)
        out["peak_mib"] = round(own_peak_mib())
        if name.startswith("needs"):
            out["searches_read"] = report.searches
            out["wordings"] = report.wordings
            out["measured"] = measured["needs"]
            out["top"] = [(n.query, n.gap, n.searches, len(n.wordings)) for n in report.needs[:5]]
            out["summary"] = (
                f"{report.searches:,} searches, {report.wordings:,} wordings read; "
                f"{measured['needs']} needs measured for the top {len(report.needs)}"
            )
        else:
            planted = [
                f
                for f in report.fits
                if (f.segment, f.attribute, f.value) == (PLANTED_SEGMENT, "width", "wide")
            ]
            out["planted"] = planted[0].reason if planted else None
            out["planted_lift"] = round(planted[0].lift, 2) if planted else None
            out["other_fits"] = [f.reason for f in report.fits if f not in planted]
            out["summary"] = (
                f"{report.orders:,} orders, {report.units:,} units, {report.buyers:,} buyers read; "
                f"{len(report.fits)} fits"
                + (f", planted width=wide lift {out['planted_lift']}" if planted else ", planted NOT found")
            )
    if profiler:
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("cumulative").print_stats(18)
        stats.sort_stats("tottime").print_stats(12)
        out["profile"] = stream.getvalue()
    db.dispose()
    return out


def measure(url: str, shop_id: int, profile: bool) -> list[dict[str, Any]]:
    results = []
    spawn = multiprocessing.get_context("spawn")
    for name in ("needs, no supply", "needs, supply", "sku fit, shop", "sku fit, store"):
        with spawn.Pool(1) as pool:
            out = pool.apply(run_one, (url, name, shop_id, False))
        print(
            f"  {name:<17} {out['seconds']:8.2f} s  peak {out['peak_mib']:6d} MiB  {out['summary']}",
            flush=True,
        )
        if out.get("top"):
            for query, gap, n, wordings in out["top"]:
                print(f"      gap {gap:6.3f}  {n:6,} searches  {wordings:3} wordings  {query}")
        if "planted" in out:
            print(f"      planted: {out['planted'] or 'not found'}")
            for reason in out["other_fits"][:5]:
                print(f"      other:   {reason}")
        if profile:
            with spawn.Pool(1) as pool:
                profiled = pool.apply(run_one, (url, name, shop_id, True))
            print(f"  profile of {name} ({profiled['seconds']} s under cProfile):")
            print(profiled["profile"])
        results.append(out)
    return results


# --- stores --------------------------------------------------------------------------------


def marker(args: argparse.Namespace) -> str:
    return "nichely insight benchmark: " + json.dumps(
        {"searches": args.searches, "order_lines": args.order_lines, "seed": args.seed}, sort_keys=True
    )


def sqlite_store(args: argparse.Namespace) -> tuple[str, dict[str, Any], bool]:
    """The URL of the SQLite store in --dir and its generation facts (freshly generated unless kept)."""
    args.dir.mkdir(parents=True, exist_ok=True)
    path, facts_path = args.dir / "insight-bench.db", args.dir / "insight-bench.json"
    url = f"sqlite:///{path.resolve()}"
    if args.reuse and facts_path.exists():
        facts = json.loads(facts_path.read_text())
        if facts.get("marker") == marker(args):
            print("sqlite: keeping", path, flush=True)
            return url, facts, False
    facts_path.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    facts = fill(url)(args)
    facts_path.write_text(json.dumps({**facts, "marker": marker(args)}))
    return url, facts, True


def pg_url(url: str, database: str) -> str:
    return make_url(url).set(drivername="postgresql", database=database).render_as_string(hide_password=False)


def postgres_store(args: argparse.Namespace) -> tuple[str, dict[str, Any], bool]:
    """The URL of database PG_DATABASE on the --postgres server, generated unless a complete one is kept."""
    url = pg_url(args.postgres, PG_DATABASE)
    admin = pg_url(args.postgres, make_url(args.postgres).database or "postgres")
    name = sql.Identifier(PG_DATABASE)
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (PG_DATABASE,)
        ).fetchone()
        if args.reuse and row is not None and row[0] and row[0].startswith(marker(args)):
            print("postgres: keeping", PG_DATABASE, flush=True)
            return url, json.loads(row[0][len(marker(args)) + 1 :]), False
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    facts = fill(url)(args)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                name, sql.Literal(marker(args) + " " + json.dumps(facts))
            )
        )
    return url, facts, True


def fill(url: str) -> Callable[[argparse.Namespace], dict[str, Any]]:
    def run(args: argparse.Namespace) -> dict[str, Any]:
        db = open_database(url)
        try:
            t0 = time.perf_counter()
            upgrade(db)
            migrate = time.perf_counter() - t0
            facts = generate(db, args.searches, args.order_lines, args.seed)
            facts["migrate_seconds"] = round(migrate, 1)
            facts["generate_seconds"] = round(time.perf_counter() - t0, 1)
        finally:
            db.dispose()
        print("generated", json.dumps(facts), f"peak {peak_mib():.0f} MiB", flush=True)
        return facts

    return run


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", type=Path, required=True, help="Working directory (the SQLite store)")
    parser.add_argument("--searches", type=int, default=1_000_000)
    parser.add_argument("--order-lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true", help="Keep a store generated with the same sizes and seed"
    )
    parser.add_argument(
        "--postgres", metavar="URL", help=f"Also measure database {PG_DATABASE} on this server"
    )
    parser.add_argument("--profile", action="store_true", help="Also run each analysis under cProfile")
    args = parser.parse_args()

    stores = [("SQLite", sqlite_store)]
    if args.postgres:
        stores.append(("PostgreSQL", postgres_store))
    table = []
    for label, open_store in stores:
        print(f"{label}: store", flush=True)
        url, facts, generated = open_store(args)
        if generated:
            table.append(
                (
                    label,
                    "generate + index",
                    facts["generate_seconds"],
                    round(peak_mib()),
                    f"{facts['searches']:,} searches, {facts['order_lines']:,} order lines "
                    f"({facts['orders']:,} orders) loaded in {facts['load_seconds']} s; "
                    f"{facts['indexed']['product']:,} products and {facts['indexed']['note']:,} notes "
                    f"indexed in {facts['reindex_seconds']} s",
                )
            )
        print(
            f"{label}: analyses (busiest shop {facts['busiest_shop']}, {facts['busiest_shop_lines']:,} lines)",
            flush=True,
        )
        for out in measure(url, facts["busiest_shop"], args.profile):
            table.append((label, out["name"], out["seconds"], out["peak_mib"], out["summary"]))
    print()
    print("| store | step | wall s | peak RSS MiB | read / found |")
    print("|---|---|---:|---:|---|")
    for label, step, seconds, peak, summary in table:
        print(f"| {label} | {step} | {seconds} | {peak} | {summary} |")


if __name__ == "__main__":
    main()
