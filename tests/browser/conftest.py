"""Browser tests: the app served by uvicorn on 127.0.0.1 over a fresh SQLite store, driven by Playwright
in Debian's headless Chromium. One server and one browser per session; a new browser context per test."""

from __future__ import annotations

import io
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from PIL import Image, ImageDraw

from nichely.accounts import service as accounts
from nichely.app import create_app
from nichely.catalog import service as catalog
from nichely.commerce import service as commerce
from nichely.community import photos
from nichely.community import service as community
from nichely.settings import Settings
from nichely.storage.engine import Database, open_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser-pass-1"


@dataclass
class Site:
    url: str
    db: Database
    settings: Settings
    product_ids: list[int]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _photo(hue: tuple[int, int, int], label: str) -> bytes:
    """A soft gradient with a simple shape: enough to see how cards lay out photos."""
    w, h = 600, 800
    img = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        draw.line([(0, y), (w, y)], fill=tuple(int(c * (1 - t) + 250 * t) for c in hue))
    draw.ellipse([150, 250, 450, 550], fill=tuple(min(255, c + 40) for c in hue))
    draw.text((40, 40), label, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()


def seed(db: Database, settings: Settings) -> list[int]:
    """A small community: a shop with products, and notes (some buyer shows, one sponsored) with photos."""
    with db.write() as s:
        manager = accounts.create_user(
            s, username="mei_run", password=PASSWORD, display_name="Mei 跑步", roles=["manager", "creator"]
        )
        writer = accounts.create_user(s, username="ana_walks", password=PASSWORD, display_name="Ana García")
        shop = catalog.create_shop(s, manager, name="Mei's Running Lab", description="Shoes for wide feet.")
        trail = catalog.create_product(
            s,
            manager,
            shop_id=shop.id,
            title="Wide Trail Runner",
            description="A roomy toe box and a grippy sole.",
            category="running shoes",
            skus=[
                {"attributes": {"size": "41", "width": "wide"}, "price": "89.00", "stock": 5},
                {"attributes": {"size": "42", "width": "wide"}, "price": "89.00", "stock": 2},
                {"attributes": {"size": "43", "width": "wide"}, "price": "92.00", "stock": 0},
            ],
        )
        lamp = catalog.create_product(
            s,
            manager,
            shop_id=shop.id,
            title="Dorm Desk Lamp 宿舍台灯",
            category="lamps",
            skus=[{"attributes": {"colour": "white"}, "price": "39.90", "stock": 12}],
        )
        # Ana bought the trail runner and it arrived: her notes about it are buyer shows.
        order, _ = commerce.place_order(s, writer, [{"sku_id": trail.skus[0].id, "quantity": 1}])
        commerce.change_status(s, writer, order.id, "pay")
        commerce.change_status(s, manager, order.id, "ship")
        commerce.change_status(s, manager, order.id, "deliver")
        notes: list[tuple[Any, str, dict[str, Any], tuple[int, int, int]]] = [
            (
                writer,
                "Finally a shoe for my wide feet",
                {"product_ids": [trail.id], "tags": ["wide feet"]},
                (232, 65, 90),
            ),
            (
                manager,
                "宿舍小书桌也放得下的台灯",
                {"product_ids": [lamp.id], "tags": ["宿舍"]},
                (63, 127, 196),
            ),
            (
                writer,
                "Zapatillas cómodas para correr",
                {"product_ids": [trail.id], "language": "es"},
                (46, 160, 120),
            ),
            (
                manager,
                "Ten kilometres in the rain",
                {"product_ids": [trail.id], "disclosure": "sponsored", "sponsor_shop_id": shop.id},
                (160, 100, 200),
            ),
        ]
        for author, title, extra, hue in notes:
            note = community.create_note(
                s, author, title=title, body=f"{title}. Real use, real notes.", **extra
            )
            photos.add_photo(
                s, author, note.id, _photo(hue, title[:12]), settings.media_dir, settings.max_upload_bytes
            )
        return [trail.id, lamp.id]


@pytest.fixture(scope="session")
def site(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("browser-site")
    path = root / "nichely.db"
    shutil.copy(sqlite_template, path)
    db = open_database(f"sqlite:///{path}")
    settings = Settings(
        database_url=f"sqlite:///{path}", media_dir=root / "media", secret_key="browser-secret"
    )
    product_ids = seed(db, settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, db), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield Site(f"http://127.0.0.1:{port}", db, settings, product_ids)
    server.should_exit = True
    thread.join(timeout=10)
    db.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the site; fails the test on CSP violations or JS errors."""
    context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    tab.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    yield tab
    context.close()
    assert problems == []
