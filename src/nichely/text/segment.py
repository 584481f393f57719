"""Word segmentation: jieba for Chinese with a domain dictionary that grows, words for the rest.

jieba knows general Chinese; shopping queries need words it does not ("宽脚", "配速", "缓震"). The
domain dictionary `data/domain_dict.txt` (jieba's `word freq tag` lines) is loaded on first use, and
`add_words` teaches the segmenter more at run time (a shop's brand names, words mined from notes).
The tokenizer is private to this module, so other users of jieba's global state are unaffected, and
it is initialised quietly: jieba logs to stderr and imports `pkg_resources`, which warns.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from nichely.text.normalize import normalize_text

__all__ = ["add_words", "domain_words", "jieba_cut", "segment", "tokenize"]

_DICT_RESOURCE = "domain_dict.txt"
# A token worth keeping: it holds a letter, a digit or a Han character (not punctuation or emoji).
_WORDLIKE = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)
# Latin text is split on anything that is not a letter, digit or one of the joiners kept in
# "3/4", "6:30", "t-shirt", "5.5".
_LATIN_TOKEN = re.compile(r"\d+(?:[./:]\d+)*|[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff]")
_lock = threading.Lock()


def domain_words() -> list[tuple[str, int | None, str | None]]:
    """The shipped domain dictionary as (word, frequency or None, part-of-speech tag or None)."""
    text = resources.files("nichely.text.data").joinpath(_DICT_RESOURCE).read_text(encoding="utf-8")
    words: list[tuple[str, int | None, str | None]] = []
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        words.append((parts[0], freq, tag))
    return words


def _new_jieba_tokenizer() -> Any:
    with warnings.catch_warnings():
        # jieba 0.42 imports pkg_resources (deprecated) and has invalid escapes in regexes.
        warnings.simplefilter("ignore")
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=1)
def _plain_tokenizer() -> Any:
    return _new_jieba_tokenizer()


def jieba_cut(text: str) -> list[str]:
    """Plain jieba (default dictionary, no domain words, no normalisation): the reference baseline."""
    return [t for t in _plain_tokenizer().lcut(text) if t.strip()]


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    tokenizer = _new_jieba_tokenizer()
    for word, freq, tag in domain_words():
        tokenizer.add_word(word, freq, tag)
    return tokenizer


def add_words(words: Iterable[str | tuple[str, int]]) -> int:
    """Teach the segmenter `words` (a word, or (word, frequency)); returns how many were added."""
    tokenizer = _tokenizer()
    added = 0
    with _lock:
        for item in words:
            word, freq = (item, None) if isinstance(item, str) else (item[0], int(item[1]))
            word = normalize_text(word).replace(" ", "")
            if word:
                tokenizer.add_word(word, freq)
                added += 1
    return added


def segment(text: str) -> list[str]:
    """Word tokens of already-normalised `text`: jieba over Han runs, word regex elsewhere."""
    if not text:
        return []
    if not _HAN.search(text):
        return _LATIN_TOKEN.findall(text)
    tokens: list[str] = []
    for piece in _tokenizer().cut(text, HMM=True):
        piece = piece.strip()
        if not piece or not _WORDLIKE.search(piece):
            continue
        if _HAN.search(piece):
            tokens.append(piece)
        else:
            tokens.extend(_LATIN_TOKEN.findall(piece))
    return tokens


def tokenize(text: str) -> list[str]:
    """Normalise then segment `text` (the form used for both titles and queries)."""
    return segment(normalize_text(text))
