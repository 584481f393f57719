import time

import pytest

from nichely.text.query import ParsedQuery, QueryParser, is_long_tail, parse_query


@pytest.fixture
def parser():
    return QueryParser.from_texts(
        ["Cushioned running shoes", "Convection oven 30 in.", "Zapatos de mujer horma ancha", "小书桌 宿舍"]
    )


def test_english_long_tail_query_with_typos(parser):
    # given a long English query with two typos and a pace
    parsed = parser.parse("Cushioned runing shoos for a 6 min/km pace")
    # then it is corrected, segmented, expanded, measured and flagged long-tail
    assert parsed.language == "en"
    assert parsed.normalized == "cushioned runing shoos for a 6 min/km pace"
    assert parsed.corrected == "cushioned running shoes for a 6 min/km pace"
    assert parsed.was_corrected
    assert parsed.tokens[:3] == ["cushioned", "running", "shoes"]
    assert "跑鞋" in parsed.expansions
    assert [q.value for q in parsed.quantities] == [360]
    assert parsed.sku_attributes["pace_s_per_km"] == 360
    assert {"cushioning", "running"} <= set(parsed.aspects)
    assert parsed.is_long_tail


def test_spanish_query(parser):
    parsed = parser.parse("zapatos de mujer de horma ancha")
    assert parsed.language == "es"
    assert not parsed.was_corrected
    assert parsed.sku_attributes == {"gender": "women", "width": "wide"}
    assert "wide_feet" in parsed.aspects
    assert "宽楦" in parsed.expansions
    assert parsed.is_long_tail


def test_chinese_queries(parser):
    desk = parser.parse("適合宿舍的小書桌")
    assert desk.language == "zh"
    assert desk.normalized == "适合宿舍的小书桌"
    assert desk.tokens == ["适合", "宿舍", "的", "小", "书桌"]
    assert desk.aspects == ["dorm", "small_space"]
    assert desk.is_long_tail  # 8 Han characters
    shoes = parser.parse("42码宽脚跑鞋")
    assert shoes.sku_attributes["size"] == 42
    assert not shoes.is_long_tail  # 5 Han characters and a number


def test_mixed_query_reports_languages():
    parsed = parse_query("nike跑鞋 wide 42码")
    assert parsed.language == "zh"
    assert parsed.is_mixed_language
    assert parsed.language_shares["en"] > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("跑鞋", False),
        ("适合宿舍的小书桌", True),
        ("running shoes", False),
        ("wide running shoes women", True),
        ("zapatos de mujer", False),
    ],
)
def test_long_tail_rule(text, expected):
    assert is_long_tail(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "!!!...???",
        "🙂👟🏃",
        '" OR 1=1 --',
        "NEAR(a b)",
        "title:foo AND body:*",
        "跑" * 10_000,
        "a " * 5_000,
    ],
)
def test_hostile_and_degenerate_input_parses_quickly(parser, text):
    started = time.perf_counter()
    parsed = parser.parse(text)
    assert isinstance(parsed, ParsedQuery)
    assert parsed.language in ("zh", "en", "es")
    assert time.perf_counter() - started < 2.0


def test_sql_looking_query_is_just_text(parser):
    parsed = parser.parse('" OR 1=1 --')
    assert parsed.tokens == ["or", "1", "1"]
    assert parsed.sku_attributes == {}
