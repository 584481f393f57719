"""Typo correction learned from the platform's own vocabulary (catalogue titles, notes).

Symmetric-delete candidate generation (Garbe's SymSpell, 2012): every vocabulary word is indexed
under all its deletions up to `max_distance`; a typed word's deletions are looked up in that index,
and candidates are verified with the optimal-string-alignment (Damerau-Levenshtein) distance. The
winner is the closest candidate, then the one seen most often next to the neighbouring word, then
the most frequent. Words already in the vocabulary, numbers, short words and Chinese are left alone:
the corrector only knows what the vocabulary it was built from contains.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import Stemmer

from nichely.text.normalize import normalize_text
from nichely.text.segment import segment
from nichely.text.units import unit_words

__all__ = ["Correction", "SpellCorrector", "edit_distance"]

_CORRECTABLE = re.compile(r"^[^\W\d_]+$", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff]")
# Longer "words" are codes, URLs or junk: not worth (nor cheap enough) to correct.
MAX_WORD_CHARS = 24
# Unit words are never typos of vocabulary words ("min" must not become "mix").
_PROTECTED = unit_words() | {"min", "mins", "km", "mi", "x", "by", "por", "per"}


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Optimal string alignment distance between `a` and `b` (a transposition counts as one edit)."""
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} - found
        found |= frontier
    return found


@dataclass(frozen=True)
class Correction:
    """A corrected text, whether anything changed, and the (typed, corrected) word pairs."""

    text: str
    corrected: bool
    changes: tuple[tuple[str, str], ...] = field(default_factory=tuple)


_STEMMER = Stemmer.Stemmer("english")


class SpellCorrector:
    """Symmetric-delete spelling correction over a frequency dictionary."""

    def __init__(
        self,
        frequencies: Mapping[str, int],
        bigrams: Mapping[tuple[str, str], int] | None = None,
        *,
        max_distance: int = 2,
        min_count: int = 1,
    ) -> None:
        self.max_distance = max_distance
        self.frequencies: dict[str, int] = {
            w: c for w, c in frequencies.items() if c >= min_count and _CORRECTABLE.match(w)
        }
        self.bigrams: dict[tuple[str, str], int] = dict(bigrams or {})
        self._index: dict[str, list[str]] = {}
        # An inflection of a known word ("cushioned" beside "cushion") is not a typo.
        self._stems: set[str] = set(_STEMMER.stemWords(list(self.frequencies)))
        for word in self.frequencies:
            for deleted in _deletes(word, self._allowed(len(word))):
                self._index.setdefault(deleted, []).append(word)

    @classmethod
    def from_texts(cls, texts: Iterable[str], **kwargs: int) -> SpellCorrector:
        """A corrector whose vocabulary is the words (and adjacent word pairs) of `texts`."""
        words: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        for text in texts:
            tokens = segment(normalize_text(text))
            words.update(tokens)
            pairs.update(zip(tokens, tokens[1:], strict=False))
        return cls(words, pairs, **kwargs)

    def _allowed(self, length: int) -> int:
        if length > MAX_WORD_CHARS:
            return 0
        # One edit in a 3-4 letter word already changes its meaning often ("cat"/"car"); allow two
        # only from five letters on, none below three.
        if length < 3:
            return 0
        if length < 5:
            return min(1, self.max_distance)
        return self.max_distance

    def __contains__(self, word: str) -> bool:
        return word in self.frequencies

    def candidates(self, word: str) -> list[tuple[str, int, int]]:
        """Vocabulary words within the allowed distance of `word` as (word, distance, frequency)."""
        limit = self._allowed(len(word))
        if limit == 0:
            return []
        seen: dict[str, int] = {}
        for deleted in _deletes(word, limit):
            for candidate in self._index.get(deleted, ()):
                if candidate in seen:
                    continue
                distance = edit_distance(word, candidate, limit)
                if distance <= limit and distance <= self._allowed(len(candidate)):
                    seen[candidate] = distance
        return sorted(
            ((w, d, self.frequencies[w]) for w, d in seen.items()),
            key=lambda item: (item[1], -item[2], item[0]),
        )

    def correct_word(self, word: str, previous: str | None = None, following: str | None = None) -> str:
        """The best vocabulary word for `word` given its neighbours, or `word` itself."""
        if (
            word in self.frequencies
            or word in _PROTECTED
            or not _CORRECTABLE.match(word)
            or _HAN.search(word)
            or _STEMMER.stemWord(word) in self._stems
        ):
            return word
        options = self.candidates(word)
        if not options:
            return word
        best_distance = options[0][1]

        def context(candidate: str) -> int:
            count = 0
            if previous is not None:
                count += self.bigrams.get((previous, candidate), 0)
            if following is not None:
                count += self.bigrams.get((candidate, following), 0)
            return count

        closest = [o for o in options if o[1] == best_distance]
        return max(closest, key=lambda o: (context(o[0]), o[2], [-ord(c) for c in o[0]]))[0]

    def correct(self, text: str) -> Correction:
        """`text` (normalised first) with each unknown word replaced by its best correction."""
        normalized = normalize_text(text)
        parts = re.split(r"(\W+)", normalized)
        words = [p for p in parts if p and not re.fullmatch(r"\W+", p)]
        changes: list[tuple[str, str]] = []
        out: list[str] = []
        index = 0
        for part in parts:
            if not part or re.fullmatch(r"\W+", part):
                out.append(part)
                continue
            previous = _last(out)
            following = words[index + 1] if index + 1 < len(words) else None
            fixed = self.correct_word(part, previous, following)
            if fixed != part:
                changes.append((part, fixed))
            out.append(fixed)
            index += 1
        return Correction("".join(out), bool(changes), tuple(changes))


def _last(parts: list[str]) -> str | None:
    for part in reversed(parts):
        if part and not re.fullmatch(r"\W+", part):
            return part
    return None
