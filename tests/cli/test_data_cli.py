"""`nichely import` and `nichely export` through the real CLI, on both stores."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from nichely.accounts import service as accounts
from nichely.accounts.models import User
from nichely.catalog.models import Product, Shop, Sku
from nichely.cli import app
from nichely.community.models import Note, NoteProduct, NoteTag
from nichely.demo import seed_demo
from nichely.storage.engine import Database, open_database
from nichely.storage.migrate import upgrade
from tests.conftest import FAST_HASH

runner = CliRunner()


def run(db: Database, tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    env = {
        "NICHELY_DATABASE_URL": db.url,
        "NICHELY_SECRET_KEY": "test",
        "NICHELY_MEDIA_DIR": str(tmp_path / "media"),
    }
    return runner.invoke(app, list(args), env=env)


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_import_products_csv_with_skus_and_single_price(db: Database, tmp_path: Path):
    # given a CSV mixing a product with a SKU list and one with a plain price
    skus = [
        {"attributes": {"size": "42", "width": "wide"}, "price": "89.90", "stock": 4},
        {"attributes": {"size": "43", "width": "wide"}, "price": 89.9, "stock": 0},
    ]
    path = write_csv(
        tmp_path / "products.csv",
        [
            {
                "title": "Wide Trail Runner",
                "description": "Roomy toe box",
                "category": "Running Shoes",
                "attributes": '{"drop_mm": 6}',
                "skus": json.dumps(skus),
                "price": "",
                "stock": "",
                "product_uid": "A-1",
                "shop": "Wide Feet Co",
            },
            {
                "title": "Quiet Loafer",
                "description": "",
                "category": "office shoes",
                "attributes": "",
                "skus": "",
                "price": "59",
                "stock": "7",
                "product_uid": "A-2",
                "shop": "",
            },
        ],
    )
    # when it is imported
    result = run(db, tmp_path, "import", "products", str(path))
    # then both products exist with their SKUs, in the named shop and in the default one
    assert result.exit_code == 0, result.output
    assert "imported 2 products with 3 SKUs" in result.output
    with db.read() as session:
        trail = session.scalar(select(Product).where(Product.external_uid == "A-1"))
        loafer = session.scalar(select(Product).where(Product.external_uid == "A-2"))
        assert trail is not None
        assert loafer is not None
        assert trail.category == "running shoes"
        assert trail.attributes == {"drop_mm": 6}
        assert [(s.attributes["size"], s.price, s.stock) for s in trail.skus] == [
            ("42", Decimal("89.90"), 4),
            ("43", Decimal("89.90"), 0),
        ]
        assert [(s.price, s.stock) for s in loafer.skus] == [(Decimal("59.00"), 7)]
        shops = {shop.id: shop.name for shop in session.scalars(select(Shop))}
    assert shops[trail.shop_id] == "Wide Feet Co"
    assert shops[loafer.shop_id] == "Imported catalogue"


def test_import_bare_uid_title_feed_into_default_shop(db: Database, tmp_path: Path):
    # given a benchmark-style feed with only product_uid and product_title
    path = tmp_path / "feed.csv"
    path.write_text(
        "product_uid,product_title\n" + "".join(f"{100000 + i},Cordless drill {i}\n" for i in range(1200))
    )
    # when imported with --shop
    result = run(db, tmp_path, "import", "products", str(path), "--shop", "Hardware")
    # then every row is a product with one unpriced SKU in a shop run by the system account
    assert result.exit_code == 0, result.output
    assert count(db, Product) == 1200
    with db.read() as session:
        assert (
            session.scalar(select(func.count()).select_from(Sku).where(Sku.price == 0, Sku.stock == 0))
            == 1200
        )
        manager = session.scalar(
            select(User).join(Shop, Shop.manager_id == User.id).where(Shop.name == "Hardware")
        )
    assert manager is not None
    assert manager.username == "system"


def test_import_products_jsonl(db: Database, tmp_path: Path):
    path = tmp_path / "products.jsonl"
    rows = [
        {
            "product_title": "婴儿背带",
            "category": "baby carriers",
            "attributes": {"max_kg": 20},
            "skus": [{"attributes": {"colour": "grey"}, "price": 129, "stock": 3}],
            "external_uid": "zh-1",
        },
        {"title": "Mochila portabebés", "price": "99.5", "stock": 2},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = run(db, tmp_path, "import", "products", str(path))
    assert result.exit_code == 0, result.output
    with db.read() as session:
        titles = sorted(session.scalars(select(Product.title)))
    assert titles == ["Mochila portabebés", "婴儿背带"]


@pytest.mark.parametrize(
    ("line3", "message"),
    [
        ({"title": "Bad price", "price": "abc", "product_uid": "B-3"}, "line 3: price must be a number"),
        ({"title": "", "price": "5", "product_uid": "B-3"}, "line 3: title must not be empty"),
        ({"title": "Repeat", "price": "5", "product_uid": "B-1"}, "line 3: product_uid 'B-1' repeats line 2"),
    ],
)
def test_bad_product_row_imports_nothing(db: Database, tmp_path: Path, make_product, line3, message):  # type: ignore[no-untyped-def]
    # given a product already in the store, and a file whose second data row is bad
    existing = make_product(title="Already here")
    path = write_csv(tmp_path / "bad.csv", [{"title": "Fine", "price": "10", "product_uid": "B-1"}, line3])
    # when it is imported
    result = run(db, tmp_path, "import", "products", str(path))
    # then the command fails with the line number, and the store is exactly as before
    assert result.exit_code != 0
    assert message in result.output
    assert count(db, Product) == 1
    with db.read() as session:
        assert session.scalar(select(Product.title).where(Product.id == existing.id)) == "Already here"


def test_import_notes_csv_and_bad_author(db: Database, tmp_path: Path, make_user, make_product):  # type: ignore[no-untyped-def]
    # given a user and a product with an external uid
    make_user(username="lucia_runs")
    product = make_product(title="Trail shoe")
    with db.write() as session:
        session.get(Product, product.id).external_uid = "T-1"
    good = write_csv(
        tmp_path / "notes.csv",
        [
            {
                "author": "lucia_runs",
                "title": "Pie ancho",
                "body": "Tengo el pie ancho y por fin no me aprieta.",
                "language": "auto",
                "tags": "pie ancho;#Running",
                "product_ids": "",
                "product_uids": "T-1",
            },
            {
                "author": "lucia_runs",
                "title": "跑鞋",
                "body": "我是宽脚，平时穿42码。",
                "language": "zh",
                "tags": '["宽脚"]',
                "product_ids": str(product.id),
                "product_uids": "",
            },
        ],
    )
    # when the notes are imported
    result = run(db, tmp_path, "import", "notes", str(good))
    # then both exist, with detected language, normalised tags and product links
    assert result.exit_code == 0, result.output
    with db.read() as session:
        notes = {n.title: n for n in session.scalars(select(Note))}
        tags = sorted(session.scalars(select(NoteTag.tag)))
        links = session.scalar(select(func.count()).select_from(NoteProduct))
        note_count = session.scalar(select(Product.note_count).where(Product.id == product.id))
    assert notes["Pie ancho"].language == "es"
    # the buyer-show refresh after the insert is not an edit
    assert all(n.updated_at == n.created_at for n in notes.values())
    assert tags == ["pie ancho", "running", "宽脚"]
    assert links == 2
    assert note_count == 2
    # and a file naming an unknown author imports nothing
    bad = write_csv(
        tmp_path / "bad.csv",
        [
            {"author": "lucia_runs", "title": "ok", "body": "ok"},
            {"author": "nobody_here", "title": "x", "body": "y"},
        ],
    )
    result = run(db, tmp_path, "import", "notes", str(bad))
    assert result.exit_code != 0
    assert "line 3: no user named 'nobody_here'" in result.output
    assert count(db, Note) == 2


def test_unknown_extension_is_one_line_error(db: Database, tmp_path: Path):
    path = tmp_path / "products.xlsx"
    path.write_text("x")
    result = run(db, tmp_path, "import", "products", str(path))
    assert result.exit_code == 1
    assert "unknown file type '.xlsx'" in result.output


def test_export_then_import_round_trip(db: Database, tmp_path: Path):
    # given a small demo store, exported
    seed_demo(db, seed=5, scale=0.02)
    out = tmp_path / "export"
    result = run(db, tmp_path, "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    users = [json.loads(line) for line in (out / "users.jsonl").read_text().splitlines()]
    assert all("password_hash" not in u for u in users)
    # when a fresh store with the same people imports the products and notes back
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade(other)
    with other.write() as session:
        for u in users:
            accounts.create_user(
                session,
                username=u["username"],
                password="",
                password_hash=FAST_HASH,
                display_name=u["display_name"],
                roles=u["roles"],
            )
    for kind in ("products", "notes"):
        result = run(other, tmp_path, "import", kind, str(out / f"{kind}.jsonl"))
        assert result.exit_code == 0, result.output

    # then products, SKUs, notes, tags and links match the original store
    def snapshot(store: Database) -> tuple[object, ...]:
        with store.read() as session:
            return (
                sorted(session.scalars(select(Product.title))),
                sorted((str(p), s) for p, s in session.execute(select(Sku.price, Sku.stock)).all()),
                sorted(session.scalars(select(Note.body))),
                session.scalar(select(func.count()).select_from(NoteTag)),
                session.scalar(select(func.count()).select_from(NoteProduct)),
            )

    def verified(store: Database) -> int:
        with store.read() as session:
            return session.scalar(select(func.count()).select_from(Note).where(Note.verified_purchase)) or 0

    assert snapshot(other) == snapshot(db)
    # and the buyer-show badge is recomputed from orders, not copied: none came along
    assert verified(db) > 0
    assert verified(other) == 0
    other.dispose()
