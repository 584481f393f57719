"""Shared fixtures: a freshly migrated store per test on SQLite and PostgreSQL, factories, clients.

Each test gets its own copy of a migrated template (a file copy on SQLite, CREATE DATABASE ...
TEMPLATE on PostgreSQL), so no test sees another's rows and nothing is wiped behind anyone's back.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from nichely.accounts import service as accounts
from nichely.accounts.models import User
from nichely.app import create_app
from nichely.catalog.models import Product, Shop, Sku
from nichely.search.index import index_product
from nichely.settings import Settings
from nichely.storage.engine import Database, open_database
from nichely.storage.migrate import upgrade

PG_URL = os.environ.get("NICHELY_TEST_POSTGRES_URL", "")
# A cheap hash keeps the thousands of test sign-ups fast; production uses Argon2id (see test_passwords).
FAST_HASH = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$J8qCjcGx0s5ZfUeMUaF3Kg"
_counter = itertools.count(1)


def _worker() -> str:
    # The process id keeps concurrent test runs on one server from dropping each other's databases.
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = open_database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    return path


def _pg_admin(url: str) -> psycopg.Connection:
    return psycopg.connect(url.replace("postgresql://", "postgresql://", 1), autocommit=True)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("NICHELY_TEST_POSTGRES_URL must be set in CI: PostgreSQL tests may not skip there")
        pytest.skip("NICHELY_TEST_POSTGRES_URL is not set")
    name = f"nichely_tpl_{_worker()}"
    base = PG_URL.rsplit("/", 1)[0]
    with _pg_admin(PG_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    db = open_database(f"{base}/{name}")
    upgrade(db)
    db.dispose()
    yield name
    with _pg_admin(PG_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty store of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "nichely.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        database = open_database(f"sqlite:///{path}")
        yield database
        database.dispose()
        return
    template = request.getfixturevalue("pg_template")
    name = f"nichely_t_{_worker()}_{next(_counter)}"
    base = PG_URL.rsplit("/", 1)[0]
    with _pg_admin(PG_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    database = open_database(f"{base}/{name}")
    yield database
    database.dispose()
    with _pg_admin(PG_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """A migrated SQLite store, for tests that are about the app rather than the store."""
    path = tmp_path / "nichely.db"
    shutil.copy(sqlite_template, path)
    database = open_database(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url="unused", media_dir=tmp_path / "media", secret_key="test-secret-key")


@pytest.fixture
def app(db: Database, settings: Settings):  # type: ignore[no-untyped-def]
    return create_app(settings, db)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        yield c


@pytest.fixture
def make_user(db: Database) -> Callable[..., User]:
    def make(**overrides: Any) -> User:
        n = next(_counter)
        fields: dict[str, Any] = {
            "username": f"user{n}",
            "password": "",
            "password_hash": FAST_HASH,
            "display_name": f"User {n}",
        }
        fields.update(overrides)
        if overrides.get("password"):
            fields.pop("password_hash")
        with db.write() as session:
            return accounts.create_user(session, **fields)

    return make


@pytest.fixture
def make_token(db: Database) -> Callable[[User], dict[str, str]]:
    """Authorization headers for a user."""

    def make(user: User) -> dict[str, str]:
        with db.write() as session:
            secret = accounts.issue_token(session, user, "api", 1)
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def make_shop(db: Database, make_user: Callable[..., User]) -> Callable[..., Shop]:
    def make(manager: User | None = None, **overrides: Any) -> Shop:
        manager = manager or make_user(roles=["manager"])
        n = next(_counter)
        with db.write() as session:
            shop = Shop(manager_id=manager.id, name=overrides.get("name", f"Shop {n}"), description="")
            session.add(shop)
            session.flush()
            return shop

    return make


@pytest.fixture
def make_product(db: Database, make_shop: Callable[..., Shop]) -> Callable[..., Product]:
    def make(shop: Shop | None = None, skus: list[dict[str, Any]] | None = None, **overrides: Any) -> Product:
        shop = shop or make_shop()
        n = next(_counter)
        with db.write() as session:
            product = Product(
                shop_id=shop.id,
                title=overrides.get("title", f"Product {n}"),
                description=overrides.get("description", "A thing people use."),
                category=overrides.get("category", "running shoes"),
                attributes=overrides.get("attributes", {}),
            )
            session.add(product)
            session.flush()
            for spec in skus or [{"attributes": {"size": "42"}, "price": "99.00", "stock": 10}]:
                session.add(
                    Sku(
                        product_id=product.id,
                        attributes=spec.get("attributes", {}),
                        price=Decimal(str(spec.get("price", "10.00"))),
                        stock=spec.get("stock", 10),
                    )
                )
            session.flush()
            # Like every write in the platform, the factory keeps the search index in step.
            index_product(session, product.id)
            session.refresh(product, ["skus"])
            return product

    return make


# Community factories (make_note, make_moderator, deliver) and the feed's planted community, for every folder.
pytest_plugins = ["tests.community.fixtures", "tests.recommend.feed_fixtures"]
