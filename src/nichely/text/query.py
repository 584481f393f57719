"""Query understanding: one call turns what someone typed into a `ParsedQuery`.

    normalise -> detect language -> correct typos -> segment -> expand synonyms
              -> numbers and units -> SKU attributes and aspects -> long-tail flag

The speller and the synonym table come from the platform's own data (`QueryParser.from_texts` over
catalogue titles and notes), so corrections only ever point at words people actually used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from nichely.text.attributes import AttributeLexicon, default_lexicon, extract_attributes
from nichely.text.language import analyse_language
from nichely.text.normalize import normalize_text
from nichely.text.segment import segment
from nichely.text.spelling import SpellCorrector
from nichely.text.synonyms import SynonymTable, default_synonyms
from nichely.text.units import Quantity, parse_quantities

__all__ = ["MAX_QUERY_CHARS", "ParsedQuery", "QueryParser", "is_long_tail", "parse_query"]

# A query is cut here: nobody types more, and it bounds the work a request can cause.
MAX_QUERY_CHARS = 500
_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
LONG_TAIL_HAN_CHARS = 8
LONG_TAIL_WORDS = 4


@dataclass(frozen=True)
class ParsedQuery:
    """Everything search needs to know about a query."""

    raw: str
    language: str
    normalized: str
    tokens: list[str]
    corrected: str
    was_corrected: bool
    expansions: list[str]
    quantities: list[Quantity]
    sku_attributes: dict[str, Any]
    aspects: list[str]
    is_long_tail: bool
    is_mixed_language: bool = False
    language_shares: dict[str, float] = field(default_factory=dict)
    corrections: tuple[tuple[str, str], ...] = ()


def is_long_tail(normalized: str) -> bool:
    """8 or more Han characters, or 4 or more words in other scripts (Han runs count as words)."""
    han = len(_HAN.findall(normalized))
    if han >= LONG_TAIL_HAN_CHARS:
        return True
    other_words = _WORD.findall(_HAN.sub(" ", normalized))
    han_runs = len(re.findall(r"[\u3400-\u9fff]+", normalized))
    return len(other_words) >= LONG_TAIL_WORDS or (han > 0 and len(other_words) + han_runs >= LONG_TAIL_WORDS)


class QueryParser:
    """Parses queries with a speller, a synonym table and an attribute lexicon."""

    def __init__(
        self,
        speller: SpellCorrector | None = None,
        synonyms: SynonymTable | None = None,
        lexicon: AttributeLexicon | None = None,
    ) -> None:
        self.speller = speller
        self.synonyms = synonyms if synonyms is not None else default_synonyms()
        self.lexicon = lexicon if lexicon is not None else default_lexicon()

    @classmethod
    def from_texts(cls, texts: Iterable[str], **kwargs: Any) -> QueryParser:
        """A parser whose spelling vocabulary is the words of `texts` (titles, notes)."""
        return cls(speller=SpellCorrector.from_texts(texts), **kwargs)

    def parse(self, text: str) -> ParsedQuery:
        """The `ParsedQuery` for `text`; any string is accepted, including empty and hostile ones."""
        raw = text or ""
        normalized = normalize_text(raw[:MAX_QUERY_CHARS])
        info = analyse_language(normalized)
        corrected = normalized
        changes: tuple[tuple[str, str], ...] = ()
        if self.speller is not None and normalized:
            correction = self.speller.correct(normalized)
            corrected, changes = correction.text, correction.changes
        quantities = parse_quantities(corrected)
        extraction = extract_attributes(corrected, quantities, self.lexicon)
        return ParsedQuery(
            raw=raw,
            language=info.primary,
            normalized=normalized,
            tokens=segment(corrected),
            corrected=corrected,
            was_corrected=bool(changes),
            expansions=self.synonyms.expand(corrected) if corrected else [],
            quantities=quantities,
            sku_attributes=extraction.sku_attributes,
            aspects=extraction.aspects,
            is_long_tail=is_long_tail(normalized),
            is_mixed_language=info.is_mixed,
            language_shares=info.shares,
            corrections=tuple(changes),
        )


def parse_query(text: str, parser: QueryParser | None = None) -> ParsedQuery:
    """Parse `text` with `parser`, or with the shipped data and no spelling vocabulary."""
    return (parser or QueryParser()).parse(text)
