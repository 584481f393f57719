"""Evidence: the passage of a note that answers a query's need, with what to highlight in it.

Pure functions over plain strings. A note's body is cut into sentences; each sentence scores one
point per query word it contains and two per need aspect (quiet, wide feet, dorm...) it names;
the best sentence, with a little context, is the passage. Highlights are character offsets into
that passage, and `fragments` splits the passage into plain and marked pieces, so a template can
wrap the marked ones in `<mark>` while autoescaping every piece: user text is never HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from nichely.search.analysis import STOP_WORDS, stem
from nichely.text.attributes import ASPECT, AttributeLexicon, default_lexicon
from nichely.text.normalize import normalize_text
from nichely.text.segment import segment

__all__ = ["Passage", "best_passage", "fragments", "highlight_terms", "merge_spans", "sentences"]

PASSAGE_CHARS = 180
_SENTENCE = re.compile(r"[^。！？!?.\n;；]+[。！？!?.;；]?")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[^\W\d_]{2,}|\d+", re.UNICODE)


@dataclass(frozen=True)
class Passage:
    """A piece of a note with highlight spans (start, end) into `text`, and how well it matched."""

    text: str
    highlights: tuple[tuple[int, int], ...]
    score: float
    aspects: tuple[str, ...] = ()


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text` (Chinese and Latin punctuation, line breaks)."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def highlight_terms(query: str) -> list[str]:
    """What to look for in a note: Latin word stems, and Chinese words of two or more characters."""
    out: list[str] = []
    normalized = normalize_text(query)
    for word in _LATIN_WORD.findall(_HAN.sub(" ", normalized)):
        if word in STOP_WORDS or (len(word) < 3 and not word.isdigit()):
            continue
        out.append(stem(word))
    for token in segment(normalized):
        if _HAN.search(token) and len(token) >= 2:
            out.append(token)
    return list(dict.fromkeys(t for t in out if t))


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    return _compiled(frozenset(terms))


@lru_cache(maxsize=1024)
def _compiled(terms: frozenset[str]) -> re.Pattern[str] | None:
    # Cached: a search builds the same pattern for every note it reads evidence from.
    parts = []
    for term in sorted(terms, key=lambda t: (-len(t), t)):
        if _HAN.search(term):
            parts.append(re.escape(term))
        else:
            # A stem matches its inflections ("shoe" finds "shoes"), from the start of a word.
            parts.append(r"(?<![^\W_])" + re.escape(term) + r"[^\W_]*")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def merge_spans(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted, non-overlapping spans (overlapping or touching ones joined)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def _aspect_terms(
    sentence: str, aspects: Sequence[str], lexicon: AttributeLexicon
) -> tuple[set[str], set[str]]:
    found, terms = set(), set()
    for _, field_name, value, term in lexicon.find(normalize_text(sentence)):
        if field_name == ASPECT and value in aspects:
            found.add(value)
            terms.add(term)
    return found, terms


def best_passage(
    text: str,
    terms: Sequence[str],
    aspects: Sequence[str] = (),
    lexicon: AttributeLexicon | None = None,
    width: int = PASSAGE_CHARS,
) -> Passage | None:
    """The sentence of `text` that best matches `terms` and `aspects`, or None when none does."""
    lexicon = lexicon or default_lexicon()
    pattern = _pattern(terms)
    best: tuple[float, int, int, set[str], set[str]] | None = None
    for start, end in sentences(text):
        sentence = text[start:end]
        words = {m.group().lower() for m in pattern.finditer(sentence)} if pattern else set()
        found, aspect_terms = _aspect_terms(sentence, aspects, lexicon) if aspects else (set(), set())
        score = len(words) + 2.0 * len(found)
        if score > 0 and (best is None or score > best[0]):
            best = (score, start, end, found, aspect_terms)
    if best is None:
        return None
    score, start, end, found, aspect_terms = best
    # Context around the sentence, cut to `width` characters.
    if end - start < width:
        pad = (width - (end - start)) // 2
        start, end = max(0, start - pad), min(len(text), end + pad)
    end = min(end, start + width)
    piece = text[start:end]
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    passage = lead + piece.strip() + tail
    spans = []
    full = _pattern([*terms, *aspect_terms])
    if full is not None:
        body = passage[len(lead) : len(passage) - len(tail)]
        for m in full.finditer(body):
            spans.append((m.start() + len(lead), m.end() + len(lead)))
    return Passage(passage, merge_spans(spans), score, tuple(sorted(found)))


def fragments(text: str, highlights: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut at the highlights: (piece, is_marked) in order, covering the whole text."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in merge_spans(highlights):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out
