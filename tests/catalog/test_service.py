"""Catalog rules: value checks, shops, products and SKUs, storefronts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from nichely.accounts.models import User
from nichely.catalog import service as catalog
from nichely.catalog.models import Product, Shop, Sku
from nichely.errors import Conflict, Forbidden, InvalidInput, NotFound


def manager_of(db, shop_id):
    with db.read() as session:
        return session.get(User, session.get(Shop, shop_id).manager_id)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("19.99", Decimal("19.99")),
        (0, Decimal("0.00")),
        (19.9, Decimal("19.90")),
        (Decimal("5"), Decimal("5.00")),
    ],
)
def test_prices_are_read_to_the_cent(given, expected):
    assert catalog.parse_price(given) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("-1", "negative"),
        ("abc", "must be a number"),
        ("NaN", "finite"),
        ("Infinity", "finite"),
        ("1.234", "two decimals"),
        ("1e12", "at most"),
        (True, "must be a number"),
        (None, "must be a number"),
    ],
)
def test_bad_prices_are_refused_with_a_reason(given, message):
    with pytest.raises(InvalidInput, match=message):
        catalog.parse_price(given)


@pytest.mark.parametrize("given", [True, 2.5, "3", -1, 10**12])
def test_bad_stock_counts_are_refused(given):
    with pytest.raises(InvalidInput):
        catalog.parse_count(given, "stock", low=0, high=catalog.MAX_STOCK)


@pytest.mark.parametrize("given", [{"size": 42}, {"size": None}, {"": "x"}, ["size"]])
def test_sku_attribute_values_must_be_strings(given):
    with pytest.raises(InvalidInput):
        catalog.clean_sku_attributes(given)


def test_only_managers_open_shops_and_names_are_unique(db, make_user):
    # given a shopper and a manager
    shopper, manager = make_user(), make_user(roles=["manager"])
    with db.write() as session:
        # when the shopper tries, then it is refused
        with pytest.raises(Forbidden):
            catalog.create_shop(session, shopper, name="Moss & Stone")
        # when the manager opens a shop, then they run it
        shop = catalog.create_shop(session, manager, name="  Moss & Stone ", description="Bouldering kit")
    assert (shop.name, shop.manager_id) == ("Moss & Stone", manager.id)
    # when another manager takes the same name, then it conflicts
    with pytest.raises(Conflict, match="already exists"), db.write() as session:
        catalog.create_shop(session, make_user(roles=["manager"]), name="Moss & Stone")


def test_only_the_manager_changes_a_shop(db, make_user, make_shop):
    # given a shop
    shop = make_shop()
    # when another manager renames it, then it is refused
    with pytest.raises(Forbidden), db.write() as session:
        catalog.update_shop(session, make_user(roles=["manager"]), shop.id, name="Mine now")


def test_a_product_is_listed_with_its_skus(db, make_shop):
    # given a shop
    shop = make_shop()
    manager = manager_of(db, shop.id)
    # when its manager lists a product with two sizes
    with db.write() as session:
        product = catalog.create_product(
            session,
            manager,
            shop_id=shop.id,
            title=" Trail runner ",
            category="Running Shoes",
            attributes={"drop_mm": 6, "waterproof": False},
            skus=[
                {"attributes": {"size": "42"}, "price": "129.90", "stock": 4},
                {"attributes": {"size": "43"}, "price": 129.9, "stock": 0},
            ],
        )
    # then it is stored, cleaned, with both SKUs
    assert (product.title, product.category) == ("Trail runner", "running shoes")
    assert [(s.attributes, s.price, s.stock) for s in product.skus] == [
        ({"size": "42"}, Decimal("129.90"), 4),
        ({"size": "43"}, Decimal("129.90"), 0),
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "   "}, "title must not be empty"),
        ({"skus": []}, "at least one SKU"),
        ({"skus": [{"price": "1", "stock": -1}]}, "stock must be between"),
        ({"skus": [{"price": "-0.01"}]}, "negative"),
        ({"skus": [{"stock": 1}]}, "price is required"),
        ({"skus": [{"attributes": {"size": 42}, "price": "1"}]}, "must be a string"),
        ({"skus": [{"price": "1"}, {"price": "2"}]}, "same attributes"),
        ({"attributes": {"nested": {"a": 1}}}, "string"),
    ],
)
def test_bad_products_are_refused_and_nothing_is_stored(db, make_shop, overrides, message):
    # given a shop and its manager
    shop = make_shop()
    manager = manager_of(db, shop.id)
    fields = {"shop_id": shop.id, "title": "Thing", "skus": [{"price": "1", "stock": 1}], **overrides}
    # when the product breaks a rule, then it is refused
    with pytest.raises(InvalidInput, match=message), db.write() as session:
        catalog.create_product(session, manager, **fields)
    # and nothing was stored
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == 0
        assert session.scalar(select(func.count()).select_from(Sku)) == 0


def test_another_shops_manager_cannot_list_products(db, make_shop, make_user):
    shop = make_shop()
    with pytest.raises(Forbidden), db.write() as session:
        catalog.create_product(
            session, make_user(roles=["manager"]), shop_id=shop.id, title="x", skus=[{"price": "1"}]
        )


def test_stock_delta_is_atomic_and_never_goes_below_zero(db, make_product):
    # given a SKU with 10 units
    product = make_product()
    sku = product.skus[0]
    manager = manager_of(db, product.shop_id)
    # when the manager restocks 5, then there are 15
    with db.write() as session:
        assert catalog.update_sku(session, manager, product.id, sku.id, stock_delta=5).stock == 15
    # when they take away 16, then it is refused and the stock stays
    with pytest.raises(Conflict), db.write() as session:
        catalog.update_sku(session, manager, product.id, sku.id, stock_delta=-16)
    with db.read() as session:
        assert session.get(Sku, sku.id).stock == 15


def test_a_hidden_product_is_seen_only_by_its_manager(db, make_product, make_user):
    # given a hidden product
    product = make_product()
    with db.write() as session:
        session.get(Product, product.id).status = "hidden"
    manager = manager_of(db, product.shop_id)
    with db.read() as session:
        # when the manager reads it, then they see it
        assert catalog.require_product(session, product.id, manager).id == product.id
        # when anyone else reads it or lists products, then it is not there
        with pytest.raises(NotFound):
            catalog.require_product(session, product.id, make_user())
        assert catalog.list_products(session)[0] == []


def test_storefronts_are_for_buyers_one_each(db, make_user):
    # given a shopper and a buyer
    shopper, buyer = make_user(), make_user(roles=["buyer"])
    with pytest.raises(Forbidden), db.write() as session:
        catalog.create_storefront(session, shopper, title="Picks")
    with db.write() as session:
        catalog.create_storefront(session, buyer, title="Picks")
    with pytest.raises(Conflict), db.write() as session:
        catalog.create_storefront(session, buyer, title="Second")


def test_a_storefront_curates_other_shops_products(db, make_user, make_shop, make_product, make_storefront):
    # given a buyer who also runs a shop
    buyer = make_user(roles=["buyer", "manager"])
    own = make_product(shop=make_shop(manager=buyer))
    other_a, other_b = make_product(), make_product()
    storefront = make_storefront(buyer=buyer)
    # when they shelve two other shops' products, then they are kept in order
    with db.write() as session:
        items = catalog.set_storefront_items(
            session,
            buyer,
            storefront.id,
            [{"product_id": other_b.id, "pitch": "best grip"}, {"product_id": other_a.id}],
        )
    assert [(i.product_id, i.position, i.pitch) for i, _ in items] == [
        (other_b.id, 0, "best grip"),
        (other_a.id, 1, ""),
    ]
    # when they shelve their own shop's product, then it is refused and the shelf stays
    with pytest.raises(InvalidInput, match="own shop"), db.write() as session:
        catalog.set_storefront_items(session, buyer, storefront.id, [{"product_id": own.id}])
    # when someone else edits the shelf, then it is refused
    with pytest.raises(Forbidden), db.write() as session:
        catalog.set_storefront_items(session, make_user(roles=["buyer"]), storefront.id, [])
    with db.read() as session:
        assert len(catalog.storefront_items(session, storefront.id)) == 2
