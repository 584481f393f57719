"""Which notes a product's evidence is chosen from (service.evidence_notes), on both stores."""

from __future__ import annotations

import pytest

from nichely.community.models import Note, NoteProduct
from nichely.search import service
from nichely.search.service import evidence_notes


@pytest.fixture
def shows(db, make_product, make_user):
    """Two products: one with 5 buyer shows and 5 other notes, one with 2 other notes."""
    busy, quiet = make_product(title="Busy kettle"), make_product(title="Quiet kettle")
    author = make_user()
    with db.write() as session:
        for i in range(12):
            product = busy if i < 10 else quiet
            note = Note(
                author_id=author.id, language="en", title=f"note {i}", body="", verified_purchase=i < 5
            )
            session.add(note)
            session.flush()
            session.add(NoteProduct(note_id=note.id, product_id=product.id))
    return busy, quiet


def _read(db, product, limit):
    with db.read() as session:
        return [(n.title, n.verified_purchase) for n in evidence_notes(session, product, limit)]


def test_buyer_shows_come_first_then_the_newest_notes(db, shows):
    busy, _ = shows
    assert _read(db, busy, 7) == [
        ("note 4", True),
        ("note 3", True),
        ("note 2", True),
        ("note 1", True),
        ("note 0", True),
        ("note 9", False),
        ("note 8", False),
    ]


def test_a_product_with_many_shows_does_not_crowd_out_another(db, shows):
    _, quiet = shows
    assert _read(db, quiet, 3) == [("note 11", False), ("note 10", False)]


def test_walking_the_newest_notes_reads_the_same_as_sorting_a_products_notes(db, shows, monkeypatch):
    # given the same products, read once by sorting each product's notes ...
    busy, quiet = shows
    sorted_read = [_read(db, p, 7) for p in (busy, quiet)]
    # ... and once by walking the newest notes, as for a product with very many notes
    monkeypatch.setattr(service, "WALK_NOTES", -1)
    assert [_read(db, p, 7) for p in (busy, quiet)] == sorted_read
