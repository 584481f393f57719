import pytest

from nichely.text.attributes import AttributeLexicon, extract_attributes
from nichely.text.normalize import normalize_text


def extract(text):
    return extract_attributes(normalize_text(text))


def test_spanish_wide_women_shoes():
    result = extract("zapatos de mujer de horma ancha")
    assert result.sku_attributes == {"gender": "women", "width": "wide"}
    assert result.aspects == ["wide_feet"]


def test_chinese_size_width_and_running():
    result = extract("42码宽脚跑鞋")
    assert result.sku_attributes["size"] == 42
    assert result.sku_attributes["size_system"] == "eu"
    assert result.sku_attributes["width"] == "wide"
    assert {"wide_feet", "running"} <= set(result.aspects)


def test_english_pace_and_cushioning():
    result = extract("cushioned running shoes for a 6 min/km pace")
    assert result.sku_attributes["pace_s_per_km"] == 360
    assert result.aspects == ["cushioning", "running"]


def test_dorm_desk_aspects():
    assert extract("适合宿舍的小书桌").aspects == ["dorm", "small_space"]


@pytest.mark.parametrize(
    ("text", "colour"),
    [
        ("black leather boots", "black"),
        ("zapatillas negras talla 42", "black"),
        ("黑色跑鞋", "black"),
        ("azul marino", "blue"),
    ],
)
def test_colours_in_three_languages(text, colour):
    assert extract(text).sku_attributes["colour"] == colour


@pytest.mark.parametrize(
    ("text", "aspects"),
    [
        ("体重大 静音 跑步机", {"heavy", "quiet", "running"}),
        ("zapatillas para corredores pesados sin ruido", {"heavy", "quiet"}),
        ("quiet dog crate for the office", {"quiet", "pets", "office"}),
        ("宠物 猫砂", {"pets"}),
        ("cama para mascotas en la residencia", {"pets", "dorm"}),
        ("plus size dress", {"plus_size"}),
        ("大码女装", {"plus_size"}),
        ("mochila para niños", {"kids"}),
    ],
)
def test_scenario_aspects_in_three_languages(text, aspects):
    assert aspects <= set(extract(text).aspects)


def test_body_weight_marks_a_heavy_runner():
    result = extract("体重90公斤跑鞋")
    assert result.sku_attributes["body_weight_kg"] == 90
    assert "heavy" in result.aspects


def test_longer_chinese_term_wins_and_words_are_not_matched_inside_others():
    assert extract("钢琴").sku_attributes == {}
    assert extract("不锈钢保温杯").sku_attributes == {"material": "steel"}
    assert extract("category").aspects == []


def test_lexicon_grows_at_run_time():
    lexicon = AttributeLexicon.load()
    lexicon.add("aspect", "camping", ["camping", "露营", "acampada"])
    assert extract_attributes("露营椅", lexicon=lexicon).aspects == ["camping"]


@pytest.mark.parametrize("text", ["", "!!!", "🙂👟", '" OR 1=1 --', "NEAR(a b)", "宽" * 10_000])
def test_bad_input_gives_no_error(text):
    result = extract(text)
    assert isinstance(result.aspects, list)
