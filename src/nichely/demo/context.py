"""What every demo generator shares: the seeded random source, the clock, the scale, and the
rows built so far (kept in memory with ids counted from 1, inserted in one go by `seed`)."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from nichely.demo.vocab import LanguageText, languages

T = TypeVar("T")

# A fixed clock makes the default demo identical on every machine and every day.
DEMO_NOW = datetime(2025, 6, 1, 12, 0, 0)
LANGS = ("en", "zh", "es")
LANG_WEIGHTS = (0.4, 0.35, 0.25)

Row = dict[str, Any]


@dataclass
class Person:
    """A demo user with the personal context their notes draw on."""

    id: int
    username: str
    lang: str
    roles: list[str]
    scenarios: list[str]
    created_at: datetime
    slots: dict[str, Any]
    kind: str  # shopper, creator, manager, buyer, moderator, admin, ring


@dataclass
class ProductInfo:
    id: int
    shop_id: int
    scenario: str
    kind: str
    lang: str
    title: str
    attributes: dict[str, Any]
    skus: list[tuple[int, Decimal, dict[str, str]]]
    created_at: datetime


@dataclass
class Demo:
    """The generation context: randomness, clock, sizes and every table's rows."""

    seed: int
    scale: float
    now: datetime = DEMO_NOW
    rng: random.Random = field(init=False)
    text: dict[str, LanguageText] = field(init=False)
    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    people: list[Person] = field(default_factory=list)
    products: list[ProductInfo] = field(default_factory=list)
    shop_scenario: dict[int, str] = field(default_factory=dict)
    shop_lang: dict[int, str] = field(default_factory=dict)
    shop_manager: dict[int, int] = field(default_factory=dict)
    shop_name: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.text = languages()

    def count(self, full: int, minimum: int) -> int:
        """A table's size at this scale: `full` at scale 1, never below `minimum`."""
        return max(minimum, round(full * self.scale))

    def add(self, table: str, row: Row) -> int:
        """Append a row with the next id of `table` and return that id."""
        rows = self.rows[table]
        row["id"] = len(rows) + 1
        rows.append(row)
        return row["id"]

    def link(self, table: str, row: Row) -> None:
        """Append a row of an association table (no surrogate id)."""
        self.rows[table].append(row)

    def pick(self, items: list[T] | tuple[T, ...]) -> T:
        return items[self.rng.randrange(len(items))]

    def weighted(self, items: list[T] | tuple[T, ...], weights: list[float] | tuple[float, ...]) -> T:
        return self.rng.choices(items, weights=weights, k=1)[0]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def ago(self, max_days: float, min_days: float = 0.0) -> datetime:
        """A moment between `min_days` and `max_days` before now, to the second."""
        seconds = self.rng.uniform(min_days * 86400, max_days * 86400)
        return self.now - timedelta(seconds=int(seconds))

    def after(self, start: datetime, max_minutes: float, min_minutes: float = 0.0) -> datetime:
        """A moment a few minutes after `start`, never later than now."""
        moment = start + timedelta(seconds=int(self.rng.uniform(min_minutes * 60, max_minutes * 60)))
        return min(moment, self.now)

    def people_of(self, kind: str) -> list[Person]:
        return [p for p in self.people if p.kind == kind]
