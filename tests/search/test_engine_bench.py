"""`nichely bench search` end to end on a tiny planted catalogue."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from nichely.catalog.models import Product
from nichely.errors import InvalidInput
from nichely.search.bench import run_search_bench

COLOURS = ["red", "blue", "green", "black", "white", "grey"]
THINGS = ["drill", "hammer", "ladder", "faucet", "lamp", "shelf", "hose"]


@pytest.fixture
def planted(tmp_path):
    # Every product is "<colour> <thing> model <n>"; each query names a colour and a thing, and
    # exactly the products with both are judged relevant: the answer is known in advance.
    catalog = tmp_path / "products.csv"
    judgments = tmp_path / "judgments.csv"
    products = []
    for i, (c, t) in enumerate((c, t) for c in COLOURS for t in THINGS):
        products.append((str(1000 + i), f"{c.title()} {t.title()} Model {i}", c, t))
    with catalog.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["product_uid", "product_title"])
        w.writerows((uid, title) for uid, title, _, _ in products)
    with judgments.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["search_term", "product_uid", "relevance"])
        for c in COLOURS:
            for t in THINGS:
                for uid, _, pc, pt in products:
                    if pt == t:
                        w.writerow([f"{c} {t} for the garage", uid, 3 if pc == c else 1])
    return catalog, judgments


def test_bench_writes_a_run_and_scores_it(planted, tmp_path):
    catalog, judgments = planted
    out = tmp_path / "run.tsv"
    # when the bench runs through import, index, training and search
    report = run_search_bench(catalog, judgments, out, num_threads=1)
    # then every query has ranked rows in the documented format
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert {r[0] for r in rows} == {f"{c} {t} for the garage" for c in COLOURS for t in THINGS}
    assert all(len(r) == 4 and r[1].isdigit() for r in rows)
    # and the planted answer is found: the exact product is first for held-out queries
    held_out = report.ours["held-out"]
    assert held_out.queries > 0
    assert held_out.ndcg10 == pytest.approx(1.0)
    assert report.bm25["held-out"].ndcg10 > 0.9
    assert "long-tail" in " ".join(report.ours)


def test_bench_can_measure_another_store_and_refuses_one_that_holds_data(planted, tmp_path, db):
    # given an empty store of each kind (SQLite file, PostgreSQL database)
    catalog, judgments = planted
    # when the bench imports into it instead of a temporary store
    report = run_search_bench(catalog, judgments, tmp_path / "run.tsv", num_threads=1, database=db.url)
    # then it measures the same planted answer there
    assert report.ours["held-out"].ndcg10 == pytest.approx(1.0)
    # and a second run into the same, no longer empty, store is refused before it writes anything
    with pytest.raises(InvalidInput, match="empty database"):
        run_search_bench(catalog, judgments, tmp_path / "again.tsv", num_threads=1, database=db.url)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == len(COLOURS) * len(THINGS)
