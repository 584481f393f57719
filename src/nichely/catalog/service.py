"""Rules for the catalog: shops, products and their SKUs, and buyers' storefronts.

Every public function validates its input, checks who is asking, then changes the store
in the caller's transaction. Value checks are small pure functions so the CLI, the demo
loader and the API all refuse the same things with the same words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from sqlalchemy import CursorResult, Result, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from nichely.accounts.models import User
from nichely.catalog.models import Product, Shop, Sku, Storefront, StorefrontItem
from nichely.errors import Conflict, Forbidden, InvalidInput, NotFound
from nichely.search import index as search_index
from nichely.storage.ids import MAX_ID
from nichely.storage.pagination import page
from nichely.text.normalize import without_nul

PRODUCT_STATUSES = ("active", "hidden", "archived")
# Bounds keep every value inside the columns of both stores (Numeric(12, 2), 32-bit integers: MAX_ID),
# so an absurd number is a 422 here rather than a driver error later.
MAX_PRICE = Decimal("9999999999.99")
MAX_STOCK = 1_000_000_000
MAX_SKUS = 100
MAX_STOREFRONT_ITEMS = 200


# --- value checks (pure) -------------------------------------------------------------------


def clean_text(value: Any, field: str, max_length: int, *, required: bool = False) -> str:
    """A stripped string of at most `max_length` characters; empty only when not `required`.

    NUL characters are dropped: PostgreSQL cannot store them in text."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be a string", field=field)
    value = without_nul(value).strip()
    if required and not value:
        raise InvalidInput(f"{field} must not be empty", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"{field} must have at most {max_length} characters", field=field)
    return value


def parse_price(value: Any, field: str = "price") -> Decimal:
    """A price: a number (or numeric string) from 0 to MAX_PRICE with at most two decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidInput(f"{field} must be a number", field=field)
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"{field} must be a number, not {str(value)[:20]!r}", field=field) from None
    if not price.is_finite():
        raise InvalidInput(f"{field} must be a finite number", field=field)
    if price < 0:
        raise InvalidInput(f"{field} must not be negative", field=field)
    if price > MAX_PRICE:
        raise InvalidInput(f"{field} must be at most {MAX_PRICE}", field=field)
    if price != price.quantize(Decimal("0.01")):
        raise InvalidInput(f"{field} must have at most two decimals", field=field)
    return price.quantize(Decimal("0.01"))


def parse_count(value: Any, field: str, *, low: int, high: int) -> int:
    """A whole number from `low` to `high` (booleans and fractions are refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{field} must be a whole number", field=field)
    if not low <= value <= high:
        raise InvalidInput(f"{field} must be between {low} and {high}", field=field)
    return value


def parse_id(value: Any, field: str) -> int:
    """A positive row id that fits both stores' integer columns."""
    return parse_count(value, field, low=1, high=MAX_ID)


def clean_sku_attributes(value: Any, field: str = "attributes") -> dict[str, str]:
    """SKU options such as {"size": "42"}: string keys and string values, at most 20."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{field} must be an object of strings", field=field)
    if len(value) > 20:
        raise InvalidInput(f"{field} may have at most 20 entries", field=field)
    cleaned: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key.strip() or len(key) > 40:
            raise InvalidInput(f"{field} keys must be 1-40 characters", field=field)
        if not isinstance(item, str) or len(item) > 100:
            raise InvalidInput(f"{field}.{key} must be a string of at most 100 characters", field=field)
        cleaned[key.strip()] = item.strip()
    return cleaned


def clean_product_attributes(value: Any, field: str = "attributes") -> dict[str, Any]:
    """Product facts such as {"material": "wool", "waterproof": true}: scalar values, at most 50."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{field} must be an object", field=field)
    if len(value) > 50:
        raise InvalidInput(f"{field} may have at most 50 entries", field=field)
    cleaned: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key.strip() or len(key) > 60:
            raise InvalidInput(f"{field} keys must be 1-60 characters", field=field)
        if isinstance(item, float) and item != item:  # NaN cannot be stored as JSON
            raise InvalidInput(f"{field}.{key} must be a finite number", field=field)
        if not isinstance(item, str | int | float | bool) or (isinstance(item, str) and len(item) > 300):
            raise InvalidInput(
                f"{field}.{key} must be a string (at most 300 characters), number or boolean", field=field
            )
        cleaned[key.strip()] = item
    return cleaned


def _rowcount(result: Result[Any]) -> int:
    return cast(CursorResult[Any], result).rowcount


# --- shops ---------------------------------------------------------------------------------


def get_shop(session: Session, shop_id: int) -> Shop | None:
    """The shop with this id, or None."""
    return session.get(Shop, shop_id) if 1 <= shop_id <= MAX_ID else None


