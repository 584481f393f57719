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
