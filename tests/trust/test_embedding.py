"""Sentence embeddings of notes: normalised rows, empty texts, the length cap and the in-process cache."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from nichely.trust import embedding
from nichely.trust.embedding import MAX_EMBEDDED_CHARS, embed_notes, encoder


def test_rows_are_normalised_and_an_empty_text_is_zero() -> None:
    vectors = embed_notes(["The staff were friendly.", "", "这家酒店的房间很干净。"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1.0, atol=1e-4)
    assert not vectors[1].any()


def test_similar_notes_are_closer_than_unrelated_ones() -> None:
    room, room_again, code = embed_notes(
        ["The room was clean and quiet.", "Our room was quiet and very clean.", "def f(x): return x ** 2"]
    )
    assert float(room @ room_again) > float(room @ code)


def test_each_text_is_embedded_once_per_process_and_long_ones_are_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given an encoder that records what it is asked to embed
    model = encoder()
    seen: list[str] = []
    real = model.passages

    def recording(texts: Sequence[str]) -> np.ndarray:
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(model, "passages", recording)
    monkeypatch.setattr(embedding, "_cache", {})
    long_note = "The bed was soft. " * 400
    # when the same notes are embedded twice, one of them twice in one call
    first = embed_notes(["A quiet room.", long_note, "A quiet room."])
    second = embed_notes([long_note, "A quiet room."])
    # then each was embedded once, the long one only up to the cap (at a space)
    assert len(seen) == 2
    assert seen[0] == "A quiet room."
    assert len(seen[1]) <= MAX_EMBEDDED_CHARS
    assert long_note.startswith(seen[1])
    assert seen[1].endswith("soft.")
    assert np.array_equal(first[[1, 0]], second)
