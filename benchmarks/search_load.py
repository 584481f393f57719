"""Search under load: p50/p95/p99 of GET /api/v1/search over a large SQLite store.

1. Generates a store with bulk inserts (sqlite3 executemany, a seeded generator, a time budget):
   products with SKUs (size, width, colour) and notes in Chinese, English and Spanish about them,
   a share of them buyer shows. Then `nichely search reindex` builds the index, as an operator would.
2. Serves it with `nichely serve --workers 2` and sends 1,000 mixed-language queries (short ones and
   long-tail needs), first from one client, then from 8 concurrent clients, and prints the latency
   percentiles, and the time of each stage.

    python benchmarks/search_load.py --products 100000 --notes 500000 --database bench-search.db

With `--postgres URL` the same store is measured on PostgreSQL: once the SQLite store exists
(generated, or kept with `--reuse`), the database `nichely_bench_search` on the server of URL is
dropped and created again, migrated with `nichely db upgrade`, and the tables the generator writes
(users, shops, products, skus, notes, note_products) are copied into it from the SQLite store
(COPY in batches; sequences reset afterwards), then `nichely search reindex` builds the index
there. The server then serves that database, measured as above. `--reuse` keeps a PostgreSQL
database that a previous run loaded completely from the same store.

    python benchmarks/search_load.py --database bench-search.db --reuse \
        --postgres postgresql://postgres@127.0.0.1:54329/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import psycopg
from psycopg import sql
from rich.progress import Progress
from serving import served
from sqlalchemy.engine import make_url

BATCH = 20_000
PG_DATABASE = "nichely_bench_search"
# The tables generate() writes, parents first (foreign keys are checked as rows arrive).
SOURCE_TABLES = ("users", "shops", "products", "skus", "notes", "note_products")
TYPES = [
    ("running shoes", "跑鞋", "zapatillas de running", "running shoes"),
    ("trail shoes", "越野跑鞋", "zapatillas de trail", "running shoes"),
    ("office shoes", "通勤皮鞋", "zapatos de oficina", "shoes"),
    ("desk", "书桌", "escritorio", "desks"),
    ("desk lamp", "台灯", "lámpara de escritorio", "lamps"),
    ("office chair", "办公椅", "silla de oficina", "chairs"),
    ("backpack", "双肩包", "mochila", "bags"),
    ("rain jacket", "冲锋衣", "chaqueta impermeable", "jackets"),
    ("pet bed", "宠物窝", "cama para mascotas", "pets"),
    ("kettle", "电水壶", "hervidor", "kitchen"),
]
ADJECTIVES = [
    ("lightweight", "轻量", "ligero"),
    ("cushioned", "缓震", "amortiguado"),
    ("quiet", "静音", "silencioso"),
    ("compact", "小巧", "compacto"),
    ("wide", "宽版", "ancho"),
    ("waterproof", "防水", "impermeable"),
    ("breathable", "透气", "transpirable"),
    ("foldable", "折叠", "plegable"),
]
NEEDS = [
    ("for wide feet", "适合宽脚", "para pies anchos"),
    ("for a small dorm room", "适合宿舍", "para la residencia"),
    ("that does not make noise", "不会有噪音", "que no hagan ruido"),
    ("for heavy runners", "适合体重大的跑者", "para corredores pesados"),
    ("for long office days", "上班一整天穿", "para largos días de oficina"),
    ("for rainy commutes", "下雨天通勤", "para ir al trabajo con lluvia"),
    ("for my cat", "给猫用", "para mi gato"),
]
COLOURS = ["black", "white", "grey", "blue", "red"]
WIDTHS = ["regular", "wide"]
BRANDS = [
    f"{a}{b}"
    for a in ("Nor", "Vel", "Ara", "Kes", "Lum", "Tor", "Mi", "Zen")
    for b in ("ka", "ro", "ve", "lo")
]


def product_row(i: int, rng: random.Random) -> tuple[tuple, list[tuple], int]:
    t = rng.randrange(len(TYPES))
    a = rng.randrange(len(ADJECTIVES))
    lang = rng.choices((0, 1, 2), (0.45, 0.4, 0.15))[0]
    brand = rng.choice(BRANDS)
    title = f"{brand} {ADJECTIVES[a][lang]} {TYPES[t][lang]} {i % 997}"
    need = NEEDS[rng.randrange(len(NEEDS))][lang]
    description = f"{TYPES[t][lang]} {need}. {ADJECTIVES[(a + 3) % len(ADJECTIVES)][lang]}."
    skus = []
    shoe = "shoes" in TYPES[t][0]
    for k in range(rng.randint(1, 3)):
        attrs = {"colour": COLOURS[(i + k) % len(COLOURS)]}
        if shoe:
            attrs["size"] = str(38 + (i + 2 * k) % 8)
            attrs["width"] = WIDTHS[(i + k) % 2]
        skus.append((json.dumps(attrs), f"{20 + (i * 7 + k * 13) % 180}.00", rng.randint(0, 12)))
    return (title, description, TYPES[t][3]), skus, t


def note_text(t: int, lang: int, rng: random.Random) -> tuple[str, str]:
    need = NEEDS[rng.randrange(len(NEEDS))][lang]
    adj = ADJECTIVES[rng.randrange(len(ADJECTIVES))][lang]
    if lang == 1:
        return f"{TYPES[t][1]}{need}", f"用了两周，{adj}，{need}很合适。尺码正常。"
    if lang == 2:
        return f"Mis {TYPES[t][2]} {need}", f"Dos semanas de uso, {adj} y {need}. Talla normal."
    return f"My {TYPES[t][0]} {need}", f"Two weeks in: {adj}, great {need}. True to size."


def generate(path: Path, products: int, notes: int, budget: float, seed: int) -> dict[str, float]:
    """Bulk-load a migrated SQLite store; returns counts and seconds (stops early at `budget`)."""
    env = {**os.environ, "NICHELY_DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run(
        [Path(sys.executable).parent / "nichely", "db", "upgrade"], env=env, check=True, capture_output=True
    )
    rng = random.Random(seed)
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    now = "2026-01-01 00:00:00.000000"
    hash_ = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$J8qCjcGx0s5ZfUeMUaF3Kg"
    people = max(notes // 20, 10)
    db.executemany(
        "INSERT INTO users (id, username, password_hash, display_name, roles, bio, languages, interests, status, violation_points, follower_count, following_count, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            (i, f"u{i}", hash_, f"Runner {i}", '["creator"]', "", '["en"]', "[]", "active", 0, 0, 0, now)
            for i in range(1, people + 1)
        ),
    )
    db.execute(
        "INSERT INTO shops (id, manager_id, name, description, created_at) VALUES (1, 1, 'Bench shop', '', ?)",
        (now,),
    )
    types = []
    sku_id = 0
    made_products = 0
    for start in range(0, products, BATCH):
        rows, sku_rows = [], []
        for i in range(start + 1, min(start + BATCH, products) + 1):
            (title, description, category), skus, t = product_row(i, rng)
            types.append(t)
            rows.append(
                (i, 1, title, description, category, "{}", "active", 0, 0, rng.randint(0, 500), now, now)
            )
            for attrs, price, stock in skus:
                sku_id += 1
                sku_rows.append((sku_id, i, attrs, price, stock))
        db.executemany(
            "INSERT INTO products (id, shop_id, title, description, category, attributes, status, note_count, buyer_show_count, sold_count, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        db.executemany(
            "INSERT INTO skus (id, product_id, attributes, price, stock) VALUES (?,?,?,?,?)", sku_rows
        )
        made_products = len(types)
        if time.perf_counter() - started > budget / 3:
            break
    made_notes = 0
    note_counts = np.zeros(made_products + 1, dtype=np.int64)
    show_counts = np.zeros(made_products + 1, dtype=np.int64)
    for start in range(0, notes, BATCH):
        rows, links = [], []
        for i in range(start + 1, min(start + BATCH, notes) + 1):
            # Popular products get more notes (Zipf-like), as in a real catalogue.
            p = min(int(rng.paretovariate(1.1)) * 37 % made_products + 1, made_products)
            lang = rng.choices((0, 1, 2), (0.4, 0.4, 0.2))[0]
            title, body = note_text(types[p - 1], lang, rng)
            shown = rng.random() < 0.25
            note_counts[p] += 1
            show_counts[p] += shown
            rows.append(
                (
                    i,
                    rng.randint(1, people),
                    ("en", "zh", "es")[lang],
                    title,
                    body,
                    "none",
                    "published",
                    shown,
                    0,
                    0,
                    0,
                    now,
                    now,
                )
            )
            links.append((i, p))
        db.executemany(
            "INSERT INTO notes (id, author_id, language, title, body, disclosure, status, verified_purchase, like_count, save_count, comment_count, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        db.executemany("INSERT INTO note_products (note_id, product_id) VALUES (?,?)", links)
        made_notes += len(rows)
        if time.perf_counter() - started > budget:
            break
    db.executemany(
        "UPDATE products SET note_count=?, buyer_show_count=? WHERE id=?",
        ((int(note_counts[i]), int(show_counts[i]), int(i)) for i in np.flatnonzero(note_counts)),
    )
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return {
        "products": made_products,
        "skus": sku_id,
        "notes": made_notes,
        "people": people,
        "generate_seconds": round(time.perf_counter() - started, 1),
    }


def queries(n: int, seed: int) -> list[str]:
    """Mixed-language queries: a third short (a product type), two thirds long-tail needs."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = (0, 1, 2, 0, 1)[i % 5]
        t = TYPES[rng.randrange(len(TYPES))]
        need = NEEDS[rng.randrange(len(NEEDS))][lang]
        adj = ADJECTIVES[rng.randrange(len(ADJECTIVES))][lang]
        kind = rng.random()
        if kind < 0.33:
            out.append(t[lang] if lang != 0 else f"{adj} {t[0]}")
        elif lang == 1:
            size = f"{rng.randint(38, 45)}码" if "鞋" in t[1] else ""
            out.append(f"{need}的{adj}{t[1]}{size}")
        elif lang == 2:
            out.append(f"{t[2]} {adj} {need}")
        else:
            size = f" size {rng.randint(38, 45)}" if "shoes" in t[0] else ""
            out.append(f"{adj} {t[0]} {need}{size}")
    return out