def require_shop(session: Session, shop_id: int) -> Shop:
    """The shop with this id; NotFound otherwise."""
    shop = get_shop(session, shop_id)
    if shop is None:
        raise NotFound(f"shop {shop_id} does not exist")
    return shop


def is_shop_manager(user: User | None, shop: Shop) -> bool:
    """Whether `user` runs this shop (admins may act for any shop)."""
    return user is not None and (user.id == shop.manager_id or "admin" in (user.roles or []))


def _require_manager(user: User, shop: Shop) -> None:
    if not is_shop_manager(user, shop):
        raise Forbidden(f"only the manager of shop {shop.id} may do this")


def _check_shop_name(session: Session, name: str, exclude_id: int | None = None) -> None:
    stmt = select(Shop.id).where(Shop.name == name)
    if exclude_id is not None:
        stmt = stmt.where(Shop.id != exclude_id)
    if session.scalar(stmt) is not None:
        raise Conflict(f"a shop named {name!r} already exists", field="name")


def _flush_shop(session: Session, name: str) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(f"a shop named {name!r} already exists", field="name") from None


def create_shop(session: Session, user: User, *, name: str, description: str = "") -> Shop:
    """Open a shop run by `user`; only managers (or admins) may."""
    if not user.has_role("manager"):
        raise Forbidden("only users with the manager role may open a shop")
    name = clean_text(name, "name", 120, required=True)
    description = clean_text(description, "description", 5000)
    _check_shop_name(session, name)
    shop = Shop(manager_id=user.id, name=name, description=description)
    session.add(shop)
    _flush_shop(session, name)
    return shop


def update_shop(
    session: Session, user: User, shop_id: int, *, name: str | None = None, description: str | None = None
) -> Shop:
    """Rename or redescribe a shop; only its manager may."""
    shop = require_shop(session, shop_id)
    _require_manager(user, shop)
    if name is not None:
        name = clean_text(name, "name", 120, required=True)
        _check_shop_name(session, name, exclude_id=shop.id)
        shop.name = name
    if description is not None:
        shop.description = clean_text(description, "description", 5000)
    _flush_shop(session, shop.name)
    return shop


def list_shops(
    session: Session, *, limit: int = 20, cursor: str | None = None
) -> tuple[list[Shop], str | None]:
    """Shops, newest first, a page at a time."""
    return page(session, select(Shop), Shop.id, limit, cursor)


def shop_product_count(session: Session, shop_id: int) -> int:
    """How many products a shop has on sale."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Product)
            .where(Product.shop_id == shop_id, Product.status == "active")
        )
        or 0
    )


# --- products and SKUs ---------------------------------------------------------------------


def get_product(session: Session, product_id: int) -> Product | None:
    """The product with its SKUs, or None."""
    if not 1 <= product_id <= MAX_ID:
        return None
    return session.scalar(select(Product).where(Product.id == product_id).options(selectinload(Product.skus)))


def require_product(session: Session, product_id: int, viewer: User | None = None) -> Product:
    """A product `viewer` may see: active ones for everyone, any status for its shop's manager."""
    product = get_product(session, product_id)
    if product is None:
        raise NotFound(f"product {product_id} does not exist")
    if product.status != "active":
        shop = session.get(Shop, product.shop_id)
        if shop is None or not is_shop_manager(viewer, shop):
            raise NotFound(f"product {product_id} does not exist")
    return product


def _manageable_product(session: Session, user: User, product_id: int) -> Product:
    product = get_product(session, product_id)
    if product is None:
        raise NotFound(f"product {product_id} does not exist")
    _require_manager(user, require_shop(session, product.shop_id))
    return product


def _new_sku(spec: Any, field: str) -> Sku:
    if not isinstance(spec, Mapping):
        raise InvalidInput(f"{field} must be an object with attributes, price and stock", field=field)
    if "price" not in spec:
        raise InvalidInput(f"{field}.price is required", field=f"{field}.price")
    return Sku(
        attributes=clean_sku_attributes(spec.get("attributes"), f"{field}.attributes"),
        price=parse_price(spec["price"], f"{field}.price"),
        stock=parse_count(spec.get("stock", 0), f"{field}.stock", low=0, high=MAX_STOCK),
    )


def _check_distinct_options(skus: Sequence[Sku]) -> None:
    seen: set[tuple[tuple[str, str], ...]] = set()
    for sku in skus:
        key = tuple(sorted(sku.attributes.items()))
        if key in seen:
            raise InvalidInput(f"two SKUs have the same attributes {dict(key)}", field="skus")
        seen.add(key)


