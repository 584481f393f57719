import pytest

from nichely.text.spelling import SpellCorrector, edit_distance

CATALOGUE = [
    "Cushioned running shoes for men",
    "Wide running shoes women",
    "Convection oven 30 in. stainless",
    "Oven mitts, cotton",
    "Zapatos de mujer horma ancha",
    "Zapatillas de running",
    "Small desk for a dorm",
    "Shoe rack",
]


@pytest.fixture
def speller():
    return SpellCorrector.from_texts(CATALOGUE)


def test_english_typos_are_corrected_from_the_catalogue(speller):
    # given a vocabulary that holds "running" and "shoes", when a typo is corrected
    result = speller.correct("runing shoos")
    # then both words are fixed and the changes are reported
    assert result.text == "running shoes"
    assert result.corrected
    assert result.changes == (("runing", "running"), ("shoos", "shoes"))


def test_spanish_typo_is_corrected(speller):
    assert speller.correct("zapatos de mujr").text == "zapatos de mujer"


def test_correction_only_reaches_words_the_vocabulary_contains(speller):
    # "otr" is three edits from "oven": too far, so it is left alone
    assert speller.correct("convection otr") == speller.correct("convection otr")
    assert speller.correct("convection otr").text == "convection otr"
    assert not speller.correct("convection otr").corrected
    # "ovn" is one edit away
    assert speller.correct("convection ovn").text == "convection oven"


def test_without_the_word_in_the_vocabulary_nothing_changes():
    speller = SpellCorrector.from_texts(["desk lamp"])
    assert speller.correct("runing shoos").text == "runing shoos"


def test_known_words_numbers_units_and_chinese_are_left_alone(speller):
    assert speller.correct("6 min/km running shoes").text == "6 min/km running shoes"
    assert not speller.correct("适合宿舍的小书桌").corrected
    assert speller.correct("42 runnning").text == "42 running"


def test_neighbouring_word_breaks_ties():
    # given two words one edit from "bost", the one seen next to "ski" wins
    speller = SpellCorrector({"boot": 5, "best": 9}, {("ski", "boot"): 3})
    assert speller.correct_word("bost", previous="ski") == "boot"
    assert speller.correct_word("bost") == "best"


def test_edit_distance_counts_a_transposition_as_one():
    assert edit_distance("shoes", "shose") == 1
    assert edit_distance("oven", "otr") == 3
    assert edit_distance("", "abc") == 3


@pytest.mark.parametrize("text", ["", "!!!", "🙂👟", '" OR 1=1 --', "NEAR(a b)", "qwertyuiop" * 1_000])
def test_bad_input_gives_no_error(speller, text):
    result = speller.correct(text)
    assert isinstance(result.text, str)


def test_an_inflection_of_a_known_word_is_not_corrected():
    # given a vocabulary that knows "cushion" and "running" but not "cushioned"
    corrector = SpellCorrector({"cushion": 40, "running": 30, "shoes": 30, "cushy": 2})
    # when a query uses the inflected form, then it stays as typed (no false "did you mean")
    result = corrector.correct("cushioned running shoes")
    assert result.text == "cushioned running shoes"
    assert not result.corrected
    # while a real typo is still fixed
    assert corrector.correct("runing shoes").text == "running shoes"
