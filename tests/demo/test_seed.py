"""The demo generator: deterministic, consistent with the platform's rules, planted cases present."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from nichely.accounts.models import Follow, User
from nichely.accounts.passwords import verify_password
from nichely.catalog.models import Product
from nichely.commerce.models import ORDER_STATUSES, Order
from nichely.community.models import Note, NoteProduct, Reaction
from nichely.community.verification import verified_clause
from nichely.demo import DEMO_PASSWORD, generate, seed_demo
from nichely.demo.seed import TABLES
from nichely.errors import Conflict
from nichely.storage.engine import Database

SCALE = 0.03


@pytest.fixture
def seeded(db: Database):  # type: ignore[no-untyped-def]
    return seed_demo(db, seed=11, scale=SCALE)


def test_same_seed_gives_identical_rows():
    # given two generations with the same seed, and one with another seed
    first, _ = generate(seed=3, scale=SCALE)
    second, _ = generate(seed=3, scale=SCALE)
    other, _ = generate(seed=4, scale=SCALE)
    # then every table is row-for-row identical, and a different seed differs
    for table in TABLES:
        assert first.rows[table] == second.rows[table], table
    assert first.rows["notes"] != other.rows["notes"]


def test_small_store_counts_and_every_order_status(db: Database, seeded):  # type: ignore[no-untyped-def]
    with db.read() as session:
        # then the store holds what the manifest says it generated
        for table in (
            "users",
            "shops",
            "products",
            "skus",
            "notes",
            "orders",
            "reactions",
            "events",
            "search_log",
        ):
            assert session.scalar(text(f"SELECT count(*) FROM {table}")) == seeded.counts[table], table
        statuses = set(session.scalars(select(Order.status).distinct()))
        languages = set(session.scalars(select(Note.language).distinct()))
        rooms = set(session.scalars(text("SELECT DISTINCT status FROM live_rooms")))
    assert statuses == set(ORDER_STATUSES)
    assert languages == {"zh", "en", "es"}
    assert rooms == {"scheduled", "live", "ended"}
    assert seeded.counts["notes"] == 300
    assert seeded.counts["shops"] >= 13


def test_verified_purchase_matches_delivered_orders(db: Database, seeded):  # type: ignore[no-untyped-def]
    with db.read() as session:
        # when the badge is recomputed from orders by the platform's own rule
        mismatched = session.scalar(
            select(func.count()).select_from(Note).where(Note.verified_purchase != verified_clause())
        )
        verified = session.scalar(
            select(func.count()).select_from(Note).where(Note.verified_purchase.is_(True))
        )
    # then no note disagrees, and buyer shows exist
    assert mismatched == 0
    assert verified > 0


def test_badge_refresh_keeps_each_note_as_its_author_wrote_it(db: Database, seeded):  # type: ignore[no-untyped-def]
    # the badge is derived state: a seeded note was last edited when it was written
    with db.read() as session:
        edited_later = session.scalar(
            select(func.count()).select_from(Note).where(Note.updated_at != Note.created_at)
        )
    assert edited_later == 0


def test_counters_match_rows(db: Database, seeded):  # type: ignore[no-untyped-def]
    with db.read() as session:
        likes = dict(
            session.execute(
                select(Reaction.note_id, func.count())
                .where(Reaction.kind == "like")
                .group_by(Reaction.note_id)
            ).all()
        )
        notes = session.execute(select(Note.id, Note.like_count)).all()
        followers = dict(
            session.execute(select(Follow.followee_id, func.count()).group_by(Follow.followee_id)).all()
        )
        users = session.execute(select(User.id, User.follower_count)).all()
    assert all(likes.get(note_id, 0) == count for note_id, count in notes)
    assert all(followers.get(user_id, 0) == count for user_id, count in users)


def test_planted_ring(db: Database, seeded):  # type: ignore[no-untyped-def]
    ring = seeded.ring_user_ids
    with db.read() as session:
        created = list(session.scalars(select(User.created_at).where(User.id.in_(ring))))
        follows = session.scalar(
            select(func.count())
            .select_from(Follow)
            .where(Follow.follower_id.in_(ring), Follow.followee_id.in_(ring))
        )
        authors = set(session.scalars(select(Note.author_id).where(Note.id.in_(seeded.ring_note_ids))))
        shops = set(
            session.scalars(
                select(Product.shop_id)
                .join(NoteProduct, NoteProduct.product_id == Product.id)
                .where(NoteProduct.note_id.in_(seeded.ring_note_ids))
            )
        )
        ring_likes = session.scalar(
            select(func.count())
            .select_from(Reaction)
            .where(
                Reaction.user_id.in_(ring),
                Reaction.note_id.in_(seeded.ring_note_ids),
                Reaction.kind == "like",
            )
        )
    # then twelve accounts were created within one hour and all follow each other
    assert len(ring) == 12
    assert max(created) - min(created) <= timedelta(hours=1)
    assert follows == 12 * 11
    # and their reviews are all about one shop, and they like each other's reviews
    assert authors == set(ring)
    assert shops == {seeded.ring_shop_id}
    assert ring_likes == len(seeded.ring_note_ids) * 11


def test_planted_ads_and_copies(db: Database, seeded):  # type: ignore[no-untyped-def]
    with db.read() as session:
        ads = session.execute(
            select(Note.disclosure, Note.body).where(Note.id.in_(seeded.undisclosed_ad_note_ids))
        ).all()
        group = seeded.near_duplicate_groups[0]
        copies = session.execute(select(Note.author_id, Note.title).where(Note.id.in_(group))).all()
        linked = set(session.scalars(select(NoteProduct.product_id).where(NoteProduct.note_id.in_(group))))
    # then ads carry a coupon code but no disclosure
    assert len(ads) >= 6
    assert all(disclosure == "none" for disclosure, _ in ads)
    assert all(any(ch.isdigit() for ch in body) for _, body in ads)
    # and each copy group is one title by several authors about one product
    assert len({title for _, title in copies}) == 1
    assert len({author for author, _ in copies}) == len(group) >= 4
    assert len(linked) == 1


def test_demo_password_logs_in(db: Database, seeded):  # type: ignore[no-untyped-def]
    with db.read() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "demo_shopper"))
    assert verify_password(stored, DEMO_PASSWORD)


def test_refuses_a_store_with_data(db: Database, seeded):  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict):
        seed_demo(db, seed=11, scale=SCALE)


def test_demo_buyers_choose_skus_that_fit_them() -> None:
    from decimal import Decimal

    from nichely.demo.context import Person
    from nichely.demo.orders import fitting_sku

    skus = [
        (1, Decimal(80), {"size": "41", "width": "standard", "colour": "black"}),
        (2, Decimal(85), {"size": "41", "width": "wide", "colour": "black"}),
        (3, Decimal(80), {"size": "42", "width": "standard", "colour": "black"}),
        (4, Decimal(85), {"size": "42", "width": "wide", "colour": "black"}),
        (5, Decimal(80), {"size": "42", "width": "standard", "colour": "white"}),
    ]

    def person(scenarios: list[str], size: str) -> Person:
        return Person(1, "p", "en", ["shopper"], scenarios, None, {"size": size, "cloth": "XL"}, "shopper")  # type: ignore[arg-type]

    # wide feet and size 42: the wide 42 in the picked colour
    assert fitting_sku(person(["wide_fit"], "42"), skus, skus[0])[0] == 4
    # size 42 without wide feet keeps the width picked
    assert fitting_sku(person(["running"], "42"), skus, skus[0])[0] == 3
    # a size the product does not come in keeps the pick's size
    assert fitting_sku(person(["running"], "45"), skus, skus[1])[0] == 2
    # no SKU with every wished option (wide in white): the pick stands
    assert fitting_sku(person(["wide_fit"], "42"), skus, skus[4])[0] == 5
