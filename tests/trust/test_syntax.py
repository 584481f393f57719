"""Syntactic terms: part-of-speech n-grams and dependency triples of a parse, English only."""

from __future__ import annotations

import numpy as np
import pytest

from nichely.trust import syntax
from nichely.trust.syntax import parser, syntactic_terms


def test_terms_of_a_known_sentence() -> None:
    # given a plain English sentence
    (terms,) = syntactic_terms(["The staff were friendly."])
    # then its part-of-speech n-grams run from the sentence start to its end
    assert "pos:<s> DET NOUN AUX ADJ PUNCT" not in terms  # n-grams stop at 4
    assert "pos:<s> DET NOUN AUX" in terms
    assert "pos:AUX ADJ PUNCT </s>" in terms
    assert "pos:ADJ" in terms
    # and its dependency triples are lexicalised on lemmas, fully and on one side
    assert "dep:staff>det>the" in terms
    assert "dep:be>nsubj>staff" in terms
    assert "dep:be>acomp>JJ" in terms
    assert "dep:VBD>acomp>friendly" in terms


def test_each_sentence_has_its_own_boundaries() -> None:
    (terms,) = syntactic_terms(["We loved it. The bed was soft."])
    assert terms.count("pos:<s>") == 2
    assert terms.count("pos:</s>") == 2
    # no n-gram runs across the full stop into the next sentence
    assert not any("PUNCT DET" in t for t in terms)


def test_other_languages_and_empty_texts_get_no_terms() -> None:
    texts = [
        "这家酒店的房间很干净，服务也很好。",
        "La habitación estaba limpia y el personal fue amable.",
        "",
        "Nice room.",
    ]
    terms = syntactic_terms(texts)
    assert terms[:3] == [[], [], []]
    assert terms[3]


def test_the_pipeline_is_loaded_once() -> None:
    assert parser() is parser()
    assert "ner" not in parser().pipe_names


def test_only_the_start_of_a_very_long_note_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a cap of 18 characters on what is parsed
    monkeypatch.setattr(syntax, "MAX_PARSED_CHARS", 18)
    # when a longer note is parsed
    (terms,) = syntactic_terms(["The staff were kind. The bed was soft."])
    # then only its first sentence gives terms
    assert "dep:staff>det>the" in terms
    assert not any("bed" in t for t in terms)


def test_parse_vectors_of_english_texts_only() -> None:
    # given an English note, a Spanish one and an empty one
    notes = syntax.parse_notes(["The staff were friendly.", "La habitación estaba limpia.", ""])
    # then only the English note is parsed: token-vector mean and spread, then the tagger confidence
    assert notes.parsed.tolist() == [True, False, False]
    assert notes.vectors.shape == (3, syntax.parse_vector_size())
    assert np.isfinite(notes.vectors[0]).all()
    assert np.isnan(notes.vectors[1:]).all()
    mean_top, min_top, low_decile = notes.vectors[0, -7:-4]
    assert 0.0 < min_top <= low_decile <= mean_top <= 1.0
    # and its terms are those of `syntactic_terms`
    assert notes.terms == syntactic_terms(["The staff were friendly.", "La habitación estaba limpia.", ""])


def test_no_english_text_gives_an_empty_vector_block() -> None:
    notes = syntax.parse_notes(["这家酒店的房间很干净。"])
    assert notes.vectors.shape == (1, 0)
    assert not notes.parsed.any()