async def drive(base: str, qs: list[str], concurrency: int) -> tuple[np.ndarray, float, int]:
    latencies: list[float] = []
    errors = 0
    todo = list(qs)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while todo:
            q = todo.pop()
            t0 = time.perf_counter()
            r = await client.get(f"{base}/api/v1/search", params={"q": q, "limit": 10})
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors += 1

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return np.array(latencies) * 1000, time.perf_counter() - started, errors


def report(label: str, ms: np.ndarray, seconds: float, errors: int) -> dict[str, float]:
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    row = {
        "requests": len(ms),
        "errors": errors,
        "rps": round(len(ms) / seconds, 1),
        "p50_ms": round(float(p50), 1),
        "p95_ms": round(float(p95), 1),
        "p99_ms": round(float(p99), 1),
        # The machine is shared: the 1-minute load average at the end of the phase.
        "load_1m": round(os.getloadavg()[0], 2),
    }
    print(label, json.dumps(row), flush=True)
    return row


def pg_url(url: str, database: str) -> str:
    """`url` (postgresql://...) pointed at `database` on the same server."""
    return make_url(url).set(drivername="postgresql", database=database).render_as_string(hide_password=False)


def source_counts(source: Path) -> dict[str, int]:
    """Rows per source table of the SQLite store (opened read-only)."""
    db = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True)
    try:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SOURCE_TABLES}
    finally:
        db.close()


