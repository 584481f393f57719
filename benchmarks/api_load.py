"""Load benchmark of the platform's hottest reads: the note page, the product page and GET /api/v1/notes.

Starts `nichely serve --workers 2` on a demo store (seeded first if empty), then drives it from this
process over loopback with a bounded number of requests per endpoint, and prints requests per second
and p50/p95/p99 latency. Usage:

    python benchmarks/api_load.py --database sqlite:///bench-demo.db --requests 2000 --concurrency 8
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
from serving import served

from nichely.demo import is_empty
from nichely.storage.engine import open_database
from nichely.storage.migrate import upgrade


async def drive(
    base: str, paths: list[str], requests: int, concurrency: int
) -> tuple[np.ndarray, float, int]:
    latencies: list[float] = []
    errors = 0
    queue = list(range(requests))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while queue:
            queue.pop()
            path = random.choice(paths)
            t0 = time.perf_counter()
            r = await client.get(path)
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    return np.array(latencies) * 1000, elapsed, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite:///bench-demo.db")
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()

    env = {**os.environ, "NICHELY_DATABASE_URL": args.database}
    bin_dir = Path(sys.executable).parent
    db = open_database(args.database)
    upgrade(db)
    if is_empty(db):
        subprocess.run([bin_dir / "nichely", "demo", "seed"], env=env, check=True)
    db.dispose()
    with served(env, args.workers, "/api/v1/notes?limit=1") as base:
        rng = random.Random(7)
        notes = httpx.get(f"{base}/api/v1/notes?limit=100").json()["items"]
        products = httpx.get(f"{base}/api/v1/products?limit=100").json()["items"]
        targets = {
            "note page": [f"/notes/{n['id']}" for n in notes],
            "product page": [f"/products/{p['id']}" for p in products],
            "GET /api/v1/notes": ["/api/v1/notes?limit=20"]
            + [f"/api/v1/notes?limit=20&author_id={n['author']['id']}" for n in notes[:20]],
        }
        rng.shuffle(targets["note page"])
        results = {}
        for name, paths in targets.items():
            asyncio.run(drive(base, paths, 50, args.concurrency))  # warm caches and connections
            lat, elapsed, errors = asyncio.run(drive(base, paths, args.requests, args.concurrency))
            results[name] = {
                "requests": args.requests,
                "errors": errors,
                "rps": round(args.requests / elapsed, 1),
                "p50_ms": round(float(np.percentile(lat, 50)), 1),
                "p95_ms": round(float(np.percentile(lat, 95)), 1),
                "p99_ms": round(float(np.percentile(lat, 99)), 1),
            }
            print(f"{name:22s} {json.dumps(results[name])}")
        if args.out:
            args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
