"""Detector outputs are kept per note and model file: a rescore reads a note again only when its
text or the model file changed (both stores)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from nichely.community.models import Note
from nichely.trust import service, textmodels
from nichely.trust.detectors import TextDetector
from nichely.trust.models import DetectorVerdict, TrustScore

TRUTHFUL = [f"I bought these shoes for my wide feet and they fit well after week {i}." for i in range(8)]
DECEPTIVE = [f"Amazing amazing product, best ever, buy now, you will love it {i}!!" for i in range(8)]


def _fit(path: Path, flip: bool = False) -> Path:
    labels = ["truthful"] * 8 + ["deceptive"] * 8
    if flip:
        labels = labels[::-1]
    TextDetector("deceptive", folds=2).fit(TRUTHFUL + DECEPTIVE, labels).save(path)
    return path


@pytest.fixture
def model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = _fit(tmp_path / "deceptive.model")
    monkeypatch.setenv(textmodels.ENV, str(path))
    return path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text a detector reads from now on."""
    seen: list[str] = []
    assess = TextDetector.assess

    def counting(self: TextDetector, texts: list[str]):  # type: ignore[no-untyped-def]
        seen.extend(texts)
        return assess(self, texts)

    monkeypatch.setattr(TextDetector, "assess", counting)
    return seen


def _reasons(db, ids):  # type: ignore[no-untyped-def]
    with db.read() as session:
        return {i: session.get(TrustScore, ("note", i)).reasons for i in ids}


def test_a_second_full_run_reads_no_unchanged_note_again(db, make_note, model, reads):
    # given three notes scored once with a configured detector
    notes = [make_note(body=text) for text in (TRUTHFUL[0], DECEPTIVE[1], "Grippy on wet rock.")]
    service.score_all(db)
    assert len(reads) == 3
    first = _reasons(db, [n.id for n in notes])
    # (the promotional one is marked down by the detector, with its probability in the reasons)
    assert any(r.startswith("deceptive detector") for r in first[notes[1].id])
    # when the store is scored again with nothing changed
    reads.clear()
    service.score_all(db)
    # then no note is read by the detector, and every score says the same as before
    assert reads == []
    assert _reasons(db, [n.id for n in notes]) == first
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(DetectorVerdict)) == 3


def test_an_edited_note_and_a_refitted_model_are_read_again(db, make_note, model, reads):
    # given two scored notes
    a, b = make_note(body=TRUTHFUL[2]), make_note(body=TRUTHFUL[3])
    service.score_all(db)
    old = textmodels.model_digest(model)
    # when one note's text changes, only that note is read again (also on a single-note rescore)
    with db.write() as session:
        session.get(Note, a.id).body = DECEPTIVE[4]
    reads.clear()
    service.score_all(db)
    assert len(reads) == 1
    assert DECEPTIVE[4] in reads[0]
    reads.clear()
    with db.write() as session:
        service.note_changed(session, b.id)
    assert reads == []
    # and when the model file is refitted, every note is read again and the old outputs are gone
    _fit(model, flip=True)
    reads.clear()
    service.score_all(db)
    assert len(reads) == 2
    with db.read() as session:
        models = set(session.scalars(select(DetectorVerdict.model)))
    assert models == {textmodels.model_digest(model)}
    assert old not in models
