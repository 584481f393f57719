"""Cases planted for the authenticity work, with known answers recorded in the manifest.

- a ring: twelve accounts created within an hour that review and like one shop's products in
  bursts and follow each other (see `people.make_people` / `make_follows` for accounts and follows);
- undisclosed ads: promotional copy with coupon codes, written by the shop's own manager or by a
  creator, with no sponsorship declared;
- near-duplicates: one note copied with small edits by several accounts.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from nichely.demo.context import Demo, Person
from nichely.demo.notes import NoteSpec, compose, slots, tags_for

RING_BURSTS = 3


def pick_ring_shop(demo: Demo) -> int:
    """The shop the ring boosts: one with several products."""
    counts: dict[int, int] = {}
    for product in demo.products:
        counts[product.shop_id] = counts.get(product.shop_id, 0) + 1
    eligible = sorted(shop for shop, n in counts.items() if n >= 3) or sorted(counts)
    return demo.pick(eligible)


def ring_notes(demo: Demo, ring: list[Person], shop_id: int) -> tuple[list[NoteSpec], list[datetime]]:
    """Each ring account posts a glowing review of the shop's products in each of three bursts."""
    lang = demo.shop_lang[shop_id]
    text = demo.text[lang]
    products = [p for p in demo.products if p.shop_id == shop_id]
    scenario = demo.shop_scenario[shop_id]
    first_seen = max(p.created_at for p in ring)
    bursts = sorted(first_seen + timedelta(days=d, hours=demo.rng.randint(0, 12)) for d in (2, 14, 33))
    bursts = [min(b, demo.now - timedelta(hours=2)) for b in bursts]
    specs = []
    for start in bursts:
        for person in ring:
            product = demo.pick(products)
            created = start + timedelta(seconds=demo.rng.randint(0, 25 * 60))
            body = demo.pick(text.ring_bodies).format(product=product.title)
            specs.append(
                NoteSpec(
                    person,
                    lang,
                    scenario,
                    demo.pick(text.ring_titles),
                    body,
                    created,
                    [product],
                    tags_for(demo, text, scenario),
                    kind="ring",
                )
            )
    return specs, bursts


def undisclosed_ads(demo: Demo) -> list[NoteSpec]:
    """Promotional notes with coupon codes and no disclosure, by people who work for the shop."""
    creators = demo.people_of("creator")
    by_id = {p.id: p for p in demo.people}
    shops = sorted(demo.shop_scenario)
    specs = []
    for n in range(demo.count(12, 6)):
        shop_id = demo.pick(shops)
        products = [p for p in demo.products if p.shop_id == shop_id]
        if not products:
            continue
        product = demo.pick(products)
        author = by_id[demo.shop_manager[shop_id]] if n % 3 != 2 or not creators else demo.pick(creators)
        lang = demo.shop_lang[shop_id] if author.kind == "manager" else author.lang
        text = demo.text[lang]
        values = slots(demo, author, lang, product)
        brand = re.sub(r"[^A-Z]", "", demo.shop_name[shop_id].upper())[:8] or "SHOP"
        values["code"] = f"{brand}{demo.pick([15, 20, 25, 30])}"
        s = text.scenarios[product.scenario]
        parts = [*demo.rng.sample(s.pros, 2), demo.pick(text.promo), demo.pick(text.good)]
        body = text.separator.join(p.format_map(values) for p in parts)
        title = demo.pick(text.promo_titles).format_map(values)[:200]
        created = demo.ago(120, 1)
        specs.append(
            NoteSpec(
                author,
                lang,
                product.scenario,
                title,
                body,
                created,
                [product],
                tags_for(demo, text, product.scenario),
                kind="ad",
            )
        )
    return specs


def _mutate(demo: Demo, body: str, lang: str) -> str:
    """A copy-paste with the small edits people make: a number changed, a closing line, punctuation."""
    body = re.sub(r"\d+", lambda m: str(int(m.group()) + demo.rng.randint(1, 3)), body, count=1)
    tail = {
        "en": [" Totally recommend.", "!!", " 10/10"],
        "zh": ["！！", "，真心推荐。", "～"],
        "es": [" Lo recomiendo.", "!!", " 10/10"],
    }[lang]
    return body.rstrip() + demo.pick(tail)


def near_duplicates(demo: Demo) -> list[list[NoteSpec]]:
    """Groups of four or five notes, one original and copies by other accounts a few days later."""
    authors = demo.people_of("shopper")
    groups = []
    for _ in range(demo.count(6, 2)):
        product = demo.pick(demo.products)
        original_author = demo.pick(authors)
        lang = original_author.lang
        text = demo.text[lang]
        values = slots(demo, original_author, lang, product)
        title, body = compose(demo, text, product.scenario, values, "good")
        start = demo.ago(200, 20)
        group = [
            NoteSpec(
                original_author,
                lang,
                product.scenario,
                title,
                body,
                start,
                [product],
                tags_for(demo, text, product.scenario),
                kind="duplicate",
            )
        ]
        copiers = [a for a in authors if a.id != original_author.id and a.created_at < start]
        for copier in demo.rng.sample(copiers, min(len(copiers), demo.rng.randint(3, 4))):
            created = start + timedelta(hours=demo.rng.randint(6, 24 * 10))
            group.append(
                NoteSpec(
                    copier,
                    lang,
                    product.scenario,
                    title,
                    _mutate(demo, body, lang),
                    created,
                    [product],
                    list(group[0].tags),
                    kind="duplicate",
                )
            )
        groups.append(group)
    return groups
