"""TextDetector: learns a planted style, calibrated probabilities, reasons, language flags, files."""

from __future__ import annotations

import io
from pathlib import Path

import joblib
import numpy as np
import pytest

from nichely.errors import InvalidInput
from nichely.trust.detectors import FORMAT_VERSION, MAGIC, TextDetector
from nichely.trust.stylometry import FEATURES
from tests.trust.conftest import make_corpus


@pytest.fixture(scope="module")
def fitted() -> TextDetector:
    texts, labels, _ = make_corpus(120, seed=1)
    return TextDetector("deceptive").fit(texts, labels)


def test_learns_the_planted_style_on_unseen_notes(fitted: TextDetector) -> None:
    # given notes the detector has never seen, written in the two styles
    texts, labels, _ = make_corpus(60, seed=99)
    # when they are scored
    proba = fitted.predict_proba(texts)
    predicted = fitted.predict(texts)
    # then probabilities are well-formed and the planted class is found
    assert proba.shape == (60, 2)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert ((proba >= 0) & (proba <= 1)).all()
    accuracy = np.mean([p == y for p, y in zip(predicted, labels, strict=True)])
    assert accuracy >= 0.95
    assert fitted.labels == ("truthful", "deceptive")
    assert fitted.detects == "deceptive"


def test_explain_names_the_planted_ngrams(fitted: TextDetector) -> None:
    # given a note in the planted style
    note = "I absolutely loved my stay, the pool was quiet! My husband and I will definitely return!"
    # when it is explained
    reasons = fitted.explain(note, top=5)
    # then the reasons are readable and point to the positive label
    assert 0 < len(reasons) <= 5
    assert all(isinstance(r, str) and r for r in reasons)
    assert any("points to deceptive" in r for r in reasons)


def test_save_load_round_trip_gives_the_same_scores(fitted: TextDetector, tmp_path: Path) -> None:
    # given a fitted detector saved to a file
    path = tmp_path / "deceptive.model"
    fitted.save(path)
    # when it is loaded again
    loaded = TextDetector.load(path)
    # then it scores identically and remembers what it detects
    texts, _, _ = make_corpus(20, seed=5)
    assert np.allclose(loaded.predict_proba(texts), fitted.predict_proba(texts))
    assert loaded.labels == fitted.labels
    assert loaded.languages == {"en": 120}
    assert path.read_bytes().startswith(MAGIC)


@pytest.mark.parametrize(
    ("note", "language"),
    [
        ("这家酒店的房间很干净，服务也很好，我下次还会再来。", "zh"),
        ("El hotel es muy cómodo, la habitación estaba limpia y el personal fue amable.", "es"),
    ],
)
def test_other_languages_are_scored_but_flagged(fitted: TextDetector, note: str, language: str) -> None:
    # given a detector trained only on English notes
    # when a Chinese or Spanish note is assessed
    (verdict,) = fitted.assess([note], reasons=3)
    # then it does not fail, and says that the language is not supported
    assert 0.0 <= verdict.probability <= 1.0
    assert verdict.language == language
    assert verdict.language_supported is False
    assert verdict.reasons[0] == f"model trained on English text; this note is {language}"
    # and that the English-only syntax view and parse vectors were left out for it
    assert verdict.reasons[1] == f"syntactic view is English-only; left out for this {language} note"
    assert verdict.reasons[2] == (
        f"parse vectors of the embedding view are English-only; left out for this {language} note"
    )


def test_english_note_is_supported(fitted: TextDetector) -> None:
    (verdict,) = fitted.assess(["The room on floor 12 was quiet and we paid $150 a night."], reasons=50)
    assert verdict.language_supported is True
    assert verdict.label == "truthful"
    assert not any("English-only" in r for r in verdict.reasons)


def test_an_english_detector_stacks_the_syntax_view(fitted: TextDetector) -> None:
    # given a detector trained on English notes
    # then it has the syntax view, whose patterns can be among the reasons
    assert fitted.uses_syntax
    note = "I absolutely loved my stay, the pool was quiet! My husband and I will definitely return!"
    reasons = fitted.explain(note, top=200)
    assert any(r.startswith(("part-of-speech sequence", "dependency")) for r in reasons)


