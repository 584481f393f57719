from tests.commerce.fixtures import advance, make_live_room, make_note, make_storefront, place  # noqa: F401
