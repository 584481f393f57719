"""Text normalisation shared by indexing and querying.

One function, `normalize_text`, so that a title indexed today and a query typed tomorrow meet in the
same form: Unicode NFKC (full-width letters, digits and punctuation become half-width), case folding,
traditional Chinese converted to simplified (OpenCC ``t2s``), and runs of white space collapsed.
Accents are kept (Spanish "año" is not "ano"); `strip_accents` is there for matching that wants it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

__all__ = ["MAX_TEXT_CHARS", "normalize_text", "strip_accents", "to_simplified", "without_nul"]

# Queries and titles longer than this are cut: nothing useful for matching lives past it, and it
# bounds the work one request can cause.
MAX_TEXT_CHARS = 2_000
_SPACES = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# NFKC turns these into ASCII look-alikes that read as something else ("½" -> "1⁄2" keeps the
# fraction slash); map the fraction slash to "/" so "3⁄4" parses as a fraction.
_AFTER_NFKC = str.maketrans({"\u2044": "/", "\u3000": " ", "\u00d7": "x", "\u2013": "-", "\u2014": "-"})


@lru_cache(maxsize=1)
def _converter() -> Any:
    # Imported lazily: loading OpenCC's dictionaries costs ~0.1 s and many callers never see Chinese.
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _triggers() -> frozenset[str] | None:
    """The characters without which OpenCC's t2s leaves a text as it is, read from the same
    dictionaries it converts with (None when they cannot be read: then every text is converted).

    A character dictionary entry changes its character; a phrase entry changes its text only where
    it holds such a character, or (瞭解, 反覆, 沈默) where the phrase's own character differs
    from the simplified one. Converting costs tens of microseconds a sentence in pure Python, and
    most Chinese text on the platform is simplified already.
    """
    from importlib.resources import files

    try:
        folder = files("opencc") / "dictionary"
        chars = _entries((folder / "TSCharacters.txt").read_text(encoding="utf-8"))
        phrases = _entries((folder / "TSPhrases.txt").read_text(encoding="utf-8"))
    except (OSError, ModuleNotFoundError):
        return None
    changing = {key for key, value in chars.items() if value != key}
    for key, value in phrases.items():
        if value != key and not changing.intersection(key):
            changing.update(a for a, b in zip(key, value, strict=False) if a != b)
            if len(key) != len(value):
                changing.update(key)
    return frozenset(changing)


def _entries(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and parts[1].split():
            out[parts[0]] = parts[1].split()[0]
    return out


def without_nul(text: str) -> str:
    """`text` without NUL characters: PostgreSQL stores none in text or JSON, so every text a
    person sends is cleaned of them before it reaches either store."""
    return text.replace("\x00", "")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters in `text` converted to simplified (other scripts unchanged)."""
    if not _HAN.search(text):
        return text
    triggers = _triggers()
    if triggers is not None and triggers.isdisjoint(text):
        return text
    return str(_converter().convert(text))


def strip_accents(text: str) -> str:
    """`text` without combining accents ("cómoda" -> "comoda"); ñ becomes n too."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_text(text: str) -> str:
    """NFKC width folding, lower case, simplified Chinese and single spaces; cut to MAX_TEXT_CHARS."""
    if not text:
        return ""
    text = text[:MAX_TEXT_CHARS]
    text = unicodedata.normalize("NFKC", text).translate(_AFTER_NFKC).casefold()
    text = to_simplified(text)
    return _SPACES.sub(" ", text).strip()
