"""Language detection for zh / en / es, including short and mixed texts.

`detect_language` answers with one code and is what notes and queries store. `analyse_language`
says more: how many characters of each script the text holds, a share per language, and whether the
text mixes languages ("42码 wide running shoes" is Chinese and English). The method is deliberately
small and explainable: Han characters vote for Chinese; Latin words vote for Spanish or English by
function words, frequent shopping words, accented letters and typical endings (a handful of
hand-picked cues in the spirit of Cavnar & Trenkle's n-gram profiles, without a trained profile).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["LANGUAGES", "LanguageInfo", "analyse_language", "detect_language"]

LANGUAGES = ("zh", "en", "es")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[a-zà-öø-ÿ]+", re.IGNORECASE)
_DIGITS = re.compile(r"\d")
_SPANISH_MARKS = re.compile(r"[ñáéíóú¿¡ü]", re.IGNORECASE)


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Function words and frequent shopping words: common in one language and rare in the other.
_ES = _wordset(
    """de la el en los las del por para con una uno unos unas que es muy pero como más mas mi mis sus
    son sin al lo se su y o e ni está esta este estos estas eso hay ya tu te me nos
    zapatos zapatillas zapato talla cómodo comodo cómoda comoda mujer mujeres hombre hombres niños niñas
    ancha ancho anchos anchas ruido oficina mesa silla escritorio pequeño pequeña grande barato barata
    negro negra blanco blanca rojo roja azul verde gris rosa correr cocina horno casa perro gato
    mascotas residencia estudiantes pie pies bolso camisa pantalón pantalones vestido chaqueta abrigo
    algodón cuero madera acero impermeable silencioso silenciosa ligero ligera mejor nuevo nueva"""
)
_EN = _wordset(
    """the and for with this that these those is are was were be been very but my your our it its of to
    in on at by from as an a or not no so too can will would should what which who how why when where
    shoes shoe size sizes wide narrow running women men kids girls boys small large cheap best new
    black white red blue green grey gray pink desk chair table kitchen oven home dog cat pets dorm
    office quiet heavy light leather cotton wood steel waterproof comfortable comfy feet foot pack
    set inch inches ft lb lbs"""
)
# Word endings typical of one language (checked only for words not already in a list above).
_ES_ENDINGS = (
    "ción",
    "cion",
    "ciones",
    "mente",
    "idad",
    "ado",
    "ada",
    "ados",
    "adas",
    "ito",
    "ita",
    "eño",
    "eña",
)
_EN_ENDINGS = ("ing", "tion", "ness", "ful", "less", "ly", "ed", "ght", "th", "ck", "sh", "w", "k", "y")


@dataclass(frozen=True)
class LanguageInfo:
    """What the text is written in: the primary language, script counts, per-language shares."""

    primary: str
    scripts: dict[str, int] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    is_mixed: bool = False


def _latin_votes(words: list[str]) -> tuple[float, float]:
    es = en = 0.0
    for word in words:
        if word in _ES and word not in _EN:
            es += 1
        elif word in _EN and word not in _ES:
            en += 1
        elif len(word) > 3 and word.endswith(_ES_ENDINGS):
            es += 0.5
        elif len(word) > 3 and word.endswith(_EN_ENDINGS):
            en += 0.5
    return es, en


def analyse_language(text: str) -> LanguageInfo:
    """Primary language, script counts (han, latin, digit, other) and per-language shares of `text`."""
    if not text or not text.strip():
        return LanguageInfo(primary="en", scripts={}, shares={}, is_mixed=False)
    han = len(_CJK.findall(text))
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    latin_chars = sum(len(w) for w in words)
    scripts = {
        "han": han,
        "latin": latin_chars,
        "digit": len(_DIGITS.findall(text)),
        "other": len(_KANA_HANGUL.findall(text)),
    }
    es, en = _latin_votes(words)
    es += 2 * len(_SPANISH_MARKS.findall(text))
    # A Latin word carries about as much as two Han characters (a Chinese word is ~2 characters).
    zh_weight = han / 2
    latin_weight = float(len(words))
    if latin_weight and es == en:
        # No cue either way: English, the usual language of brand names and model numbers.
        en += 0.5
    votes = es + en
    es_weight = latin_weight * es / votes if votes else 0.0
    en_weight = latin_weight - es_weight
    total = zh_weight + latin_weight
    if total == 0:
        return LanguageInfo(primary="en", scripts=scripts, shares={}, is_mixed=False)
    shares = {
        "zh": round(zh_weight / total, 3),
        "en": round(en_weight / total, 3),
        "es": round(es_weight / total, 3),
    }
    # Chinese queries often carry Latin brand names or sizes ("nike跑鞋42码"): Han decides.
    chinese = han and zh_weight >= latin_weight * 0.5
    primary = "zh" if chinese else ("es" if es > en else "en")
    present = [lang for lang, share in shares.items() if share >= 0.15]
    is_mixed = (han > 0 and latin_weight > 0 and len(present) > 1) or (es >= 1 and en >= 1)
    return LanguageInfo(primary=primary, scripts=scripts, shares=shares, is_mixed=is_mixed)


def detect_language(text: str) -> str:
    """The most likely language of `text` among zh, en and es (en when there is nothing to go on)."""
    return analyse_language(text).primary
