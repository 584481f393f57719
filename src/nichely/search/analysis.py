"""Index terms: the one analyser that both the index and the query side use.

Text is NFKC-normalised and lower-cased, Chinese runs are segmented with jieba, camelCase
compounds are also split into their parts ("DeckOver" -> deckover, deck, over), and Latin
words are reduced with the Snowball English stemmer. Every term is a run of letters and
digits, so FTS5's unicode61 tokenizer and PostgreSQL's tsvector keep it intact.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from nichely.text.segment import jieba_cut

_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CAMEL = re.compile(r"[a-z][A-Z]")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_NUMBER = re.compile(r"^[0-9]+$")

# Lucene's English stop set (what bm25s and Elasticsearch use) plus the commonest Spanish ones:
# they are kept in the index but never start a candidate search on their own.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
        "de",
        "la",
        "el",
        "en",
        "los",
        "las",
        "del",
        "y",
        "para",
        "con",
        "por",
        "un",
        "una",
    ]
)

_stemmer = Stemmer.Stemmer("english")


def normalise(text: str) -> str:
    """Full-width to half-width and compatibility forms folded (NFKC), then lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def _segment_cjk(run: str) -> list[str]:
    # jieba's default dictionary, loaded once and quietly by the text package on first Chinese text.
    return [w for w in jieba_cut(run) if _WORD.fullmatch(w)]


def words(text: str) -> list[str]:
    """Lower-case words of `text` in order: Chinese segmented, camelCase compounds also split."""
    out: list[str] = []
    for raw in _WORD.findall(unicodedata.normalize("NFKC", text)):
        if _CJK.search(raw):
            out.extend(w.lower() for w in _segment_cjk(raw))
            continue
        out.append(raw.lower())
        if _CAMEL.search(raw):
            out.extend(p.lower() for p in _CAMEL_PART.findall(raw))
    return out


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The index form of one word (Snowball English for Latin words; others unchanged)."""
    if _CJK.search(word) or _NUMBER.match(word):
        return word
    return str(_stemmer.stemWord(word))


def analyze(text: str) -> list[str]:
    """The index terms of `text`, in order, repeats kept (term frequency matters)."""
    return [stem(w) for w in words(text)]


def content_terms(terms: list[str]) -> list[str]:
    """Distinct terms without stop words, in first-seen order (stop words only if nothing else)."""
    seen = dict.fromkeys(t for t in terms if t not in STOP_WORDS)
    return list(seen) or list(dict.fromkeys(terms))
