"""SKU attributes and scenario aspects named in a query, in Chinese, English and Spanish.

SKU attributes (width, colour, material, gender, size...) become filters; aspects (heavy, wide feet,
quiet, dorm, pets, office, kids, plus size, running, cushioning...) describe the need and become
boosts and the evidence shown beside results. Both come from the editable lexicon
`data/attributes.tsv` (`field<TAB>value<TAB>term|term|...`, field `aspect` for aspects) and from
the sizes found by `nichely.text.units`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from nichely.text.normalize import normalize_text, strip_accents
from nichely.text.units import Quantity, parse_quantities

__all__ = ["AttributeLexicon", "Extraction", "default_lexicon", "extract_attributes"]

_HAN = re.compile(r"[\u3400-\u9fff]")
_RESOURCE = "attributes.tsv"
ASPECT = "aspect"


@dataclass(frozen=True)
class Extraction:
    """SKU attributes (field -> value, first mention wins) and aspects (in order of mention)."""

    sku_attributes: dict[str, Any] = field(default_factory=dict)
    aspects: list[str] = field(default_factory=list)


class AttributeLexicon:
    """Terms that name a value of a field, matched on normalised, accent-stripped text."""

    def __init__(self, entries: Iterable[tuple[str, str, Iterable[str]]] = ()) -> None:
        self._han: list[tuple[str, str, str]] = []
        self._latin: dict[str, list[tuple[str, str]]] = {}
        self._pattern: re.Pattern[str] | None = None
        for field_name, value, terms in entries:
            self.add(field_name, value, terms)

    @classmethod
    def from_tsv(cls, text: str) -> AttributeLexicon:
        """A lexicon from `field<TAB>value<TAB>term|term` lines (`#` starts a comment)."""
        entries = []
        for line in text.splitlines():
            if line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) == 3 and parts[0].strip() and parts[1].strip():
                entries.append((parts[0].strip(), parts[1].strip(), parts[2].split("|")))
        return cls(entries)

    @classmethod
    def load(cls, path: str | Path | None = None) -> AttributeLexicon:
        """The lexicon in `path`, or the shipped `data/attributes.tsv`."""
        if path is None:
            text = resources.files("nichely.text.data").joinpath(_RESOURCE).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return cls.from_tsv(text)

    def add(self, field_name: str, value: str, terms: Iterable[str]) -> None:
        """Make each of `terms` name `value` of `field_name` ("aspect" for a need)."""
        for raw in terms:
            term = strip_accents(normalize_text(raw))
            if not term:
                continue
            if _HAN.search(term):
                self._han.append((term, field_name, value))
            else:
                self._latin.setdefault(term, []).append((field_name, value))
        self._han.sort(key=lambda item: len(item[0]), reverse=True)
        self._pattern = None

    def _latin_pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._latin:
            alternatives = "|".join(re.escape(t) for t in sorted(self._latin, key=len, reverse=True))
            self._pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")
        return self._pattern

    def find(self, text: str) -> list[tuple[int, str, str, str]]:
        """(position, field, value, term) for every lexicon term in normalised `text`."""
        text = strip_accents(text)
        hits: list[tuple[int, str, str, str]] = []
        pattern = self._latin_pattern()
        if pattern is not None:
            for match in pattern.finditer(text):
                for field_name, value in self._latin[match.group(0)]:
                    hits.append((match.start(), field_name, value, match.group(0)))
        if _HAN.search(text):
            claimed: list[tuple[int, int]] = []
            for term, field_name, value in self._han:
                start = text.find(term)
                while start >= 0:
                    end = start + len(term)
                    # A longer term already matched here wins over the shorter one inside it
                    # ("不锈钢" is steel, not also whatever "钢" might say), unless it is the same term.
                    inside = any(a <= start and end <= b and (b - a) > len(term) for a, b in claimed)
                    if not inside:
                        hits.append((start, field_name, value, term))
                        claimed.append((start, end))
                    start = text.find(term, end)
        hits.sort(key=lambda hit: hit[0])
        return hits


@lru_cache(maxsize=1)
def default_lexicon() -> AttributeLexicon:
    """The shipped lexicon (loaded once)."""
    return AttributeLexicon.load()


def extract_attributes(
    text: str, quantities: list[Quantity] | None = None, lexicon: AttributeLexicon | None = None
) -> Extraction:
    """SKU attributes and aspects named in normalised `text` (sizes from `quantities` if given)."""
    lexicon = lexicon or default_lexicon()
    attributes: dict[str, Any] = {}
    aspects: list[str] = []
    for _, field_name, value, _term in lexicon.find(text):
        if field_name == ASPECT:
            if value not in aspects:
                aspects.append(value)
        else:
            attributes.setdefault(field_name, value)
    for quantity in parse_quantities(text) if quantities is None else quantities:
        if quantity.kind == "size" and "size" not in attributes:
            attributes["size"] = quantity.value
            attributes["size_system"] = quantity.unit
        elif quantity.kind == "pace":
            attributes.setdefault("pace_s_per_km", quantity.value)
            if "running" not in aspects:
                aspects.append("running")
        elif quantity.kind == "mass" and quantity.value >= 40 and ("heavy" in aspects or "体重" in text):
            attributes.setdefault("body_weight_kg", quantity.value)
            # Running-shoe guides treat runners over ~85 kg as heavy (more cushioning, stability).
            if quantity.value >= 85 and "heavy" not in aspects:
                aspects.append("heavy")
    if attributes.get("width") == "wide" and "wide_feet" not in aspects and "shoe" in _categories(text):
        aspects.append("wide_feet")
    return Extraction(attributes, aspects)


def _categories(text: str) -> set[str]:
    # Wide shoes are bought for wide feet; a wide desk says nothing about feet.
    shoe_words = ("shoe", "sneaker", "boot", "鞋", "zapat", "calzado", "bota", "horma")
    return {"shoe"} if any(w in text for w in shoe_words) else set()
