"""Language choice and the completeness of the zh and es catalogues."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from nichely.web import i18n

WEB = Path(i18n.__file__).parent
METHODS = [("pages/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def ui_messages() -> set[str]:
    """Every msgid the pages and templates use, extracted as pybabel would."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {"trimmed": "true"}}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("lang", ["zh", "es"])
def test_every_ui_string_is_translated(lang):
    # given the strings the UI uses and the language's catalogue
    wanted = ui_messages()
    with i18n.catalogue_path(lang).open("rb") as po:
        catalogue = read_po(po, locale=lang)
    # then each has a translation that is neither empty nor fuzzy
    untranslated = sorted(
        m
        for m in wanted
        if (entry := catalogue.get(m)) is None
        or entry.fuzzy
        or not (all(entry.string) if isinstance(entry.string, tuple) else entry.string)
    )
    assert len(wanted) > 150
    assert untranslated == []


def test_translated_placeholders_match_the_source():
    for lang in ("zh", "es"):
        with i18n.catalogue_path(lang).open("rb") as po:
            catalogue = read_po(po, locale=lang)
        for entry in catalogue:
            if not entry.id:
                continue
            source = entry.id if isinstance(entry.id, tuple) else (entry.id,)
            targets = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            for target in targets:
                for name in ("%(num)d", "%(shop)s", "%(name)s", "%(q)s", "%(id)s", "%(when)s", "%(total)d"):
                    assert (name in source[0]) == (name in target), (lang, entry.id, target)


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        ("es", "zh-CN,zh;q=0.9", "es"),
        (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        (None, "fr-FR, es;q=0.7, en;q=0.5", "es"),
        (None, "en;q=0.2, es;q=0.9", "es"),
        (None, "fr, de", "en"),
        ("xx", "", "en"),
        (None, "es;q=0, zh;q=0.1", "zh"),
        (None, "es;q=abc", "en"),
    ],
)
def test_language_comes_from_cookie_then_accept_language_then_english(cookie, header, expected):
    assert i18n.choose_language(cookie, header) == expected


def test_catalogue_translates_with_plurals():
    es = i18n.translations("es")
    assert es.ngettext("%(num)d note", "%(num)d notes", 2) == "%(num)d notas"
    assert i18n.translations("zh").gettext("Log in") == "登录"
    assert i18n.translations("en").gettext("Log in") == "Log in"
