from nichely.community.models import Note
from nichely.community.verification import refresh_verified_purchases


def test_badge_follows_a_delivered_order_without_touching_the_authors_edit_time(
    db, make_user, make_product, make_note, deliver
):
    # given a note about a product its author has not bought yet
    author = make_user()
    product = make_product()
    note = make_note(author=author, products=[product])
    with db.read() as session:
        before = session.get(Note, note.id)
        assert before.verified_purchase is False
        edited_at = before.updated_at
    # when the author's order of that product is delivered and the badge is refreshed
    deliver(author, product)
    with db.write() as session:
        refresh_verified_purchases(session, author.id)
    # then the note is a buyer show, and its updated_at still says when the author last edited it
    with db.read() as session:
        after = session.get(Note, note.id)
        assert after.verified_purchase is True
        assert after.updated_at == edited_at
