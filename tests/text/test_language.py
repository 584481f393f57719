import pytest

from nichely.text.language import LANGUAGES, analyse_language, detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cushioned running shoes for a 6 min/km pace", "en"),
        ("zapatos de mujer de horma ancha", "es"),
        ("适合宿舍的小书桌", "zh"),
        ("42码宽脚跑鞋", "zh"),
        ("適合宿舍的小書桌", "zh"),
        ("Me encanta esta mesa, es muy cómoda", "es"),
        ("Great desk for a small dorm room", "en"),
        ("nike跑鞋42码", "zh"),
    ],
)
def test_detects_the_language_of_queries_in_three_languages(text, expected):
    # given a query in one language, when detected, then the language is named
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "!!!", "🙂👟", '" OR 1=1 --', "NEAR(a b)", "x" * 10_000])
def test_any_input_gets_one_of_the_three_languages(text):
    assert detect_language(text) in LANGUAGES


def test_mixed_chinese_and_english_query_reports_both_scripts():
    # given a Chinese query with English words
    info = analyse_language("nike跑鞋 wide 宽脚")
    # then Chinese is primary, both scripts are counted and the text is marked mixed
    assert info.primary == "zh"
    assert info.scripts["han"] == 4
    assert info.scripts["latin"] == len("nike") + len("wide")
    assert info.is_mixed
    assert info.shares["zh"] > 0
    assert info.shares["en"] > 0


def test_single_language_text_is_not_mixed():
    info = analyse_language("zapatos de mujer de horma ancha")
    assert info.primary == "es"
    assert not info.is_mixed
    assert info.shares["es"] == 1.0
