"""Demo shops, products with SKUs, and buyers' storefronts."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal
from typing import Any

from nichely.demo.context import LANG_WEIGHTS, LANGS, Demo, ProductInfo
from nichely.demo.scenarios import BY_KEY, SCENARIOS, Kind

BRANDS = [
    "Pebble",
    "Juniper",
    "Kite",
    "Mellow",
    "Fable",
    "Atlas",
    "Lumen",
    "Cobalt",
    "Saffron",
    "Willow",
    "Harbor",
    "Ember",
    "Nimbus",
    "Clover",
    "Tandem",
    "Marlo",
    "Quill",
    "Sorrel",
    "Basalt",
    "Larkin",
    "Otter",
    "Fern",
    "Halcyon",
    "Birch",
    "Maple",
    "Orla",
    "Wren",
    "Solace",
    "Tilde",
    "Vela",
    "Koa",
    "Moss",
    "Aster",
    "Brio",
    "Cinder",
    "Dune",
    "Esker",
    "Flint",
    "Gale",
    "Hollis",
    "Iris",
    "Jasper",
    "Kestrel",
    "Linden",
    "Meadow",
    "Nook",
    "Opal",
    "Piper",
    "Rook",
    "Sable",
]
MODELS = [
    "Aero",
    "Glide",
    "Nova",
    "Terra",
    "Cloud",
    "Pulse",
    "Flow",
    "Haven",
    "Drift",
    "Loop",
    "Arc",
    "Zen",
    "Bloom",
    "Ridge",
    "Echo",
    "Calm",
]
MAX_SKUS = 30


def shop_plan(demo: Demo) -> list[tuple[str, str, str]]:
    """(scenario, language, brand) for each shop; every scenario gets at least one shop."""
    count = demo.count(44, len(SCENARIOS))
    brands = demo.rng.sample(BRANDS, min(count, len(BRANDS)))
    brands += [f"{demo.pick(BRANDS)} {i}" for i in range(count - len(brands))]
    return [
        (SCENARIOS[i % len(SCENARIOS)].key, demo.weighted(LANGS, LANG_WEIGHTS), brands[i])
        for i in range(count)
    ]


def make_shops(demo: Demo, plan: list[tuple[str, str, str]]) -> None:
    """One shop per plan entry, run by the manager created for it (in plan order)."""
    managers = demo.people_of("manager")
    for (scenario, lang, brand), manager in zip(plan, managers, strict=True):
        text = demo.text[lang]
        name = f"{brand} {text.shop_suffix[scenario]}"
        blurb = demo.pick(text.shop_blurbs).format(scenario=text.scenarios[scenario].name.lower())
        shop_id = demo.add(
            "shops",
            {
                "manager_id": manager.id,
                "name": name,
                "description": blurb,
                "created_at": manager.created_at + timedelta(days=2),
            },
        )
        demo.shop_scenario[shop_id] = scenario
        demo.shop_lang[shop_id] = lang
        demo.shop_manager[shop_id] = manager.id
        demo.shop_name[shop_id] = name


def _axis_values(demo: Demo, axis: str, values: list[str]) -> list[str]:
    if axis == "size" and values[0].isdigit():
        start = demo.rng.randrange(0, len(values) - 6)
        return values[start : start + demo.rng.randint(5, 7)]
    if axis == "size":
        return values[: demo.rng.randint(3, len(values))] if len(values) > 3 else values
    if axis == "colour":
        return demo.rng.sample(values, demo.rng.randint(1, min(3, len(values))))
    if axis == "width" and "standard" in values:
        return ["standard"] + (values[1:] if demo.chance(0.6) else [])
    return values if demo.chance(0.6) else values[: max(1, len(values) // 2 + 1)]


def _skus(demo: Demo, kind: Kind, base: Decimal) -> list[tuple[Decimal, dict[str, str], int]]:
    axes = {axis: _axis_values(demo, axis, values) for axis, values in kind.axes.items()}
    combos = [dict(zip(axes, combo, strict=True)) for combo in itertools.product(*axes.values())]
    combos = combos[:MAX_SKUS] or [{}]
    skus = []
    for attrs in combos:
        price = base
        if attrs.get("width") in ("wide", "extra wide"):
            price += Decimal(5)
        if attrs.get("size") in ("5XL", "6XL"):
            price += Decimal(4)
        for axis in ("set", "volume", "length", "capacity"):
            if axis in attrs and attrs[axis] != kind.axes[axis][0]:
                price += Decimal(kind.axes[axis].index(attrs[axis]) * 8)
        stock = 0 if demo.chance(0.08) else demo.rng.randint(1, 60)
        skus.append((price, attrs, stock))
    return skus


def _describe(demo: Demo, lang: str, kind: Kind, attributes: dict[str, Any]) -> str:
    text = demo.text[lang]
    facts = [
        text.facts[key].format(v=text.value(value))
        for key, value in attributes.items()
        if key in text.facts and value is not False
    ]
    name = kind.names[lang]
    joined = ("，" if lang == "zh" else ", ").join(facts)
    end = "。" if lang == "zh" else "."
    return f"{name}{'：' if lang == 'zh' else ': '}{joined}{end}" if facts else f"{name}{end}"


def make_products(demo: Demo) -> None:
    """Products with SKUs, spread over shops; each shop sells its scenario's kinds."""
    shop_ids = sorted(demo.shop_scenario)
    total = demo.count(2200, len(shop_ids) * 3)
    for n in range(total):
        shop_id = shop_ids[n % len(shop_ids)]
        scenario = BY_KEY[demo.shop_scenario[shop_id]]
        lang = demo.shop_lang[shop_id]
        kind = demo.pick(scenario.kinds)
        attributes = {key: demo.pick(values) for key, values in kind.attributes.items()}
        brand = demo.shop_name[shop_id].split(" ")[0]
        model = f"{demo.pick(MODELS)} {demo.rng.randint(1, 9)}"
        title = f"{brand} {model} {kind.names[lang]}"
        if lang != "zh" and "colour" in kind.axes and demo.chance(0.3):
            attributes_note = demo.text[lang].value(demo.pick(kind.axes["colour"]))
            title = f"{title} - {attributes_note}"
        shop_created = demo.rows["shops"][shop_id - 1]["created_at"]
        created = shop_created + timedelta(
            seconds=int(demo.rng.uniform(0, (demo.now - shop_created).total_seconds() * 0.8))
        )
        base = Decimal(demo.rng.randint(*kind.price)) - Decimal("0.01")
        product_id = demo.add(
            "products",
            {
                "shop_id": shop_id,
                "external_uid": f"demo-{shop_id:03d}-{n + 1:05d}",
                "title": title[:300],
                "description": _describe(demo, lang, kind, attributes),
                "category": kind.category,
                "attributes": {**attributes, "kind": kind.key, "scenario": scenario.key},
                "status": "active" if demo.chance(0.97) else "archived",
                "note_count": 0,
                "buyer_show_count": 0,
                "sold_count": 0,
                "created_at": created,
                "updated_at": created,
            },
        )
        skus = []
        for price, attrs, stock in _skus(demo, kind, base):
            sku_id = demo.add(
                "skus", {"product_id": product_id, "attributes": attrs, "price": price, "stock": stock}
            )
            skus.append((sku_id, price, attrs))
        demo.products.append(
            ProductInfo(product_id, shop_id, scenario.key, kind.key, lang, title, attributes, skus, created)
        )


