"""Interface languages: choosing one per request, loading Babel catalogues, one Jinja2 environment each.

English is the source language. Catalogues are kept as `.po` files under `web/locale/<lang>/LC_MESSAGES/`
and compiled in memory at start-up, so there is no build step for people who run Nichely.
Update them with the pybabel commands written at the top of `locale/babel.cfg`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

LANGUAGES = ("en", "zh", "es")
DEFAULT_LANGUAGE = "en"
# Each language named in itself, so a reader who does not know the current one still finds theirs.
LANGUAGE_NAMES = {"zh": "中文", "en": "English", "es": "Español"}
# What `<html lang>` says: Simplified Chinese is what the catalogue holds.
HTML_LANG = {"zh": "zh-Hans", "en": "en", "es": "es"}
LANG_COOKIE = "lang"

WEB_DIR = Path(__file__).parent
LOCALE_DIR = WEB_DIR / "locale"
TEMPLATE_DIR = WEB_DIR / "templates"


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext "no-op" marker
    """Mark a string for extraction; it is translated later, where the language is known."""
    return message


def parse_accept_language(header: str) -> list[str]:
    """Primary language subtags from an Accept-Language header, best first (RFC 9110 q-values)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, tag.split("-")[0]))
    return [tag for _, _, tag in sorted(ranked)]


def choose_language(cookie: str | None, accept_language: str | None) -> str:
    """The `lang` cookie if it names a known language, else the best Accept-Language match, else English."""
    if cookie in LANGUAGES:
        return cookie  # type: ignore[return-value]
    for tag in parse_accept_language(accept_language or ""):
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of one language (English gets the identity)."""
    path = catalogue_path(lang)
    if lang == DEFAULT_LANGUAGE or not path.exists():
        return NullTranslations()
    with path.open("rb") as po:
        catalogue = read_po(po, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return Translations(fp=buffer)


def gettext_for(lang: str) -> Callable[[str], str]:
    """A plain gettext for Python code that builds messages (form errors, flash text)."""
    return translations(lang).gettext


def _money(lang: str) -> Callable[[Any], str]:
    def money(value: Decimal | float | int | None) -> str:
        if value is None:
            return ""
        return format_decimal(Decimal(value), format="#,##0.00", locale=lang)

    return money


def _date(lang: str) -> Callable[[datetime | None], str]:
    def date(value: datetime | None) -> str:
        return "" if value is None else format_date(value, format="medium", locale=lang)

    return date


def _datetime(lang: str) -> Callable[[datetime | None], str]:
    def when(value: datetime | None) -> str:
        return "" if value is None else format_datetime(value, format="short", locale=lang)

    return when


def _attrs(value: dict[str, Any] | None) -> str:
    """SKU or product attributes as one readable line: `size 42 · width wide`."""
    return " · ".join(f"{k} {v}" for k, v in sorted((value or {}).items()))


@cache
def environment(lang: str) -> Environment:
    """The Jinja2 environment of one language: autoescaped, with that language's gettext installed."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["money"] = _money(lang)
    env.filters["date"] = _date(lang)
    env.filters["datetime"] = _datetime(lang)
    env.filters["attrs"] = _attrs
    env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    env.globals["HTML_LANG"] = HTML_LANG
    return env


def missing_translations(lang: str, msgids: Iterable[str]) -> list[str]:
    """The msgids a catalogue leaves untranslated (used by the tests that keep catalogues complete)."""
    with catalogue_path(lang).open("rb") as po:
        catalogue = read_po(po, locale=lang)
    missing = []
    for msgid in msgids:
        message = catalogue.get(msgid)
        if message is None or not message.string or message.fuzzy:
            missing.append(msgid)
    return missing
