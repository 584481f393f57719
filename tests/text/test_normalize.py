from nichely.text.normalize import MAX_TEXT_CHARS, normalize_text, strip_accents, to_simplified


def test_full_width_letters_and_digits_become_half_width_lower_case():
    assert normalize_text("ＮＩＫＥ　４２码") == "nike 42码"


def test_traditional_chinese_becomes_simplified():
    assert normalize_text("適合宿舍的小書桌") == "适合宿舍的小书桌"
    assert to_simplified("跑鞋 Running") == "跑鞋 Running"


def test_spaces_collapse_and_accents_stay():
    assert normalize_text("  Zapatos   de  MUJER\tcómodos ") == "zapatos de mujer cómodos"
    assert strip_accents("cómoda niño") == "comoda nino"


def test_fraction_slash_becomes_a_plain_slash():
    assert normalize_text("¾ in.") == "3/4 in."


def test_empty_and_very_long_text():
    assert normalize_text("") == ""
    assert len(normalize_text("a" * 10_000)) == MAX_TEXT_CHARS
