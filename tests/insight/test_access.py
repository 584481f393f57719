"""Who may read which insight: every way a manager might name another shop's sales."""

from __future__ import annotations

import pytest

from nichely.errors import Forbidden, NotFound
from nichely.insight.access import check_needs_reader, check_sku_reader


@pytest.fixture
def two_shops(make_user, make_shop, make_product):
    mine, theirs = make_user(roles=["manager"]), make_user(roles=["manager"])
    my_shop, their_shop = make_shop(manager=mine), make_shop(manager=theirs)
    return {
        "manager": mine,
        "shop": my_shop,
        "product": make_product(shop=my_shop),
        "their_shop": their_shop,
        "their_product": make_product(shop=their_shop),
    }


def test_a_manager_reads_only_their_own_shop_and_products(db, two_shops):
    s = two_shops
    manager = s["manager"]
    with db.read() as session:
        check_sku_reader(session, manager, shop_id=s["shop"].id, product_id=None)
        check_sku_reader(session, manager, shop_id=None, product_id=s["product"].id)
        check_sku_reader(session, manager, shop_id=s["shop"].id, product_id=s["product"].id)
        for shop_id, product_id in (
            (s["their_shop"].id, None),
            (None, s["their_product"].id),
            (s["shop"].id, s["their_product"].id),
            (s["their_shop"].id, s["product"].id),
            (None, None),  # the whole store, or a category across shops
        ):
            with pytest.raises(Forbidden):
                check_sku_reader(session, manager, shop_id=shop_id, product_id=product_id)


def test_shoppers_are_refused_and_moderators_and_admins_read_anything(db, two_shops, make_user):
    s = two_shops
    with db.read() as session:
        with pytest.raises(Forbidden):
            check_sku_reader(session, make_user(), shop_id=s["shop"].id, product_id=None)
        with pytest.raises(Forbidden):
            check_needs_reader(make_user())
        for roles in (["moderator"], ["admin"]):
            reader = make_user(roles=roles)
            check_needs_reader(reader)
            check_sku_reader(session, reader, shop_id=None, product_id=None)
            check_sku_reader(session, reader, shop_id=s["their_shop"].id, product_id=None)
        with pytest.raises(NotFound):
            check_sku_reader(session, make_user(roles=["moderator"]), shop_id=2**70, product_id=None)
        with pytest.raises(NotFound):
            check_sku_reader(session, make_user(roles=["moderator"]), shop_id=None, product_id=-3)
