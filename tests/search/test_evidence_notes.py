"""Which notes a product's evidence is chosen from (service.evidence_notes), on both stores."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nichely.community.models import Note, NoteProduct
from nichely.search import service
from nichely.search.service import evidence_notes, evidence_notes_for


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


def test_reading_several_products_at_once_reads_each_as_alone(db, shows):
    # given two products read one at a time
    busy, quiet = shows
    alone = {p.id: _read(db, p, 7) for p in (busy, quiet)}
    # when both are read by one call (one statement for every product's links)
    with db.read() as session:
        together = evidence_notes_for(session, [busy.id, quiet.id], 7)
        # then each product gets the same notes, in the same order
        assert {pid: [(n.title, n.verified_purchase) for n in ns] for pid, ns in together.items()} == alone


def test_a_product_without_notes_gets_an_empty_list(db, shows, make_product):
    lonely = make_product(title="Lonely kettle")
    with db.read() as session:
        assert evidence_notes_for(session, [lonely.id]) == {lonely.id: []}
        assert evidence_notes_for(session, []) == {}


def test_hidden_notes_are_never_read(db, shows):
    # given the newest buyer show of the busy product taken down
    busy, _ = shows
    with db.write() as session:
        note = session.scalars(select(Note).where(Note.title == "note 4")).one()
        note.status = "removed"
    # then it is not among the product's notes
    assert ("note 4", True) not in _read(db, busy, 10)
    assert _read(db, busy, 10)[0] == ("note 3", True)


def test_more_products_than_one_statement_holds_are_read_in_several(db, shows, monkeypatch):
    # given statements of one product each
    busy, quiet = shows
    alone = {p.id: _read(db, p, 7) for p in (busy, quiet)}
    monkeypatch.setattr(service, "LINKS_PER_STATEMENT", 1)
    # when both products are read, then each still gets its own notes
    with db.read() as session:
        together = evidence_notes_for(session, [busy.id, quiet.id], 7)
        assert {pid: [(n.title, n.verified_purchase) for n in ns] for pid, ns in together.items()} == alone
