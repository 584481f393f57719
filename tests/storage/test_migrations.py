from sqlalchemy import inspect

from nichely.storage.migrate import current_revision, head_revision
from nichely.storage.schema import metadata


def test_first_migration_builds_every_table_from_empty(db):
    # given a store migrated by the fixture from an empty database
    # then every table the models declare exists and the store is at the newest revision
    tables = set(inspect(db.reader).get_table_names())
    assert set(metadata.tables) <= tables
    assert current_revision(db) == head_revision(db)


def test_stock_can_never_go_negative(db, make_product):
    # given a SKU with stock
    product = make_product()
    sku_id = product.skus[0].id
    # when something tries to store negative stock, the database itself refuses
    import pytest
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    from nichely.catalog.models import Sku

    with pytest.raises(IntegrityError), db.write() as session:
        session.execute(update(Sku).where(Sku.id == sku_id).values(stock=-1))
    with db.read() as session:
        assert session.get(Sku, sku_id).stock == 10


def test_the_search_index_migration_names_every_kind_the_index_has(db):
    # given the migration that gives each search kind its own full-text index on PostgreSQL
    import importlib.util
    from pathlib import Path

    import nichely.storage
    from nichely.search.models import KINDS

    path = Path(nichely.storage.__file__).parent / "migrations" / "versions" / "0008_search_tsv_per_kind.py"
    spec = importlib.util.spec_from_file_location("m0008", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # then it knows exactly the kinds the index stores (a kind it missed would have no index)
    assert tuple(module.KINDS) == tuple(KINDS)
    if db.dialect == "postgresql":
        indexes = {i["name"] for i in inspect(db.reader).get_indexes("search_documents")}
        assert {f"ix_search_documents_tsv_{kind}" for kind in KINDS} <= indexes
