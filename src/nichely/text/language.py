"""Language detection for zh / en / es, including short and mixed texts."""

from __future__ import annotations

import re

LANGUAGES = ("zh", "en", "es")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-záéíóúüñ]+", re.IGNORECASE)
_SPANISH_MARKS = re.compile(r"[ñáéíóú¿¡]", re.IGNORECASE)
# Function words that are frequent in Spanish and rare in English (and the reverse).
_ES = frozenset(
    ["de", "la", "el", "en", "los", "las", "del", "por", "para", "con", "una", "uno", "que", "es", "muy", "pero", "como", "más", "mi", "sus", "son", "para", "sin", "zapatos", "talla", "cómodo", "comoda", "cómoda", "mujer", "hombre", "ancha", "ancho", "ruido", "oficina"]
)
_EN = frozenset(["the", "and", "for", "with", "this", "that", "is", "are", "was", "very", "but", "my", "it", "of", "to", "in", "on", "shoes", "size"])


def detect_language(text: str) -> str:
    """The most likely language of `text` among zh, en and es (en when there is nothing to go on)."""
    if not text:
        return "en"
    cjk = len(_CJK.findall(text))
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    if cjk and cjk >= len(words):
        return "zh"
    es = sum(w in _ES for w in words) + 2 * len(_SPANISH_MARKS.findall(text))
    en = sum(w in _EN for w in words)
    return "es" if es > en else "en"
