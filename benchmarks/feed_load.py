"""Feed benchmark: training time and memory, and p50/p95 of GET /api/v1/feed under `nichely serve --workers 2`.

1. Generates a SQLite store with bulk inserts (executemany, 50,000 rows a batch, indexes built
   once at the end): `--users` people in `--communities` planted interest groups, `--notes` notes
   by a tenth of them (tags from their group's pool), follows mostly inside the group, and
   `--events` views, likes, saves and comments, mostly on the reader's own group's notes. The
   generation stops adding events when `--budget` seconds have passed and says how many it wrote.
2. Trains the feed (`nichely recommend train`) in a child process and reports its wall time and
   peak memory (max RSS of the child).
3. Serves the store with `nichely serve --workers 2` and requests first pages of the feed for
   `--sample` different people (bearer tokens written into the store), `--concurrency` at a time,
   after a warm-up with other people; prints p50/p95/p99 latency and throughput. With
   `--rounds 1` every request is a first visit (no cached ranking); later rounds repeat people,
   whose rankings a worker may have cached.

    python benchmarks/feed_load.py --dir bench-feed --users 50000 --notes 500000 --events 5000000
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import numpy as np
from serving import served

BATCH = 50_000
WARM_PEOPLE = 20
KINDS = np.array(["view", "like", "save", "comment"])
KIND_SHARE = np.array([0.6, 0.22, 0.12, 0.06])
WORDS = [
    "wide",
    "fit",
    "running",
    "shoes",
    "dorm",
    "desk",
    "lamp",
    "quiet",
    "office",
    "carrier",
    "baby",
    "trail",
    "kitchen",
    "small",
    "pan",
    "skincare",
    "sensitive",
    "sleep",
    "cycling",
    "commute",
    "carry-on",
    "travel",
    "sofa",
    "pet",
    "hiking",
    "boots",
    "plus-size",
    "jeans",
    "comfortable",
    "sturdy",
    "cheap",
    "soft",
    "light",
]


def stamp(values: np.ndarray) -> list[str]:
    base = datetime(2025, 1, 1)
    return [(base + timedelta(seconds=float(v))).strftime("%Y-%m-%d %H:%M:%S.%f") for v in values]


def generate(
    path: Path, users: int, notes: int, events: int, communities: int, budget: float, seed: int
) -> dict[str, float]:
    """Bulk-load a migrated SQLite store; returns counts and seconds."""
    env = {**os.environ, "NICHELY_DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run(
        [Path(sys.executable).parent / "nichely", "db", "upgrade"], env=env, check=True, capture_output=True
    )
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    index_sql = [
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ('events','notes','note_tags','follows')"
        )
    ]
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ('events','notes','note_tags','follows')"
    ).fetchall():
        db.execute(f'DROP INDEX "{name}"')
    group = rng.integers(0, communities, users)
    tag_pool = [[f"{WORDS[(c * 3 + j) % len(WORDS)]} {c}" for j in range(4)] for c in range(communities)]
    horizon = 90 * 86400
    hash_ = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$J8qCjcGx0s5ZfUeMUaF3Kg"
    db.executemany(
        "INSERT INTO users (id, username, password_hash, display_name, roles, bio, languages, interests, status, violation_points, follower_count, following_count, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            (
                i + 1,
                f"u{i + 1}",
                hash_,
                f"Person {i + 1}",
                '["shopper"]',
                "",
                '["en"]',
                "[]",
                "active",
                0,
                0,
                0,
                "2024-12-01 00:00:00.000000",
            )
            for i in range(users)
        ),
    )
    creators = rng.choice(users, max(users // 10, 1), replace=False)
    creator_group = group[creators]
    by_group = [creators[creator_group == c] for c in range(communities)]
    # follows: 10 per person, 85 % inside their group
    followers = np.repeat(np.arange(users), 10)
    inside = rng.random(len(followers)) < 0.85
    followees = np.where(
        inside,
        np.array([rng.choice(by_group[group[f]]) if len(by_group[group[f]]) else 0 for f in followers]),
        rng.choice(creators, len(followers)),
    )
    pairs = {(int(a) + 1, int(b) + 1) for a, b in zip(followers, followees, strict=True) if a != b}
    db.executemany(
        "INSERT INTO follows (follower_id, followee_id, created_at) VALUES (?,?,'2024-12-15 00:00:00.000000')",
        pairs,
    )
    counts = np.bincount([b for _, b in pairs], minlength=users + 2)
    db.executemany(
        "UPDATE users SET follower_count=? WHERE id=?", ((int(counts[i]), i) for i in np.flatnonzero(counts))
    )
    # notes: by creators, tagged from their group's pool, over 90 days
    authors = rng.choice(creators, notes)
    note_group = group[authors]
    created = np.sort(rng.uniform(0, horizon, notes))
    created_text = stamp(created)
    for start in range(0, notes, BATCH):
        part = range(start, min(start + BATCH, notes))
        db.executemany(
            "INSERT INTO notes (id, author_id, language, title, body, disclosure, status, verified_purchase, like_count, save_count, comment_count, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                (
                    i + 1,
                    int(authors[i]) + 1,
                    "en",
                    f"{tag_pool[note_group[i]][i % 4]} note {i}",
                    " ".join(WORDS[(i * 7 + k * 5) % len(WORDS)] for k in range(12))
                    + f" {tag_pool[note_group[i]][0]}.",
                    "none",
                    "published",
                    0,
                    0,
                    0,
                    0,
                    created_text[i],
                    created_text[i],
                )
                for i in part
            ),
        )
        db.executemany(
            "INSERT INTO note_tags (note_id, tag) VALUES (?,?)",
            (
                (i + 1, tag)
                for i in part
                for tag in {tag_pool[note_group[i]][i % 4], tag_pool[note_group[i]][(i + 1) % 4]}
            ),
        )
    db.commit()
    notes_of = [np.flatnonzero(note_group == c) for c in range(communities)]
    # events: 85 % on the reader's own group's notes, after the note was written
    written = 0
    stopped_early = False
    likes = np.zeros(notes, dtype=np.int64)
    saves = np.zeros(notes, dtype=np.int64)
    while written < events:
        if time.perf_counter() - started > budget:
            stopped_early = True
            break
        n = min(BATCH * 4, events - written)
        readers = rng.integers(0, users, n)
        own = rng.random(n) < 0.85
        targets = np.empty(n, dtype=np.int64)
        for c in range(communities):
            mask = own & (group[readers] == c)
            if mask.any() and len(notes_of[c]):
                targets[mask] = rng.choice(notes_of[c], int(mask.sum()))
        targets[~own] = rng.integers(0, notes, int((~own).sum()))
        kinds = KINDS[rng.choice(len(KINDS), n, p=KIND_SHARE)]
        likes += np.bincount(targets[kinds == "like"], minlength=notes)
        saves += np.bincount(targets[kinds == "save"], minlength=notes)
        when = np.minimum(created[targets] + rng.exponential(5 * 86400, n), horizon + 86400)
        when_text = stamp(when)
        db.executemany(
            "INSERT INTO events (user_id, kind, target_type, target_id, context, created_at) VALUES (?,?,'note',?,'{}',?)",
            ((int(readers[i]) + 1, str(kinds[i]), int(targets[i]) + 1, when_text[i]) for i in range(n)),
        )
        written += n
    db.commit()
    db.executemany(
        "UPDATE notes SET like_count=?, save_count=? WHERE id=?",
        ((int(likes[i]), int(saves[i]), i + 1) for i in np.flatnonzero(likes + saves)),
    )
    load_seconds = time.perf_counter() - started
    for sql in index_sql:
        db.execute(sql)
    db.execute("ANALYZE")
    db.commit()
    db.close()
    return {
        "users": users,
        "notes": notes,
        "events": written,
        "events_wanted": events,
        "stopped_early": stopped_early,
        "load_seconds": round(load_seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
    }


def write_tokens(path: Path, user_ids: list[int]) -> dict[int, str]:
    """Bearer tokens for the sampled people (only the SHA-256 is stored, as the platform does)."""
    db = sqlite3.connect(path)
    tokens = {}
    for user_id in user_ids:
        secret = f"bench-{user_id}-{random.random()}"
        tokens[user_id] = secret
        db.execute(
            "INSERT INTO auth_tokens (user_id, token_hash, kind, created_at, expires_at) VALUES (?,?,?,?,?)",
            (
                user_id,
                hashlib.sha256(secret.encode()).hexdigest(),
                "api",
                "2025-01-01 00:00:00.000000",
                "2100-01-01 00:00:00.000000",
            ),
        )
    db.commit()
    db.close()
    return tokens


def train(env: dict[str, str]) -> dict[str, float]:
    started = time.perf_counter()
    subprocess.run([Path(sys.executable).parent / "nichely", "recommend", "train"], env=env, check=True)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "train_seconds": round(time.perf_counter() - started, 1),
        "train_peak_mib": round(peak_kib / 1024, 0),
    }


async def drive(base: str, tokens: dict[int, str], concurrency: int, rounds: int) -> tuple[np.ndarray, int]:
    latencies: list[float] = []
    errors = 0
    queue = [user for _ in range(rounds) for user in tokens]
    random.shuffle(queue)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while queue:
            user = queue.pop()
            t0 = time.perf_counter()
            r = await client.get("/api/v1/feed?limit=20", headers={"Authorization": f"Bearer {tokens[user]}"})
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200 or not r.json()["items"]:
                errors += 1

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return np.asarray(latencies) * 1000, errors


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", type=Path, required=True, help="Working directory (store, data, media)")
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--notes", type=int, default=500_000)
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--communities", type=int, default=20)
    parser.add_argument(
        "--budget", type=float, default=900, help="Seconds after which event generation stops"
    )
    parser.add_argument("--sample", type=int, default=300, help="Different people whose feeds are requested")
    parser.add_argument("--rounds", type=int, default=2, help="Requests per sampled person")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="Reuse the store in --dir if it exists")
    parser.add_argument("--skip-train", action="store_true", help="With --reuse: keep the trained state too")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    store = args.dir / "feed-bench.db"
    report: dict[str, object] = {}
    if not (args.reuse and store.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store}{suffix}").unlink(missing_ok=True)
        report["generate"] = generate(
            store, args.users, args.notes, args.events, args.communities, args.budget, args.seed
        )
        print(json.dumps(report["generate"]), flush=True)
    env = {
        **os.environ,
        "NICHELY_DATABASE_URL": f"sqlite:///{store}",
        "NICHELY_DATA_DIR": str(args.dir / "data"),
        "NICHELY_MEDIA_DIR": str(args.dir / "media"),
        "NICHELY_SECRET_KEY": "feed-bench",
    }
    if not (args.reuse and args.skip_train):
        report["train"] = train(env)
        print(json.dumps(report["train"]), flush=True)
    rng = random.Random(args.seed)
    # Warm-up people are not in the sample: each worker caches a person's ranking
    # (`RankingCache`), and a measured request must not be served by the warm-up.
    chosen = rng.sample(range(1, args.users + 1), args.sample + WARM_PEOPLE)
    everyone = write_tokens(store, chosen)
    tokens = {user: everyone[user] for user in chosen[: args.sample]}
    warm = {user: everyone[user] for user in chosen[args.sample :]}
    with served(env, args.workers, "/api/v1/notes?limit=1") as base:
        asyncio.run(drive(base, warm, 2, 2))  # both workers load the trained state
        started = time.perf_counter()
        latencies, errors = asyncio.run(drive(base, tokens, args.concurrency, args.rounds))
        elapsed = time.perf_counter() - started
    report["serve"] = {
        "requests": len(latencies),
        "errors_or_empty": errors,
        "concurrency": args.concurrency,
        "workers": args.workers,
        "p50_ms": round(float(np.percentile(latencies, 50)), 1),
        "p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "p99_ms": round(float(np.percentile(latencies, 99)), 1),
        "requests_per_s": round(len(latencies) / elapsed, 1),
    }
    print(json.dumps(report["serve"]), flush=True)


if __name__ == "__main__":
    main()