def make_storefronts(demo: Demo) -> dict[int, list[int]]:
    """Each buyer curates a storefront of other shops' products; returns storefront id -> product ids."""
    by_scenario: dict[str, list[ProductInfo]] = {}
    for product in demo.products:
        by_scenario.setdefault(product.scenario, []).append(product)
    shelves: dict[int, list[int]] = {}
    for buyer in demo.people_of("buyer"):
        text = demo.text[buyer.lang]
        name = demo.rows["users"][buyer.id - 1]["display_name"]
        storefront_id = demo.add(
            "storefronts",
            {
                "buyer_id": buyer.id,
                "title": demo.pick(text.storefront_titles).format(name=name)[:120],
                "description": text.scenarios[buyer.scenarios[0]].name,
                "commission_rate": Decimal(demo.pick(["0.050", "0.080", "0.100", "0.120"])),
                "created_at": buyer.created_at + timedelta(days=demo.rng.randint(1, 30)),
            },
        )
        pool = [p for s in buyer.scenarios for p in by_scenario.get(s, [])]
        chosen = demo.rng.sample(pool, min(len(pool), demo.rng.randint(10, 25)))
        for position, product in enumerate(chosen):
            demo.link(
                "storefront_items",
                {
                    "storefront_id": storefront_id,
                    "product_id": product.id,
                    "pitch": demo.pick(text.pitches),
                    "position": position,
                },
            )
        shelves[storefront_id] = [p.id for p in chosen]
    return shelves
