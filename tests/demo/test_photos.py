"""Demo photos: a drawn library, written once under the media dir, linked to most notes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from nichely.community.models import Note, NotePhoto
from nichely.community.photos import MEDIA_PREFIX, photo_url
from nichely.demo import generate, photos, seed_demo
from nichely.demo.art import HEIGHT, LIBRARY_SIZE, SUBJECTS, WIDTH, render
from nichely.demo.scenarios import SCENARIOS
from nichely.storage.engine import Database

SCALE = 0.02


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One media dir for the module: the library for seed 11 is drawn once and reused, as in real use."""
    return tmp_path_factory.mktemp("media")


def test_same_seed_draws_the_same_bytes():
    # given the same picture drawn twice, and the same picture for another seed
    first, second = render(5, "running", 2), render(5, "running", 2)
    other_seed, other_index = render(6, "running", 2), render(5, "running", 3)
    # then the bytes are identical, and another seed or picture differs
    assert first == second
    assert other_seed != first
    assert other_index != first
    with Image.open(io.BytesIO(first)) as image:
        assert (image.format, image.size, image.mode) == ("JPEG", (WIDTH, HEIGHT), "RGB")


def test_every_scenario_has_a_library_with_its_kinds():
    # then each scenario has LIBRARY_SIZE pictures, which show the scenario's product kinds
    assert set(SUBJECTS) == {scenario.key for scenario in SCENARIOS}
    library = photos.library(7)
    assert len(library) == LIBRARY_SIZE * len(SCENARIOS)
    assert len({p.path for p in library}) == len(library)
    for scenario in SCENARIOS:
        kinds = {k.key for k in scenario.kinds}
        assert {p.kind for p in library if p.scenario == scenario.key} <= kinds, scenario.key


def test_photo_rows_are_deterministic_and_cover_most_notes():
    # given two generations with the same seed
    first, _ = generate(seed=3, scale=SCALE)
    second, _ = generate(seed=3, scale=SCALE)
    rows = first.rows["note_photos"]
    # then the photo rows are identical
    assert rows == second.rows["note_photos"]
    # and most notes have one to three photos, numbered from 0
    per_note: dict[int, list[int]] = {}
    for row in rows:
        per_note.setdefault(row["note_id"], []).append(row["position"])
    share = len(per_note) / len(first.rows["notes"])
    assert 0.75 <= share <= 0.95
    assert all(sorted(pos) == list(range(len(pos))) and 1 <= len(pos) <= 3 for pos in per_note.values())
    # and some authors reuse a picture they posted before
    author = {n["id"]: n["author_id"] for n in first.rows["notes"]}
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        key = (author[row["note_id"]], row["path"])
        seen[key] = seen.get(key, 0) + 1
    assert any(count > 1 for count in seen.values())


def test_seeded_photos_exist_and_decode(db: Database, media: Path):
    # given a small demo seeded with a media dir
    manifest = seed_demo(db, seed=11, scale=SCALE, media_dir=media)
    with db.read() as session:
        stored = list(session.scalars(select(NotePhoto)))
        notes = session.scalar(select(func.count()).select_from(Note))
    # then every photo row points at a JPEG under the media dir, served under /media/
    assert len(stored) == manifest.counts["note_photos"] > 0
    assert len({p.note_id for p in stored}) >= 0.75 * (notes or 0)
    for path in sorted({p.path for p in stored}):
        assert not Path(path).is_absolute()
        assert ".." not in path
        with Image.open(media / path) as image:
            image.verify()
            assert image.format == "JPEG"
    assert all(photo_url(p) == MEDIA_PREFIX + p.path for p in stored)
    assert all(p.content_type == "image/jpeg" for p in stored)


def test_library_is_written_once_and_restored(sqlite_db: Database, tmp_path: Path):
    media = tmp_path / "media"
    library = photos.library(11)
    # given the library written once
    assert photos.write_library(media, library[:3]) == 3
    stamp = (media / library[0].path).stat().st_mtime_ns
    # when it is written again, nothing is redrawn
    assert photos.write_library(media, library[:3]) == 0
    assert (media / library[0].path).stat().st_mtime_ns == stamp
    # and a store seeded without a media dir has no photos, so there is nothing to restore
    manifest = seed_demo(sqlite_db, seed=11, scale=SCALE)
    assert manifest.counts["note_photos"] == 0
    assert photos.restore(sqlite_db, tmp_path / "elsewhere") == 0


def test_pictures_missing_from_the_media_dir_are_drawn_again(sqlite_db: Database, media: Path):
    # given a seeded demo whose media dir lost two pictures (a store moved, a new media dir)
    seed_demo(sqlite_db, seed=11, scale=SCALE, media_dir=media)
    with sqlite_db.read() as session:
        lost = sorted(set(session.scalars(select(NotePhoto.path))))[:2]
    before = {path: (media / path).read_bytes() for path in lost}
    for path in lost:
        (media / path).unlink()
    # when the store is served again, exactly those are drawn again, byte for byte
    assert photos.restore(sqlite_db, media) == 2
    assert {path: (media / path).read_bytes() for path in lost} == before
    assert photos.restore(sqlite_db, media) == 0


@pytest.mark.parametrize("scenario", sorted(SUBJECTS))
def test_pictures_are_drawings_not_blank(scenario: str):
    # then a picture has many colours (an object drawn over the background), not one flat fill
    with Image.open(io.BytesIO(render(7, scenario, 0))) as image:
        colours = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).getcolors()
    assert colours is not None
    assert len(colours) >= 16
