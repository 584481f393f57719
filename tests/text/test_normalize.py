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


def test_skipping_text_without_traditional_characters_never_changes_a_conversion():
    # given every entry of the dictionaries t2s converts with, alone and inside simplified text
    from importlib.resources import files

    from opencc import OpenCC

    folder = files("opencc") / "dictionary"
    keys = [
        line.split("\t")[0]
        for name in ("TSPhrases.txt", "TSCharacters.txt")
        for line in (folder / name).read_text(encoding="utf-8").splitlines()
        if "\t" in line
    ]
    converter = OpenCC("t2s")
    samples = keys + [f"这个{k}很好" for k in keys] + ["这个宠物窝很软，猫很喜欢", "适合宿舍的小书桌"]
    # then the quick path gives exactly what the converter gives, phrase-only changes included
    assert to_simplified("一目瞭然") == "一目了然"
    assert to_simplified("沈默") == "沉默"
    assert [to_simplified(s) for s in samples] == [converter.convert(s) for s in samples]
