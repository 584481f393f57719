"""Demo notes: experiences composed from phrase banks, product facts and the author's own context.

A note is built from parts (opener, personal context, what went well, what did not, a tip, a
verdict) chosen by sentiment and length, so the community reads like people rather than a
template: the same runner always runs at the same pace, and some notes are plainly negative."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from nichely.community.service import normalise_tags
from nichely.demo.context import Demo, Person, ProductInfo
from nichely.demo.orders import Delivered
from nichely.demo.scenarios import KINDS
from nichely.demo.vocab import LanguageText


@dataclass
class NoteSpec:
    """A note before it becomes rows: who, what, when, about which products."""

    author: Person
    lang: str
    scenario: str
    title: str
    body: str
    created_at: datetime
    products: list[ProductInfo] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    disclosure: str = "none"
    sponsor_shop_id: int | None = None
    kind: str = "experience"


def slots(
    demo: Demo,
    author: Person,
    lang: str,
    product: ProductInfo | None,
    sku: dict[str, str] | None = None,
    price: Any = None,
) -> dict[str, Any]:
    """Every slot a phrase may use, filled for this author, language and product."""
    text = demo.text[lang]
    values: dict[str, Any] = dict(author.slots)
    values["pet"] = text.pets[author.slots["pet_index"] % len(text.pets)]
    values["city"] = text.cities[author.slots["city_index"] % len(text.cities)]
    values["weeks"] = demo.rng.randint(2, 16)
    values["code"] = ""
    if product is None:
        values.update(product="", kind="", shop="", fact="", sku="", colour="", price="")
        return values
    if sku is None or price is None:
        _, price, sku = demo.pick(product.skus)
    values["product"] = product.title
    values["kind"] = KINDS[product.kind].names[lang]
    values["shop"] = demo.shop_name[product.shop_id]
    values["fact"] = fact(demo, text, product)
    values["sku"] = " / ".join(text.value(v) for v in sku.values()) or values["kind"]
    values["colour"] = text.value(sku.get("colour", demo.pick(["black", "grey", "white"])))
    if "size" in sku:
        values["size"] = sku["size"]
        if not sku["size"].isdigit():
            values["cloth"] = sku["size"]
    values["price"] = f"{price}"
    return values


def fact(demo: Demo, text: LanguageText, product: ProductInfo) -> str:
    """One product fact written in the note's language (the kind's name when none is known)."""
    known = [(k, v) for k, v in product.attributes.items() if k in text.facts and v is not False]
    if not known:
        return KINDS[product.kind].names[text.code]
    key, value = demo.pick(known)
    return text.facts[key].format(v=text.value(value))


PRODUCT_SLOTS = ("{product}", "{kind}", "{shop}", "{fact}", "{sku}", "{colour}", "{price}")


def compose(
    demo: Demo,
    text: LanguageText,
    scenario: str,
    values: dict[str, Any],
    sentiment: str,
    extra: list[str] | None = None,
) -> tuple[str, str]:
    """A (title, body) pair for one experience; without a product, phrases about one are left out."""
    s = text.scenarios[scenario]
    rng = demo.rng
    about_product = bool(values.get("product"))

    def usable(phrases: list[str]) -> list[str]:
        if about_product:
            return phrases
        return [p for p in phrases if not any(slot in p for slot in PRODUCT_SLOTS)]

    long = demo.chance(0.55)
    parts: list[str] = []
    if long:
        parts.append(demo.pick(text.openers))
    parts.extend(rng.sample(s.contexts, 2 if long and demo.chance(0.4) else 1))
    parts.extend(extra or [])
    n_pros, n_cons = {
        "good": (rng.randint(1, 3), rng.randint(0, 1)),
        "mixed": (rng.randint(1, 2), rng.randint(1, 2)),
        "bad": (rng.randint(0, 1), rng.randint(1, 3)),
    }[sentiment]
    if not long:
        n_pros, n_cons = min(n_pros, 1), min(n_cons, 1)
    pros, cons = usable(s.pros), usable(s.cons)
    parts.extend(rng.sample(pros, min(n_pros, len(pros))))
    parts.extend(rng.sample(cons, min(n_cons, len(cons))))
    if long and demo.chance(0.6):
        parts.append(demo.pick(s.tips))
    verdicts = usable({"good": text.good, "mixed": text.mixed, "bad": text.bad}[sentiment])
    if verdicts:
        parts.append(demo.pick(verdicts))
    if long:
        parts.append(demo.pick(text.closers))
    body = text.separator.join(p.format_map(values) for p in parts if p)
    titles = usable(text.bad_titles if sentiment == "bad" and demo.chance(0.7) else s.titles) or [s.name]
    return demo.pick(titles).format_map(values)[:200], body


def tags_for(demo: Demo, text: LanguageText, scenario: str) -> list[str]:
    pool = text.scenarios[scenario].tags
    return sorted(demo.rng.sample(pool, demo.rng.randint(2, min(4, len(pool)))))


def _sentiment(demo: Demo) -> str:
    return demo.weighted(["good", "mixed", "bad"], [0.64, 0.23, 0.13])


def buyer_shows(demo: Demo, delivered: list[Delivered], budget: int) -> list[NoteSpec]:
    """Notes written by people a few days after their order arrived."""
    specs: list[NoteSpec] = []
    for line in delivered:
        if (
            len(specs) >= budget
            or line.customer.kind not in ("shopper", "creator", "buyer")
            or not demo.chance(0.6)
        ):
            continue
        created = line.delivered_at + timedelta(hours=demo.rng.randint(20, 20 * 24))
        if created >= demo.now:
            continue
        lang = line.customer.lang
        text = demo.text[lang]
        values = slots(demo, line.customer, lang, line.product, line.sku_attributes, line.price)
        extra = [demo.pick(text.buyer_show)] if demo.chance(0.7) else []
        title, body = compose(demo, text, line.product.scenario, values, _sentiment(demo), extra)
        specs.append(
            NoteSpec(
                line.customer,
                lang,
                line.product.scenario,
                title,
                body,
                created,
                [line.product],
                tags_for(demo, text, line.product.scenario),
                kind="buyer_show",
            )
        )
    return specs


def experiences(demo: Demo, count: int) -> list[NoteSpec]:
    """Everyday notes: experiences with products bought elsewhere, questions, sponsored posts."""
    by_scenario: dict[str, list[ProductInfo]] = {}
    for product in demo.products:
        by_scenario.setdefault(product.scenario, []).append(product)
    authors = [p for p in demo.people if p.kind in ("shopper", "creator", "buyer")]
    weights = [{"creator": 9.0, "buyer": 4.0}.get(p.kind, 1.0) for p in authors]
    specs: list[NoteSpec] = []
    for _ in range(count):
        author = demo.weighted(authors, weights)
        scenario = demo.pick(author.scenarios)
        lang = author.lang if demo.chance(0.93) else demo.pick(["en", "zh", "es"])
        text = demo.text[lang]
        pool = by_scenario.get(scenario, [])
        linked = (
            demo.rng.sample(pool, min(len(pool), 1 if demo.chance(0.8) else 2))
            if pool and demo.chance(0.85)
            else []
        )
        values = slots(demo, author, lang, linked[0] if linked else None)
        created = demo.ago(min(365.0, (demo.now - author.created_at).total_seconds() / 86400))
        disclosure, sponsor, extra = "none", None, []
        if linked and author.kind == "creator" and demo.chance(0.12):
            disclosure = demo.pick(["sponsored", "gifted"])
            sponsor = linked[0].shop_id
            extra = [demo.pick(text.sponsored if disclosure == "sponsored" else text.gifted)]
        sentiment = _sentiment(demo) if disclosure == "none" else demo.weighted(["good", "mixed"], [0.8, 0.2])
        title, body = compose(demo, text, scenario, values, sentiment, extra)
        specs.append(
            NoteSpec(
                author,
                lang,
                scenario,
                title,
                body,
                created,
                linked,
                tags_for(demo, text, scenario),
                disclosure,
                sponsor,
            )
        )
    return specs


def store_notes(demo: Demo, specs: list[NoteSpec]) -> list[int]:
    """Turn specs into note, tag and product-link rows, oldest first; returns the new note ids."""
    ids = []
    for spec in specs:
        note_id = demo.add(
            "notes",
            {
                "author_id": spec.author.id,
                "language": spec.lang,
                "title": spec.title,
                "body": spec.body,
                "disclosure": spec.disclosure,
                "sponsor_shop_id": spec.sponsor_shop_id,
                "status": "published",
                "verified_purchase": False,
                "like_count": 0,
                "save_count": 0,
                "comment_count": 0,
                "created_at": spec.created_at,
                "updated_at": spec.created_at,
            },
        )
        ids.append(note_id)
        for tag in normalise_tags(spec.tags):
            demo.link("note_tags", {"note_id": note_id, "tag": tag})
        for product_id in dict.fromkeys(p.id for p in spec.products):
            demo.link("note_products", {"note_id": note_id, "product_id": product_id})
    return ids
