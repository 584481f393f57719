"""Phrase banks the demo community writes with, one module per language.

Every sentence may use these slots, filled by `nichely.demo.notes` from product facts and the
author's personal context: {product} {kind} {shop} {fact} {sku} {size} {colour} {price} {weeks}
{pace} {weight} {height} {km} {sqm} {months} {baby_kg} {pet} {pet_kg} {city} {age} {hours}
{cloth} {code}.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScenarioText:
    """What people of one scenario say, in one language."""

    name: str
    tags: list[str]
    contexts: list[str]
    pros: list[str]
    cons: list[str]
    tips: list[str]
    titles: list[str]
    head_queries: list[str]
    tail_queries: list[str]
    questions: list[str]


@dataclass(frozen=True)
class LanguageText:
    """Everything the generator writes in one language."""

    code: str
    scenarios: dict[str, ScenarioText]
    facts: dict[str, str]
    openers: list[str]
    good: list[str]
    bad: list[str]
    mixed: list[str]
    closers: list[str]
    bad_titles: list[str]
    buyer_show: list[str]
    sponsored: list[str]
    gifted: list[str]
    promo: list[str]
    promo_titles: list[str]
    ring_titles: list[str]
    ring_bodies: list[str]
    replies: list[str]
    live_chat: list[str]
    live_titles: list[str]
    shop_blurbs: list[str]
    storefront_titles: list[str]
    pitches: list[str]
    bios: list[str]
    pets: list[str]
    cities: list[str]
    given_names: list[str]
    family_names: list[str] = field(default_factory=list)
    # Canonical attribute / SKU values (English) as this language writes them.
    values: dict[str, str] = field(default_factory=dict)
    # How a shop of each scenario describes itself after its brand: "Pebble Wide Fit".
    shop_suffix: dict[str, str] = field(default_factory=dict)
    separator: str = " "

    def value(self, raw: object) -> str:
        """A canonical value in this language (unchanged when there is no translation)."""
        return self.values.get(str(raw), str(raw))


def languages() -> dict[str, LanguageText]:
    """The three phrase banks by language code."""
    from nichely.demo.vocab import en, es, zh

    return {"en": en.TEXT, "zh": zh.TEXT, "es": es.TEXT}
