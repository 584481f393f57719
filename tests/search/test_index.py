"""Contract tests for the search index: run against SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, update

from nichely.catalog.models import Product
from nichely.community.models import Note, NoteProduct
from nichely.search.analysis import analyze
from nichely.search.backends import lexical_backend
from nichely.search.engine import SearchEngine
from nichely.search.index import index_note, index_product, index_products, index_user, reindex
from nichely.search.models import SearchDocument, SearchStat, SearchTerm
from nichely.storage.engine import Database


@pytest.fixture
def make_note(db: Database, make_user: Callable[..., Any]) -> Callable[..., Note]:
    def make(title: str, body: str, products: tuple[int, ...] = (), **fields: Any) -> Note:
        author = make_user()
        with db.write() as session:
            note = Note(author_id=author.id, language="en", title=title, body=body, **fields)
            session.add(note)
            session.flush()
            for product_id in products:
                session.add(NoteProduct(note_id=note.id, product_id=product_id))
            session.flush()
            index_note(session, note.id)
            return note

    return make


def _indexed(db: Database, make_product: Callable[..., Product], **fields: Any) -> Product:
    product = make_product(**fields)
    with db.write() as session:
        index_product(session, product.id)
    return product


def _ids(db: Database, query: str, kind: str = "product") -> list[int]:
    with db.read() as session:
        return [h.ref_id for h in SearchEngine().search(session, query, kind)]


def test_committed_product_is_findable_at_once(db, make_product):
    # given a product indexed in the transaction that saved it
    product = _indexed(db, make_product, title="Wide-toe trail running shoes", description="Grippy sole")
    # when someone searches with a different word form, then it is found
    assert _ids(db, "trail shoe") == [product.id]


def test_rolled_back_product_is_never_findable(db, make_product):
    # given a product whose indexing transaction fails after indexing
    product = make_product(title="Plain mug")

    def index_then_fail() -> None:
        with db.write() as session:
            session.execute(
                update(Product).where(Product.id == product.id).values(title="Ceramic pour-over kettle")
            )
            index_product(session, product.id)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        index_then_fail()
    # then the index holds nothing for it
    assert _ids(db, "kettle") == []


def test_title_match_outranks_body_match(db, make_product):
    # given one product naming the need in its title and one only in its description
    in_body = _indexed(db, make_product, title="Everyday tote", description="fits a quiet keyboard")
    in_title = _indexed(db, make_product, title="Quiet mechanical keyboard", description="tactile")
    # when searching, the title hit comes first
    assert _ids(db, "quiet keyboard") == [in_title.id, in_body.id]


def test_reindexing_a_changed_product_replaces_its_terms(db, make_product):
    # given an indexed product whose title then changes
    product = _indexed(db, make_product, title="Linen shirt")
    with db.write() as session:
        session.execute(update(Product).where(Product.id == product.id).values(title="Wool sweater"))
        index_product(session, product.id)
    # then the new words find it, the old do not, and statistics count it once
    assert _ids(db, "sweater") == [product.id]
    assert _ids(db, "linen") == []
    with db.read() as session:
        rows = session.execute(
            select(SearchTerm.term, SearchTerm.df).where(
                SearchTerm.kind == "product", SearchTerm.field == "title"
            )
        )
        df = {str(term): int(count) for term, count in rows}
        stat = session.get(SearchStat, ("product", "title"))
    assert df == {analyze("wool")[0]: 1, analyze("sweater")[0]: 1}
    assert stat is not None
    assert (stat.doc_count, stat.total_length) == (1, 2)


def test_hidden_product_leaves_the_index(db, make_product):
    product = _indexed(db, make_product, title="Bamboo cutting board")
    with db.write() as session:
        session.execute(update(Product).where(Product.id == product.id).values(status="hidden"))
        index_product(session, product.id)
    assert _ids(db, "cutting board") == []
    with db.read() as session:
        assert session.scalar(select(SearchTerm).where(SearchTerm.kind == "product").limit(1)) is None


def test_notes_and_people_are_searchable(db, make_note, make_user):
    # given a note and a person
    note = make_note("Three weeks with flat feet in hiking boots", "the arch support finally helped")
    person = make_user(display_name="Mia Trailwalker", bio="ultralight hiking gear")
    with db.write() as session:
        index_user(session, person.id)
    # then each is found by its own kind
    assert _ids(db, "flat feet boots", "note") == [note.id]
    assert _ids(db, "ultralight hiking", "user") == [person.id]


def test_chinese_text_is_found_by_a_two_character_word(db, make_product):
    product = _indexed(db, make_product, title="宽脚运动鞋 透气", description="适合扁平足")
    assert _ids(db, "运动鞋") == [product.id]


def test_notes_bring_in_products_they_review(db, make_product, make_note):
    # given a product whose title does not say "wide feet", and a buyer show that does
    product = _indexed(db, make_product, title="Model 7 trail runner", description="")
    make_note("Finally fits my wide feet", "wide feet, no blisters", products=(product.id,))
    # when searching for the need, the product is found through the note
    with db.read() as session:
        hits = SearchEngine().search(session, "wide feet")
    assert [h.ref_id for h in hits] == [product.id]
    assert hits[0].note_matches == 1


def test_reindex_rebuilds_from_the_store(db, make_product):
    # given products saved without indexing, and a stale document for a deleted product
    first = make_product(title="Cast iron skillet")
    second = make_product(title="Carbon steel wok")
    with db.write() as session:
        lexical_backend(db.dialect).put(session, "product", [(999, "stale", "")])
    # when the index is rebuilt
    counts = reindex(db)
    # then exactly the stored products are found
    assert counts["product"] == 2
    assert _ids(db, "skillet") == [first.id]
    assert _ids(db, "wok") == [second.id]
    assert _ids(db, "stale") == []
    with db.read() as session:
        title_stat = select(SearchStat.doc_count).where(
            SearchStat.kind == "product", SearchStat.field == "title"
        )
        assert session.scalar(title_stat) == 2
        assert len(list(session.scalars(select(SearchDocument).where(SearchDocument.kind == "product")))) == 2


def test_bulk_indexing_after_an_import(db, make_product):
    # given products saved in bulk, one of them hidden
    shown = [make_product(title=f"Oak shelf {i}") for i in range(3)]
    hidden = make_product(title="Oak shelf hidden")
    with db.write() as session:
        session.execute(update(Product).where(Product.id == hidden.id).values(status="hidden"))
        index_products(session, [p.id for p in shown] + [hidden.id])
    # then the visible ones are found in one go
    assert sorted(_ids(db, "oak shelf")) == sorted(p.id for p in shown)
