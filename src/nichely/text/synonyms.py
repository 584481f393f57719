"""Synonyms and abbreviations: an editable cross-language table plus pairs mined from the data.

`data/synonyms.tsv` holds one group of interchangeable terms per line, tab-separated, first term
the group's name (跑鞋 ~ running shoes ~ zapatillas de running). `SynonymTable.expand` finds the
terms a normalised text contains and returns the other members of their groups. Two miners propose
new groups from the platform's own texts for a person to review and add:

- `mine_synonyms`: terms used in the same contexts but seldom together (distributional similarity,
  Harris 1954; here the cosine of co-occurrence vectors within a window, as in Schütze 1992);
- `mine_abbreviations`: short words that are the initials of a frequent phrase ("ss" -> "stainless
  steel") or the only frequent completion of a prefix ("galv" -> "galvanized").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from nichely.text.normalize import normalize_text
from nichely.text.segment import segment

__all__ = ["SynonymTable", "default_synonyms", "mine_abbreviations", "mine_synonyms"]

_HAN = re.compile(r"[\u3400-\u9fff]")
_RESOURCE = "synonyms.tsv"


def _contains(text: str, term: str) -> bool:
    if _HAN.search(term):
        return term in text
    return re.search(rf"(?<![^\W_]){re.escape(term)}(?![^\W_])", text) is not None


class SynonymTable:
    """Groups of interchangeable terms; every term is normalised, a term may be in several groups."""

    def __init__(self, groups: Iterable[Iterable[str]] = ()) -> None:
        self.groups: list[tuple[str, ...]] = []
        self._by_term: dict[str, list[int]] = {}
        for group in groups:
            self.add_group(group)

    @classmethod
    def from_tsv(cls, text: str) -> SynonymTable:
        """A table from TSV text: one group per line, terms separated by tabs, `#` starts a comment."""
        groups = []
        for line in text.splitlines():
            line = line.split("#", 1)[0]
            terms = [t.strip() for t in line.split("\t") if t.strip()]
            if len(terms) > 1:
                groups.append(terms)
        return cls(groups)

    @classmethod
    def load(cls, path: str | Path | None = None) -> SynonymTable:
        """The table in `path`, or the shipped `data/synonyms.tsv` when no path is given."""
        if path is None:
            text = resources.files("nichely.text.data").joinpath(_RESOURCE).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return cls.from_tsv(text)

    def add_group(self, terms: Iterable[str]) -> None:
        """Add a group of interchangeable terms (ignored if fewer than two distinct terms)."""
        group = tuple(dict.fromkeys(t for t in (normalize_text(x) for x in terms) if t))
        if len(group) < 2:
            return
        self.groups.append(group)
        for term in group:
            self._by_term.setdefault(term, []).append(len(self.groups) - 1)

    def __len__(self) -> int:
        return len(self.groups)

    def synonyms_of(self, term: str) -> list[str]:
        """Every other term sharing a group with `term`."""
        term = normalize_text(term)
        out: dict[str, None] = {}
        for index in self._by_term.get(term, ()):
            for other in self.groups[index]:
                if other != term:
                    out[other] = None
        return list(out)

    def matches(self, text: str) -> list[str]:
        """Terms of the table found in normalised `text`, longest first, without overlaps."""
        found: list[str] = []
        covered = text
        for term in sorted(self._by_term, key=len, reverse=True):
            if _contains(covered, term):
                found.append(term)
                covered = covered.replace(term, " ")
        return found

    def expand(self, text: str) -> list[str]:
        """Synonyms of the terms in normalised `text` that the text does not already contain."""
        out: dict[str, None] = {}
        for term in self.matches(text):
            for other in self.synonyms_of(term):
                if not _contains(text, other):
                    out[other] = None
        return list(out)


@lru_cache(maxsize=1)
def default_synonyms() -> SynonymTable:
    """The shipped table (loaded once; copy it before adding groups)."""
    return SynonymTable.load()


def _token_lists(texts: Iterable[str]) -> list[list[str]]:
    return [segment(normalize_text(t)) for t in texts]


def mine_synonyms(
    texts: Iterable[str],
    *,
    window: int = 3,
    min_count: int = 3,
    min_similarity: float = 0.5,
    max_terms: int = 3000,
    top: int = 200,
) -> list[tuple[str, str, float]]:
    """Term pairs that share contexts but rarely co-occur, as (term, term, similarity), best first."""
    docs = _token_lists(texts)
    counts = Counter(t for doc in docs for t in doc if len(t) > 1 and not t.isdigit())
    vocab = [t for t, c in counts.most_common(max_terms) if c >= min_count]
    index = {t: i for i, t in enumerate(vocab)}
    contexts: list[Counter[str]] = [Counter() for _ in vocab]
    together: Counter[tuple[int, int]] = Counter()
    for doc in docs:
        present = sorted({index[t] for t in doc if t in index})
        for a in range(len(present)):
            for b in range(a + 1, len(present)):
                together[(present[a], present[b])] += 1
        for i, token in enumerate(doc):
            if token not in index:
                continue
            for other in doc[max(0, i - window) : i] + doc[i + 1 : i + 1 + window]:
                if other != token:
                    contexts[index[token]][other] += 1
    norms = [math.sqrt(sum(v * v for v in ctx.values())) for ctx in contexts]
    # Candidate pairs share at least one context word: walk an inverted index of contexts.
    by_context: dict[str, list[int]] = {}
    for i, ctx in enumerate(contexts):
        for word in ctx:
            by_context.setdefault(word, []).append(i)
    pairs: dict[tuple[int, int], float] = {}
    for members in by_context.values():
        if len(members) > 200:  # a context shared by everything ("the", "的") says nothing
            continue
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                key = (a, b) if a < b else (b, a)
                if key in pairs:
                    continue
                ca, cb = contexts[key[0]], contexts[key[1]]
                small, large = (ca, cb) if len(ca) < len(cb) else (cb, ca)
                dot = sum(v * large.get(w, 0) for w, v in small.items())
                pairs[key] = dot / (norms[key[0]] * norms[key[1]] or 1.0)
    out = []
    for (a, b), similarity in pairs.items():
        # Synonyms substitute for each other: they share contexts but seldom appear side by side.
        rarely_together = together[(a, b)] <= 0.1 * min(counts[vocab[a]], counts[vocab[b]])
        if similarity >= min_similarity and rarely_together:
            out.append((vocab[a], vocab[b], round(similarity, 3)))
    out.sort(key=lambda item: (-item[2], item[0], item[1]))
    return out[:top]


def mine_abbreviations(
    texts: Iterable[str], *, min_count: int = 3, dominance: float = 0.6
) -> list[tuple[str, str]]:
    """(abbreviation, expansion) pairs: initials of frequent phrases and unique prefix completions."""
    docs = _token_lists(texts)
    words = Counter(t for doc in docs for t in doc)
    phrases: Counter[str] = Counter()
    for doc in docs:
        for n in (2, 3):
            for i in range(len(doc) - n + 1):
                gram = doc[i : i + n]
                if all(g.isalpha() and g.isascii() for g in gram):
                    phrases[" ".join(gram)] += 1
    latin = {w for w in words if w.isalpha() and w.isascii()}
    out: list[tuple[str, str]] = []
    for short in sorted(w for w in latin if 2 <= len(w) <= 4):
        initials = [
            p
            for p, c in phrases.items()
            if c >= min_count and short not in p.split() and "".join(x[0] for x in p.split()) == short
        ]
        if initials:
            best = max(initials, key=lambda p: (phrases[p], p))
            if phrases[best] >= dominance * sum(phrases[p] for p in initials):
                out.append((short, best))
                continue
        if len(short) >= 3:
            longer = [
                w for w in latin if len(w) >= len(short) + 3 and w.startswith(short) and words[w] >= min_count
            ]
            if longer:
                best = max(longer, key=lambda w: (words[w], w))
                if words[best] >= dominance * sum(words[w] for w in longer):
                    out.append((short, best))
    return out