def test_an_english_detector_stacks_the_embedding_view(fitted: TextDetector) -> None:
    # given a detector trained on English notes
    # then it has a fourth, embedding view with the parse vectors beside the sentence embedding
    assert fitted.uses_embedding
    assert fitted._meta is not None
    assert fitted._meta.coef_.shape == (1, 4)
    assert fitted._dense_scaler is not None
    assert fitted._dense_scaler.n_features_in_ == 384 + fitted._parse_width
    assert fitted._parse_width > 0
    # and the view is one of the reasons, pointing the way its score does
    note = "I absolutely loved my stay, the pool was quiet! My husband and I will definitely return!"
    reasons = fitted.explain(note, top=500)
    assert sum("embedding view" in r for r in reasons) == 1


def test_a_note_with_no_parse_gets_the_training_means_as_parse_vector(fitted: TextDetector) -> None:
    # given a Chinese note (no English parse) scored by an English detector
    note = "这家酒店的房间很干净，服务也很好，我下次还会再来。"
    # when its embedding view features are made
    *_, dense = fitted._features([note])
    # then they are finite, and the parse part is the training mean (0 after scaling)
    assert dense is not None
    assert np.isfinite(dense).all()
    assert np.allclose(dense[0, 384:], 0.0)
    assert not np.allclose(dense[0, :384], 0.0)


def test_a_detector_trained_without_english_has_no_syntax_view() -> None:
    # given Spanish notes in two styles
    rng = np.random.default_rng(3)
    plain = [
        "La habitación {} estaba limpia y pagamos {} euros.",
        "El baño del piso {} era pequeño, {} euros.",
    ]
    planted = [
        "¡Me encantó mi estancia {}, la mejor {}!",
        "¡Volveremos sin duda {}, una experiencia {} increíble!",
    ]
    texts = [plain[i % 2].format(*rng.integers(2, 400, 2)) for i in range(20)]
    texts += [planted[i % 2].format(*rng.integers(2, 400, 2)) for i in range(20)]
    labels = ["truthful"] * 20 + ["deceptive"] * 20
    # when a detector is fitted on them
    detector = TextDetector("deceptive").fit(texts, labels)
    # then there is no parse to learn from, and it still scores (and does not flag the syntax view)
    assert detector.languages == {"es": 40}
    assert not detector.uses_syntax
    # and its embedding view has the (multilingual) sentence embedding only
    assert detector.uses_embedding
    assert detector._parse_width == 0
    (verdict,) = detector.assess(["¡Me encantó, la mejor estancia!"], reasons=3)
    assert verdict.label == "deceptive"
    assert not any("English-only" in r for r in verdict.reasons)


def test_fit_needs_the_positive_label_and_two_classes() -> None:
    texts, labels, _ = make_corpus(20)
    with pytest.raises(InvalidInput, match="no text is labelled 'spam'"):
        TextDetector("spam").fit(texts, labels)
    with pytest.raises(InvalidInput, match="exactly two labels"):
        TextDetector("deceptive").fit(texts, [*labels[:-1], "other"])


def _write_old_format(path: Path, version: int, detector: TextDetector, **views: object) -> Path:
    """A detector file as an older format wrote it: the state that format saved, and its header."""
    state = {
        "format_version": version, "sklearn_version": "1.9.1", "detects": "deceptive",
        "labels": detector.labels, "languages": {"en": 60}, "trained_on": {"texts": 60}, "folds": 5,
        "random_state": 0, "vectorizers": detector._vectorizers, "ngram_model": detector._ngram_model,
        "style_scaler": detector._style_scaler, "style_model": detector._style_model,
        "meta": detector._meta, "style_features": list(FEATURES), **views,
    }  # fmt: skip
    body = io.BytesIO()
    joblib.dump(state, body)
    path.write_bytes(MAGIC + f"{version}\n".encode() + body.getvalue())
    return path


