"""Photos on the demo's notes: a small illustrated library per scenario, and which notes show which.

The library (`LIBRARY_SIZE` pictures per scenario, drawn by `nichely.demo.art`) is written once
under the media directory, at `demo/v<art version>-s<seed>/<scenario>-<n>.jpg`. `NotePhoto.path`
holds that relative path, so the platform serves it at `/media/<path>` like any upload. Files that
already exist are left alone, so seeding another store with the same seed costs nothing.

About 85% of notes get one to three pictures of their scenario, preferring ones that show the kind
of product the note links. Like a real person, an author who posts again in the same scenario
sometimes reuses a picture they posted before. The choice uses its own random source, so adding
photos left every other demo row as it was.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from nichely.community.models import NotePhoto
from nichely.demo import art
from nichely.demo.context import Demo
from nichely.demo.notes import NoteSpec
from nichely.storage.engine import Database

# Bump when the drawings change, so a media dir with older pictures gets new files, not stale ones.
ART_VERSION = 1
DIRECTORY = "demo"
CONTENT_TYPE = "image/jpeg"
WITH_PHOTOS = 0.85
GOLDEN = (5**0.5 - 1) / 2
REUSE_OWN = 0.35
PHOTO_COUNTS = ((1, 2, 3), (0.5, 0.3, 0.2))
_PATH = re.compile(rf"^{DIRECTORY}/v(\d+)-s(-?\d+)/([a-z_]+)-(\d+)\.jpg$")


@dataclass(frozen=True)
class LibraryPhoto:
    """One picture of the library: its scenario, number, the product kind it shows and where it lives."""

    seed: int
    scenario: str
    index: int
    kind: str

    @property
    def path(self) -> str:
        """The path relative to the media directory, as stored in `NotePhoto.path`."""
        return f"{DIRECTORY}/v{ART_VERSION}-s{self.seed}/{self.scenario}-{self.index + 1}.jpg"

    def render(self) -> bytes:
        return art.render(self.seed, self.scenario, self.index)


def library(seed: int) -> list[LibraryPhoto]:
    """Every picture of the library for `seed`, scenario by scenario."""
    return [
        LibraryPhoto(seed, scenario, index, art.subject_for(scenario, index).kind)
        for scenario in art.SUBJECTS
        for index in range(art.LIBRARY_SIZE)
    ]


def write_library(media_dir: Path, photos: Iterable[LibraryPhoto]) -> int:
    """Write the pictures that are not on disk yet; returns how many were written."""
    written = 0
    for photo in photos:
        target = media_dir / photo.path
        if not target.exists():
            _write(target, photo.render())
            written += 1
    return written


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # A temporary name and a rename: an interrupted run never leaves a half-written JPEG behind.
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(target)


def link_photos(demo: Demo, specs: Sequence[NoteSpec], note_ids: Sequence[int]) -> None:
    """Add `note_photos` rows: one to three library pictures on about 85% of notes."""
    rng = random.Random(f"nichely-demo-photos/{demo.seed}")
    by_scenario: dict[str, list[LibraryPhoto]] = {}
    for photo in library(demo.seed):
        by_scenario.setdefault(photo.scenario, []).append(photo)
    own: dict[tuple[int, str], list[LibraryPhoto]] = {}
    # Which notes go without photos follows a golden-ratio sequence over the ids, not coin flips:
    # the share is the same, but a feed of recent notes never shows a run of empty cards.
    offset = rng.random()
    # Oldest first, so what a person "already posted" is what they posted earlier.
    for spec, note_id in sorted(zip(specs, note_ids, strict=True), key=lambda pair: pair[1]):
        pool = by_scenario.get(spec.scenario)
        if not pool or (note_id * GOLDEN + offset) % 1.0 >= WITH_PHOTOS:
            continue
        count = rng.choices(*PHOTO_COUNTS)[0]
        kinds = {product.kind for product in spec.products}
        mine = own.setdefault((spec.author.id, spec.scenario), [])
        # A new note mostly gets new pictures: the cover shows the linked product's kind if it can,
        # and pictures the author already posted come last.
        fresh = [p for p in pool if p not in mine]
        rng.shuffle(fresh)
        fresh.sort(key=lambda p: p.kind not in kinds)
        candidates = fresh + rng.sample(mine, len(mine))
        chosen = candidates[:count]
        if mine and rng.random() < REUSE_OWN:
            again = rng.choice(mine)
            if again not in chosen:
                # Reused as the cover sometimes, more often further along.
                chosen[0 if count == 1 or rng.random() < 0.3 else -1] = again
        for position, photo in enumerate(chosen):
            demo.add(
                "note_photos",
                {"note_id": note_id, "path": photo.path, "content_type": CONTENT_TYPE, "position": position},
            )
            if photo not in mine:
                mine.append(photo)


def restore(db: Database, media_dir: Path) -> int:
    """Redraw demo pictures that a store refers to but `media_dir` lacks (a store moved, a new media dir).

    Returns how many files were written. Pictures from an older art version are drawn in the current style.
    """
    with db.read() as session:
        paths = set(session.scalars(select(NotePhoto.path).where(NotePhoto.path.like(f"{DIRECTORY}/%"))))
    missing: list[tuple[str, LibraryPhoto]] = []
    for path in sorted(paths):
        match = _PATH.match(path)
        if match is None or (media_dir / path).exists():
            continue
        _, seed, scenario, number = match.groups()
        index = int(number) - 1
        if scenario in art.SUBJECTS and 0 <= index < art.LIBRARY_SIZE:
            missing.append(
                (path, LibraryPhoto(int(seed), scenario, index, art.subject_for(scenario, index).kind))
            )
    for path, photo in missing:
        _write(media_dir / path, photo.render())
    return len(missing)
