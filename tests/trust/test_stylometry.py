"""Stylometric features: length-normalised rates that behave as their names say."""

from __future__ import annotations

import numpy as np

from nichely.trust.stylometry import FEATURES, style_features, style_matrix


def _feature(text: str, name: str) -> float:
    return style_features(text)[list(FEATURES).index(name)]


def test_first_person_rate_counts_i_me_my() -> None:
    assert _feature("I love my room and I will return", "first_person_singular_rate") == 3 / 8
    assert _feature("The room was clean", "first_person_singular_rate") == 0.0


def test_digits_and_exclamations() -> None:
    assert _feature("Room 1234!", "digit_rate") == 4 / 10
    assert _feature("Great! Lovely!", "exclamation_rate") == 1.0


def test_matrix_shape_and_empty_or_foreign_texts_do_not_fail() -> None:
    m = style_matrix(["", "这家酒店很好。", "¡Muy bien!", "Fine."])
    assert m.shape == (4, len(FEATURES))
    assert np.isfinite(m).all()


def test_lexicon_categories_count_concrete_detail_and_trip_context() -> None:
    # given a note of spatial detail and one of family-trip praise
    concrete = "The bathroom next to the elevator was small"
    praise = "My husband and I loved our amazing vacation"
    # then each scores on its own category and not on the other
    assert _feature(concrete, "lexicon_spatial_rate") == 4 / 8
    assert _feature(concrete, "lexicon_family_trip_rate") == 0.0
    assert _feature(praise, "lexicon_family_trip_rate") == 2 / 8
    assert _feature(praise, "lexicon_superlative_rate") == 1 / 8
    assert _feature(praise, "lexicon_spatial_rate") == 0.0


def test_word_frequency_separates_common_from_rare_words() -> None:
    # given plain common words and rare, learned words
    common = _feature("the room was good and the staff was nice", "zipf_mean")
    rare = _feature("sumptuous damask brocade and gilded balustrades", "zipf_mean")
    # then common words sit higher on the Zipf scale, and rare ones are counted as rare
    assert common > 5.5 > rare
    assert _feature("sumptuous damask brocade and gilded balustrades", "rare_word_rate") >= 0.5


def test_typing_habits_are_counted() -> None:
    # given a note with a misspelling, a space before a comma, a glued comma and a lone i
    sloppy = "The hoteelz was fine , i liked it,really.  great stay!!"
    tidy = "The hotel was fine, and I liked it. Great stay!"
    # then each habit is seen in the sloppy note and none in the tidy one
    for name in [
        "unknown_word_rate",
        "space_before_punctuation_rate",
        "missing_space_rate",
        "double_space_rate",
        "lowercase_sentence_start_rate",
        "lone_lowercase_i_rate",
        "doubled_punctuation_rate",
    ]:
        assert _feature(sloppy, name) > 0, name
        assert _feature(tidy, name) == 0, name
