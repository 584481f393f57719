"""Numbers with units in queries, normalised into structured values.

"6 min/km", "6分配速" and "ritmo 6:00/km" all become `Quantity(kind="pace", value=360, unit="s/km")`;
"talla 42" and "42码" become a size 42 (EU); "3/4 in.", "10 ft", "5 kg" become lengths in metres and
masses in kilograms, keeping the unit that was typed; "2 x 4" becomes dimensions (2, 4).
Expects normalised text (`nichely.text.normalize.normalize_text`: half-width, lower case).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Quantity", "parse_number", "parse_quantities", "unit_words"]

_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUM = r"(?:\d+\s+\d+/\d+|\d+/\d+|\d+(?:\.\d+)?|[零一二两三四五六七八九十]{1,3})"
_MI_IN_KM = 1.609344


@dataclass(frozen=True)
class Quantity:
    """A number with its meaning: kind (pace, size, length...), value in `unit`, and the text matched.

    `value` is in the canonical unit of the kind (s/km, m, kg, l, w); sizes keep their system (eu,
    us, uk or "size" when unknown); `original_unit` is the unit as typed, `values` holds all the
    numbers of a dimension ("2 x 4" -> (2.0, 4.0)).
    """

    kind: str
    value: float
    unit: str
    text: str
    original_unit: str = ""
    values: tuple[float, ...] = ()


def parse_number(token: str) -> float | None:
    """`token` as a number: "42", "5.5", "3/4", "1 1/2" or small Chinese numerals ("六", "十二")."""
    token = token.strip()
    if not token:
        return None
    if token[0] in _CN_DIGITS or token[0] == "十":
        return _parse_cn(token)
    try:
        if " " in token:
            whole, frac = token.split(None, 1)
            parsed = parse_number(frac)
            return float(whole) + parsed if parsed is not None else None
        if "/" in token:
            num, den = token.split("/", 1)
            return float(num) / float(den) if float(den) else None
        return float(token)
    except ValueError:
        return None


def _parse_cn(token: str) -> float | None:
    if "十" in token:
        tens, _, ones = token.partition("十")
        high = _CN_DIGITS.get(tens, 0) if tens else 1
        low = _CN_DIGITS.get(ones, 0) if ones else 0
        if (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
            return None
        return float(high * 10 + low)
    if len(token) == 1:
        return float(_CN_DIGITS[token])
    return None


# alias -> (kind, canonical unit, factor to the canonical unit, unit as shown)
_UNITS: dict[str, tuple[str, str, float, str]] = {}


def _add(kind: str, canonical: str, factor: float, shown: str, *aliases: str) -> None:
    for alias in aliases:
        _UNITS[alias] = (kind, canonical, factor, shown)


_add("length", "m", 0.0254, "in", "in.", "in", "inch", "inches", '"', "''", "pulgadas", "pulgada", "英寸")
_add("length", "m", 0.3048, "ft", "ft.", "ft", "feet", "foot", "pies", "英尺")
_add("length", "m", 0.01, "cm", "cm", "厘米", "公分", "centímetros", "centimetros")
_add("length", "m", 0.001, "mm", "mm", "毫米", "milímetros", "milimetros")
_add("length", "m", 1.0, "m", "m", "meter", "meters", "metre", "metres", "metros", "metro", "米")
_add("length", "m", 1000.0, "km", "km", "kilometers", "kilómetros", "kilometros", "公里")
_add(
    "mass",
    "kg",
    1.0,
    "kg",
    "kg",
    "kgs",
    "kilo",
    "kilos",
    "kilogram",
    "kilograms",
    "kilogramos",
    "公斤",
    "千克",
)
_add("mass", "kg", 0.45359237, "lb", "lb", "lbs", "pound", "pounds", "libras", "libra", "磅")
_add("mass", "kg", 0.001, "g", "g", "gram", "grams", "gramos", "克")
_add("mass", "kg", 0.5, "斤", "斤")
_add("mass", "kg", 0.028349523, "oz", "oz", "ounce", "ounces", "onzas")
_add("volume", "l", 1.0, "l", "l", "liter", "liters", "litre", "litres", "litros", "litro", "升")
_add("volume", "l", 0.001, "ml", "ml", "毫升")
_add("volume", "l", 3.785411784, "gal", "gal", "gallon", "gallons", "galón", "galones")
_add("power", "w", 1.0, "w", "w", "watt", "watts", "vatios", "瓦")

_UNIT_ALT = "|".join(re.escape(a) for a in sorted(_UNITS, key=len, reverse=True))
# A unit must not run into a following Latin letter ("6 min" is not "6 m" + "in").
_MEASURE = re.compile(rf"(?P<n>{_NUM})\s*(?P<u>{_UNIT_ALT})(?![a-z])")
_DIM = re.compile(
    rf"(?P<a>\d+(?:\.\d+)?(?:\s+\d+/\d+|/\d+)?)\s*(?:x|by|\*|por)\s*(?P<b>\d+(?:\.\d+)?(?:/\d+)?)"
    rf"(?:\s*(?:x|by|\*|por)\s*(?P<c>\d+(?:\.\d+)?(?:/\d+)?))?"
    rf"(?:\s*(?P<u>{_UNIT_ALT})(?![a-z]))?"
)
_TIME = r"(?P<min>\d+|[一二两三四五六七八九十]{1,2})(?:\s*(?::|'|′|分)\s*(?P<sec>\d{1,2}|[一二三四五十]{1,3})\s*(?:\"|''|″|秒)?)?"
_PER_DIST = r"(?P<dist>km|kilometer|kilometre|kilómetro|kilometro|公里|mi|mile)"
_PACE_PATTERNS = [
    re.compile(rf"{_TIME}\s*(?:min|mins|minutes|minutos|分钟)?\s*(?:/|per|por|每)\s*{_PER_DIST}(?![a-z])"),
    re.compile(rf"(?:配速|pace|ritmo(?:\s+de)?)\s*(?:of\s+|de\s+)?{_TIME}\s*(?:min|分钟|分)?"),
    re.compile(rf"{_TIME}\s*(?:分钟|分)?\s*(?:的)?\s*配速"),
]
_SIZE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"(?P<n>{_NUM})\s*(?:码|號|号)(?!\w*米)"), "码"),
    (
        re.compile(
            r"(?:talla|número|numero|size|尺码|鞋码)\s*(?:de\s+|us\s+|eu\s+|uk\s+)?(?P<n>\d+(?:\.\d+)?)"
        ),
        "size",
    ),
    (re.compile(r"\b(?P<sys>eu|us|uk)\s*(?P<n>\d+(?:\.\d+)?)\b"), "sys"),
    (re.compile(r"\b(?P<n>\d+(?:\.\d+)?)\s*(?P<sys>eu|us|uk)\b"), "sys"),
]


def unit_words() -> frozenset[str]:
    """Every unit spelling this module understands ("in", "ft", "公斤", "libras"...)."""
    return frozenset(_UNITS)


def _size_system(value: float, written: str) -> str:
    if written in ("eu", "us", "uk"):
        return written
    # Shoe sizes 30-50 are EU sizes (Chinese 码 and Spanish tallas use them); small numbers are
    # ambiguous (US shoe size 10, clothing size 10) and stay plain sizes.
    return "eu" if 30 <= value <= 50 else "size"


def _pace(match: re.Match[str]) -> Quantity | None:
    minutes = parse_number(match.group("min"))
    seconds = parse_number(match.group("sec")) if match.group("sec") else 0.0
    if minutes is None or seconds is None or not 1 <= minutes <= 30 or seconds >= 60:
        return None
    total = minutes * 60 + seconds
    dist = match.groupdict().get("dist") or "km"
    if dist in ("mi", "mile"):
        total = total / _MI_IN_KM
    return Quantity("pace", round(total, 1), "s/km", match.group(0).strip(), original_unit=f"min/{dist}")


def parse_quantities(text: str) -> list[Quantity]:
    """Every pace, size, dimension and measure in normalised `text`, in order of appearance."""
    found: list[tuple[int, Quantity]] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    def claim(match: re.Match[str], make: Callable[[re.Match[str]], Quantity | None]) -> None:
        if not free(match.span()):
            return
        quantity = make(match)
        if quantity is not None:
            taken.append(match.span())
            found.append((match.start(), quantity))

    for pattern in _PACE_PATTERNS:
        for match in pattern.finditer(text):
            claim(match, _pace)
    for pattern, how in _SIZE_PATTERNS:
        for match in pattern.finditer(text):
            claim(match, functools.partial(_size, how=how))
    for match in _DIM.finditer(text):
        claim(match, _dimensions)
    for match in _MEASURE.finditer(text):
        claim(match, _measure)
    return [quantity for _, quantity in sorted(found, key=lambda item: item[0])]


def _size(match: re.Match[str], how: str) -> Quantity | None:
    value = parse_number(match.group("n"))
    if value is None or value <= 0 or value > 60:
        return None
    written = match.group("sys") if how == "sys" else ""
    return Quantity("size", value, _size_system(value, written), match.group(0).strip(), original_unit=how)


def _dimensions(match: re.Match[str]) -> Quantity | None:
    numbers = [parse_number(match.group(g)) for g in ("a", "b", "c") if match.group(g)]
    values = tuple(n for n in numbers if n is not None)
    if len(values) < 2:
        return None
    unit = match.group("u") or ""
    factor = _UNITS[unit][2] if unit else 1.0
    canonical = _UNITS[unit][1] if unit else ""
    return Quantity(
        "dimensions",
        values[0] * factor,
        canonical,
        match.group(0).strip(),
        original_unit=_UNITS[unit][3] if unit else "",
        values=tuple(v * factor for v in values),
    )


def _measure(match: re.Match[str]) -> Quantity | None:
    value = parse_number(match.group("n"))
    if value is None:
        return None
    kind, canonical, factor, shown = _UNITS[match.group("u")]
    return Quantity(kind, round(value * factor, 6), canonical, match.group(0).strip(), original_unit=shown)