def create_product(
    session: Session,
    user: User,
    *,
    shop_id: int,
    title: str,
    description: str = "",
    category: str = "",
    attributes: Mapping[str, Any] | None = None,
    skus: Sequence[Mapping[str, Any]],
) -> Product:
    """List a product with at least one SKU in a shop; only that shop's manager may."""
    shop = require_shop(session, parse_id(shop_id, "shop_id"))
    _require_manager(user, shop)
    title = clean_text(title, "title", 300, required=True)
    description = clean_text(description, "description", 20000)
    category = clean_text(category, "category", 120).lower()
    cleaned_attributes = clean_product_attributes(attributes)
    if not isinstance(skus, Sequence) or not skus:
        raise InvalidInput("a product needs at least one SKU", field="skus")
    if len(skus) > MAX_SKUS:
        raise InvalidInput(f"a product may have at most {MAX_SKUS} SKUs", field="skus")
    new_skus = [_new_sku(spec, f"skus.{i}") for i, spec in enumerate(skus)]
    _check_distinct_options(new_skus)
    product = Product(
        shop_id=shop.id,
        title=title,
        description=description,
        category=category,
        attributes=cleaned_attributes,
        skus=new_skus,
    )
    session.add(product)
    session.flush()
    search_index.index_product(session, product.id)
    return product


def update_product(session: Session, user: User, product_id: int, **changes: Any) -> Product:
    """Change a product's title, description, category, attributes or status; manager only."""
    product = _manageable_product(session, user, product_id)
    unknown = set(changes) - {"title", "description", "category", "attributes", "status"}
    if unknown:
        raise InvalidInput(f"cannot change {sorted(unknown)}")
    if changes.get("title") is not None:
        product.title = clean_text(changes["title"], "title", 300, required=True)
    if changes.get("description") is not None:
        product.description = clean_text(changes["description"], "description", 20000)
    if changes.get("category") is not None:
        product.category = clean_text(changes["category"], "category", 120).lower()
    if changes.get("attributes") is not None:
        product.attributes = clean_product_attributes(changes["attributes"])
    if changes.get("status") is not None:
        if changes["status"] not in PRODUCT_STATUSES:
            raise InvalidInput(f"status must be one of {list(PRODUCT_STATUSES)}", field="status")
        product.status = changes["status"]
    session.flush()
    search_index.index_product(session, product.id)
    return product


def add_sku(session: Session, user: User, product_id: int, spec: Mapping[str, Any]) -> Sku:
    """Add a SKU (an option such as a size) to a product; manager only."""
    product = _manageable_product(session, user, product_id)
    if len(product.skus) >= MAX_SKUS:
        raise InvalidInput(f"a product may have at most {MAX_SKUS} SKUs", field="skus")
    sku = _new_sku(spec, "sku")
    _check_distinct_options([*product.skus, sku])
    product.skus.append(sku)
    session.flush()
    return sku


def update_sku(
    session: Session,
    user: User,
    product_id: int,
    sku_id: int,
    *,
    price: Any = None,
    stock: Any = None,
    stock_delta: Any = None,
) -> Sku:
    """Change a SKU's price, set its stock, or add to/take from its stock atomically; manager only.

    `stock_delta` is applied by one conditional UPDATE, so a restock never overwrites units
    sold by concurrent orders the way read-then-set would.
    """
    product = _manageable_product(session, user, product_id)
    sku = next((s for s in product.skus if s.id == sku_id), None)
    if sku is None:
        raise NotFound(f"SKU {sku_id} is not an option of product {product_id}")
    if stock is not None and stock_delta is not None:
        raise InvalidInput("give either stock or stock_delta, not both", field="stock_delta")
    if price is not None:
        sku.price = parse_price(price)
    if stock is not None:
        sku.stock = parse_count(stock, "stock", low=0, high=MAX_STOCK)
    session.flush()
    if stock_delta is not None:
        delta = parse_count(stock_delta, "stock_delta", low=-MAX_STOCK, high=MAX_STOCK)
        result = session.execute(
            update(Sku)
            .where(Sku.id == sku.id, Sku.stock + delta >= 0, Sku.stock + delta <= MAX_STOCK)
            .values(stock=Sku.stock + delta)
            .execution_options(synchronize_session=False)
        )
        if _rowcount(result) == 0:
            raise Conflict(
                f"SKU {sku.id} cannot change by {delta}: stock would leave 0..{MAX_STOCK}", sku_id=sku.id
            )
        session.refresh(sku, ["stock"])
    return sku


def list_products(
    session: Session,
    *,
    shop_id: int | None = None,
    category: str | None = None,
    status: str = "active",
    limit: int = 20,
    cursor: str | None = None,
) -> tuple[list[Product], str | None]:
    """Products with their SKUs, newest first, filtered by shop, category and status."""
    if status not in PRODUCT_STATUSES:
        raise InvalidInput(f"status must be one of {list(PRODUCT_STATUSES)}", field="status")
    stmt = select(Product).where(Product.status == status).options(selectinload(Product.skus))
    if shop_id is not None:
        stmt = stmt.where(Product.shop_id == parse_id(shop_id, "shop_id"))
    if category:
        stmt = stmt.where(Product.category == category.strip().lower())
    return page(session, stmt, Product.id, limit, cursor)