def load_marker(counts: dict[str, int]) -> str:
    """What a completely loaded database says about itself (its comment): the source rows."""
    return "nichely search benchmark: " + json.dumps(counts, sort_keys=True)


def pg_loaded(admin_url: str, counts: dict[str, int]) -> bool:
    """Whether the benchmark database exists and a previous run loaded and indexed these rows."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (PG_DATABASE,),
        ).fetchone()
    return row is not None and row[0] == load_marker(counts)


def recreate_pg_database(admin_url: str) -> None:
    """Drop the benchmark database (closing its connections) and create it empty."""
    name = sql.Identifier(PG_DATABASE)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def copy_table(
    source: sqlite3.Connection, target: psycopg.Connection, table: str, progress: Progress, rows: int
) -> None:
    """COPY one table's columns that both stores have, BATCH rows at a time in rowid order."""
    pg_columns = {
        r[0]
        for r in target.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,)
        )
    }
    columns = [r[1] for r in source.execute(f"PRAGMA table_info({table})") if r[1] in pg_columns]
    task = progress.add_task(table, total=rows)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    cursor = source.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
    while batch := cursor.fetchmany(BATCH):
        with target.cursor().copy(statement) as copy:
            for row in batch:
                copy.write_row(row)
        target.commit()
        progress.advance(task, len(batch))