def test_a_format_2_file_still_loads_and_scores_without_the_syntax_view(
    fitted: TextDetector, tmp_path: Path
) -> None:
    # given a detector file of format 2 (n-gram and style views only), written as format 2 wrote them
    texts, labels, _ = make_corpus(60, seed=7)
    two_views = TextDetector("deceptive").fit(texts, labels)
    two_views._syntax_vectorizer = None
    two_views._syntax_model = None
    two_views._dense_scaler = two_views._dense_model = None
    two_views._parse_width = 0
    ngram, style = two_views._scores(texts).T
    two_views._meta = two_views._meta.__class__().fit(
        np.column_stack([ngram, style]), [y == "deceptive" for y in labels]
    )
    path = _write_old_format(tmp_path / "format2.model", 2, two_views)
    # when it is loaded
    loaded = TextDetector.load(path)
    # then it scores with the two views it has, as before
    assert not loaded.uses_syntax
    assert np.allclose(loaded.predict_proba(texts), two_views.predict_proba(texts))
    unseen, truth, _ = make_corpus(20, seed=11)
    assert loaded.predict(unseen) == truth


def test_a_format_3_file_still_loads_and_scores_without_the_embedding_view(tmp_path: Path) -> None:
    # given a detector file of format 3 (n-gram, style and syntax views), written as format 3 wrote them
    texts, labels, _ = make_corpus(60, seed=8)
    three_views = TextDetector("deceptive").fit(texts, labels)
    three_views._dense_scaler = three_views._dense_model = None
    three_views._parse_width = 0
    three_views._meta = three_views._meta.__class__().fit(
        three_views._scores(texts), [y == "deceptive" for y in labels]
    )
    path = _write_old_format(
        tmp_path / "format3.model",
        3,
        three_views,
        syntax_vectorizer=three_views._syntax_vectorizer,
        syntax_model=three_views._syntax_model,
        syntax_neutral=three_views._syntax_neutral,
    )
    # when it is loaded
    loaded = TextDetector.load(path)
    # then it scores with its three views, as before, and says nothing of parse vectors
    assert loaded.uses_syntax
    assert not loaded.uses_embedding
    assert loaded._scores(texts).shape == (60, 3)
    assert np.allclose(loaded.predict_proba(texts), three_views.predict_proba(texts))
    (verdict,) = loaded.assess(["这家酒店的房间很干净，服务也很好。"], reasons=2)
    assert not any("parse vectors" in r for r in verdict.reasons)


def test_load_refuses_a_file_that_is_not_a_detector(tmp_path: Path) -> None:
    # given a text file, a plain joblib pickle, a future format and a truncated detector
    text_file = tmp_path / "notes.csv"
    text_file.write_text("text\nhello\n")
    plain = tmp_path / "plain.joblib"
    joblib.dump({"model": 1}, plain)
    future = tmp_path / "future.model"
    future.write_bytes(MAGIC + b"99\n")
    body = io.BytesIO()
    joblib.dump({"x": 1}, body)
    truncated = tmp_path / "truncated.model"
    truncated.write_bytes(MAGIC + f"{FORMAT_VERSION}\n".encode() + body.getvalue()[:10])
    # then each is refused with a clear message
    with pytest.raises(InvalidInput, match="not a Nichely trust detector file"):
        TextDetector.load(text_file)
    with pytest.raises(InvalidInput, match="not a Nichely trust detector file"):
        TextDetector.load(plain)
    with pytest.raises(InvalidInput, match="format 99"):
        TextDetector.load(future)
    # a detector of format 1 (before the lexicon, frequency and typing features) is refused too
    old = tmp_path / "old.model"
    old.write_bytes(MAGIC + b"1\n" + body.getvalue())
    with pytest.raises(InvalidInput, match="format 1; this Nichely reads formats 2, 3 and 4: fit it again"):
        TextDetector.load(old)
    with pytest.raises(InvalidInput, match="damaged"):
        TextDetector.load(truncated)
    with pytest.raises(InvalidInput, match="cannot read model"):
        TextDetector.load(tmp_path / "missing.model")
