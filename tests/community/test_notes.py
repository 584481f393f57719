import pytest

from nichely.catalog.models import Product
from nichely.community import service as community
from nichely.community.models import Note
from nichely.errors import Forbidden, InvalidInput, NotFound


def test_tags_are_trimmed_unhashed_lowercased_and_deduplicated():
    # given raw tags as people type them
    raw = ["  #Trail Running ", "trail   running", "#跑鞋", "##Wide", "", "#"]
    # when they are normalised
    tags = community.normalise_tags(raw)
    # then Latin is lower-cased, CJK kept, duplicates and empties gone, order kept
    assert tags == ["trail running", "跑鞋", "wide"]


def test_more_than_twenty_distinct_tags_are_refused():
    with pytest.raises(InvalidInput, match="at most 20 tags"):
        community.normalise_tags([f"t{i}" for i in range(21)])


def test_create_detects_language_when_auto(db, make_user):
    # given a Chinese note without a language
    author = make_user()
    with db.write() as session:
        # when it is created with language 'auto'
        note = community.create_note(
            session, author, title="宽脚跑鞋", body="这双鞋很适合宽脚", language="auto"
        )
        # then the language is detected
        assert note.language == "zh"


def test_create_refuses_a_missing_product_naming_it_and_writes_nothing(db, make_user, make_product):
    # given one real product
    author = make_user()
    product = make_product()
    # when a note links it and a product that does not exist
    with pytest.raises(InvalidInput, match="product 999999 does not exist") as caught, db.write() as session:
        community.create_note(
            session, author, title="t", body="b", language="en", product_ids=[product.id, 999999]
        )
    # then the error names the id and no note was stored
    assert caught.value.extra["product_id"] == 999999
    with db.read() as session:
        assert session.query(Note).count() == 0


@pytest.mark.parametrize(
    ("disclosure", "sponsor", "message"),
    [
        ("sponsored", None, "must name its sponsor_shop_id"),
        ("none", "shop", "must disclose it"),
        ("gifted", 999999, "shop 999999 does not exist"),
        ("paid", None, "disclosure must be one of"),
    ],
)
def test_disclosure_rules(db, make_user, make_shop, disclosure, sponsor, message):
    # given a shop that might sponsor the note
    author = make_user()
    shop = make_shop()
    sponsor_id = shop.id if sponsor == "shop" else sponsor
    # when the disclosure and sponsor disagree, then the note is refused
    with pytest.raises(InvalidInput, match=message), db.write() as session:
        community.create_note(
            session,
            author,
            title="t",
            body="b",
            language="en",
            disclosure=disclosure,
            sponsor_shop_id=sponsor_id,
        )


def test_sponsored_note_with_a_real_shop_is_accepted(db, make_user, make_shop):
    author = make_user()
    shop = make_shop()
    with db.write() as session:
        note = community.create_note(
            session,
            author,
            title="t",
            body="b",
            language="en",
            disclosure="sponsored",
            sponsor_shop_id=shop.id,
        )
        assert (note.disclosure, note.sponsor_shop_id) == ("sponsored", shop.id)


def test_note_by_a_buyer_who_received_the_product_is_a_verified_buyer_show(
    db, make_user, make_product, deliver
):
    # given a person with a delivered order of a product
    buyer = make_user()
    product = make_product()
    deliver(buyer, product)
    # when they write a note linking it
    with db.write() as session:
        note = community.create_note(
            session, buyer, title="t", body="b", language="en", product_ids=[product.id]
        )
        # then the note carries the badge and the product counts it as a buyer show
        assert note.verified_purchase is True
    with db.read() as session:
        stored = session.get(Product, product.id)
        assert (stored.note_count, stored.buyer_show_count) == (1, 1)


def test_relinking_a_note_recounts_both_the_old_and_the_new_product(db, make_note, make_product):
    # given a note on product A
    a, b = make_product(), make_product()
    note = make_note(products=[a])
    with db.read() as session:
        author = session.get(Note, note.id).author_id
    # when its author moves it to product B
    with db.write() as session:
        from nichely.accounts.models import User

        community.update_note(session, session.get(User, author), note.id, product_ids=[b.id])
    # then A no longer counts it and B does
    with db.read() as session:
        assert session.get(Product, a.id).note_count == 0
        assert session.get(Product, b.id).note_count == 1


def test_only_the_author_may_edit_or_delete(db, make_note, make_user):
    note = make_note()
    stranger = make_user()
    with pytest.raises(Forbidden), db.write() as session:
        community.update_note(session, stranger, note.id, title="mine now")
    with pytest.raises(Forbidden), db.write() as session:
        community.delete_note(session, stranger, note.id)


def test_delete_is_soft_and_drops_the_note_from_lists_and_counts(db, make_user, make_note, make_product):
    # given a published note on a product
    author = make_user()
    product = make_product()
    note = make_note(author=author, products=[product])
    # when its author deletes it
    with db.write() as session:
        community.delete_note(session, author, note.id)
    # then the row stays, marked deleted, and it is gone from lists and the product count
    with db.read() as session:
        assert session.get(Note, note.id).status == "deleted"
        assert community.list_notes(session).items == []
        assert session.get(Product, product.id).note_count == 0
        # and strangers get NotFound while the author can still see it
        with pytest.raises(NotFound):
            community.require_visible_note(session, note.id, None)
        assert community.require_visible_note(session, note.id, author).id == note.id


def test_list_filters_by_author_product_tag_and_language(db, make_user, make_note, make_product):
    # given notes that differ in one way each
    ana = make_user()
    product = make_product()
    by_ana = make_note(author=ana)
    on_product = make_note(products=[product])
    tagged = make_note(tags=["#Trail"])
    spanish = make_note(language="es", title="Zapatos", body="muy cómodos")
    hidden = make_note(author=ana, status="hidden")
    with db.read() as session:

        def ids(**filters):
            return [n.id for n in community.list_notes(session, **filters).items]

        # then each filter finds exactly its note, newest first, and never the hidden one
        assert ids(author_id=ana.id) == [by_ana.id]
        assert ids(product_id=product.id) == [on_product.id]
        assert ids(tag="TRAIL") == [tagged.id]
        assert ids(language="es") == [spanish.id]
        assert hidden.id not in ids()
        assert ids() == sorted(ids(), reverse=True)


def test_list_pages_with_a_cursor(db, make_note):
    made = [make_note().id for _ in range(5)]
    with db.read() as session:
        first = community.list_notes(session, limit=2)
        second = community.list_notes(session, limit=2, cursor=first.next_cursor)
        third = community.list_notes(session, limit=2, cursor=second.next_cursor)
    seen = [n.id for n in first.items + second.items + third.items]
    assert seen == sorted(made, reverse=True)
    assert third.next_cursor is None


def test_titles_and_bodies_are_bounded(db, make_user):
    author = make_user()
    for title, body, message in [
        ("", "b", "title must not be empty"),
        ("x" * 201, "b", "title must have at most 200"),
        ("t", "   ", "body must not be empty"),
        ("t", "x" * 20001, "body must have at most 20000"),
    ]:
        with pytest.raises(InvalidInput, match=message), db.write() as session:
            community.create_note(session, author, title=title, body=body, language="en")


def test_nul_characters_are_dropped_rather_than_breaking_postgresql(db, make_user):
    author = make_user()
    with db.write() as session:
        note = community.create_note(
            session, author, title="a\x00b", body="c\x00d", language="en", tags=["x\x00y"]
        )
    with db.read() as session:
        stored = session.get(Note, note.id)
        assert (stored.title, stored.body, [t.tag for t in stored.tags]) == ("ab", "cd", ["xy"])