def reset_sequences(target: psycopg.Connection) -> None:
    """Move each copied table's id sequence past its largest id, so later inserts do not collide."""
    with_id = target.execute(
        "SELECT table_name FROM information_schema.columns WHERE column_name = 'id' AND table_name = ANY(%s)",
        (list(SOURCE_TABLES),),
    ).fetchall()
    for (table,) in with_id:
        sequence = target.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()
        if sequence[0] is None:
            continue
        largest = target.execute(
            sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        target.execute("SELECT setval(%s, %s, false)", (sequence[0], largest + 1))
    target.commit()


def copy_store(source_path: Path, url: str, counts: dict[str, int]) -> None:
    """Copy the source tables of the SQLite store into the migrated PostgreSQL database."""
    source = sqlite3.connect(f"file:{source_path.resolve()}?mode=ro", uri=True)
    try:
        with psycopg.connect(url) as target, Progress() as progress:
            for table in SOURCE_TABLES:
                copy_table(source, target, table, progress, counts[table])
            reset_sequences(target)
            target.autocommit = True
            target.execute("VACUUM ANALYZE")
    finally:
        source.close()


def nichely(bin_dir: Path, url: str, *args: str) -> float:
    """Run a `nichely` command against the store at `url`; returns its seconds."""
    t0 = time.perf_counter()
    env = {**os.environ, "NICHELY_DATABASE_URL": url}
    subprocess.run([bin_dir / "nichely", *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - t0, 1)


def load_postgres(args: argparse.Namespace, bin_dir: Path, stages: dict[str, object]) -> str:
    """The URL of a PostgreSQL copy of the SQLite store, loaded and indexed unless kept."""
    url = pg_url(args.postgres, PG_DATABASE)
    admin_url = pg_url(args.postgres, make_url(args.postgres).database or "postgres")
    counts = source_counts(args.database)
    # A store generated in this run is copied again even if a database holds the same counts.
    if args.reuse and "generate" not in stages and pg_loaded(admin_url, counts):
        print("postgres: keeping", PG_DATABASE, flush=True)
        return url
    recreate_pg_database(admin_url)
    stages["pg_migrate_seconds"] = nichely(bin_dir, url, "db", "upgrade")
    t0 = time.perf_counter()
    copy_store(args.database, url, counts)
    stages["pg_copy_seconds"] = round(time.perf_counter() - t0, 1)
    print("pg_copy_seconds", stages["pg_copy_seconds"], json.dumps(counts), flush=True)
    stages["pg_reindex_seconds"] = nichely(bin_dir, url, "search", "reindex")
    print("pg_reindex_seconds", stages["pg_reindex_seconds"], flush=True)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(PG_DATABASE), sql.Literal(load_marker(counts))
            )
        )
    return url


def measure(args: argparse.Namespace, bin_dir: Path, url: str, stages: dict[str, object]) -> None:
    """Serve the store at `url` and time the queries from one client, then from several."""
    env = {**os.environ, "NICHELY_DATABASE_URL": url}
    with served(env, args.workers, "/api/v1/search?q=warm") as base:
        qs = queries(args.queries, args.seed)
        stages["load_before"] = round(os.getloadavg()[0], 2)
        # Warm both workers (jieba's dictionary, the speller built from the store's titles).
        asyncio.run(drive(base, qs[:40], args.workers * 2))
        stages["single"] = report("single_client", *asyncio.run(drive(base, qs, 1)))
        stages["concurrent"] = report(
            f"{args.concurrency}_clients", *asyncio.run(drive(base, qs, args.concurrency))
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", type=Path, default=Path("bench-search.db"))
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--notes", type=int, default=500_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--budget", type=float, default=600, help="Seconds generation may take")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true", help="Keep an existing store and index (and PostgreSQL copy)"
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help=f"Measure a copy of the store in database {PG_DATABASE} on this PostgreSQL server",
    )
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    url = f"sqlite:///{args.database.resolve()}"
    stages: dict[str, object] = {}
    if not (args.reuse and args.database.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.database}{suffix}").unlink(missing_ok=True)
        stages["generate"] = generate(args.database, args.products, args.notes, args.budget, args.seed)
        print("generate", json.dumps(stages["generate"]), flush=True)
        stages["reindex_seconds"] = nichely(bin_dir, url, "search", "reindex")
        print("reindex_seconds", stages["reindex_seconds"], flush=True)
    if args.postgres:
        url = load_postgres(args, bin_dir, stages)
    measure(args, bin_dir, url, stages)
    print(json.dumps(stages))


if __name__ == "__main__":
    main()
