"""A search served after earlier searches (caches warm) still sees what was written since, on both stores."""

from __future__ import annotations

import time

from nichely.community.models import Note, NoteProduct
from nichely.search import service
from nichely.search.index import index_note, index_product


def _note(db, author_id, product_id, title, body):
    with db.write() as session:
        note = Note(author_id=author_id, language="en", title=title, body=body, verified_purchase=True)
        session.add(note)
        session.flush()
        session.add(NoteProduct(note_id=note.id, product_id=product_id))
        session.flush()
        index_note(session, note.id)
        index_product(session, product_id)
        return note.id


def test_a_new_note_is_found_within_a_second_of_being_written(db, make_product, make_user):
    # given a kettle already searched for, so the process's parser, engines and statements are built
    kettle = make_product(title="Gooseneck kettle")
    with db.write() as session:
        index_product(session, kettle.id)
    author = make_user()
    _note(db, author.id, kettle.id, "First pour", "The gooseneck kettle pours slowly.")
    with db.read() as session:
        before = service.search(session, "gooseneck kettle")
    assert [r.product.id for r in before.products] == [kettle.id]
    # when a new note about it is written
    written = time.monotonic()
    note_id = _note(db, author.id, kettle.id, "Quiet boil", "The gooseneck kettle is quiet at night.")
    # then the next search, within a second, has it among the notes and as the kettle's evidence
    with db.read() as session:
        after = service.search(session, "quiet gooseneck kettle")
    assert time.monotonic() - written < 1.0
    assert note_id in [n.id for n in after.notes]
    assert note_id in [e.note.id for e in after.products[0].evidence]