# --- storefronts ---------------------------------------------------------------------------


def get_storefront(session: Session, storefront_id: int) -> Storefront | None:
    """The storefront with this id, or None."""
    return session.get(Storefront, storefront_id) if 1 <= storefront_id <= MAX_ID else None


def require_storefront(session: Session, storefront_id: int) -> Storefront:
    """The storefront with this id; NotFound otherwise."""
    storefront = get_storefront(session, storefront_id)
    if storefront is None:
        raise NotFound(f"storefront {storefront_id} does not exist")
    return storefront


def create_storefront(session: Session, user: User, *, title: str, description: str = "") -> Storefront:
    """Open the curated storefront of a buyer; one per buyer."""
    if not user.has_role("buyer"):
        raise Forbidden("only users with the buyer role may open a storefront")
    title = clean_text(title, "title", 120, required=True)
    description = clean_text(description, "description", 5000)
    conflict = Conflict("you already have a storefront")
    if session.scalar(select(Storefront.id).where(Storefront.buyer_id == user.id)) is not None:
        raise conflict
    storefront = Storefront(buyer_id=user.id, title=title, description=description)
    session.add(storefront)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise conflict from None
    return storefront


def update_storefront(
    session: Session,
    user: User,
    storefront_id: int,
    *,
    title: str | None = None,
    description: str | None = None,
) -> Storefront:
    """Rename or redescribe a storefront; owner only."""
    storefront = require_storefront(session, storefront_id)
    if storefront.buyer_id != user.id:
        raise Forbidden("only the owner of this storefront may change it")
    if title is not None:
        storefront.title = clean_text(title, "title", 120, required=True)
    if description is not None:
        storefront.description = clean_text(description, "description", 5000)
    session.flush()
    return storefront


def storefront_items(session: Session, storefront_id: int) -> list[tuple[StorefrontItem, Product]]:
    """A storefront's items in shelf order, each with its product and SKUs."""
    rows = session.execute(
        select(StorefrontItem, Product)
        .join(Product, Product.id == StorefrontItem.product_id)
        .where(StorefrontItem.storefront_id == storefront_id)
        .options(selectinload(Product.skus))
        .order_by(StorefrontItem.position, StorefrontItem.product_id)
    )
    return [(row[0], row[1]) for row in rows]


def set_storefront_items(
    session: Session, user: User, storefront_id: int, items: Sequence[Mapping[str, Any]]
) -> list[tuple[StorefrontItem, Product]]:
    """Replace a storefront's shelf with `items` ({"product_id", "pitch"?}) in order; owner only.

    A buyer curates other shops' products: their own shops' products are refused.
    """
    storefront = require_storefront(session, storefront_id)
    if storefront.buyer_id != user.id:
        raise Forbidden("only the owner of this storefront may change its items")
    if len(items) > MAX_STOREFRONT_ITEMS:
        raise InvalidInput(f"a storefront may hold at most {MAX_STOREFRONT_ITEMS} items", field="items")
    wanted: list[tuple[int, str]] = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise InvalidInput(f"items.{i} must be an object with product_id", field=f"items.{i}")
        product_id = parse_id(item.get("product_id"), f"items.{i}.product_id")
        if product_id in {p for p, _ in wanted}:
            raise InvalidInput(f"product {product_id} is listed twice", field=f"items.{i}.product_id")
        wanted.append((product_id, clean_text(item.get("pitch"), f"items.{i}.pitch", 500)))
    products = {
        p.id: p for p in session.scalars(select(Product).where(Product.id.in_([pid for pid, _ in wanted])))
    }
    own_shops = set(session.scalars(select(Shop.id).where(Shop.manager_id == user.id)))
    for i, (product_id, _) in enumerate(wanted):
        product = products.get(product_id)
        if product is None or product.status != "active":
            raise InvalidInput(f"product {product_id} does not exist", field=f"items.{i}.product_id")
        if product.shop_id in own_shops:
            raise InvalidInput(
                f"product {product_id} is from your own shop; a storefront curates other shops' products",
                field=f"items.{i}.product_id",
            )
    session.execute(delete(StorefrontItem).where(StorefrontItem.storefront_id == storefront.id))
    for position, (product_id, pitch) in enumerate(wanted):
        session.add(
            StorefrontItem(storefront_id=storefront.id, product_id=product_id, pitch=pitch, position=position)
        )
    session.flush()
    return storefront_items(session, storefront.id)


def list_storefronts(
    session: Session, *, limit: int = 20, cursor: str | None = None
) -> tuple[list[Storefront], str | None]:
    """Storefronts, newest first, a page at a time."""
    return page(session, select(Storefront), Storefront.id, limit, cursor)
