"""Synthetic notes where the answer is known: one class writes in a planted, distinctive style."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from pathlib import Path

import pytest

PLACES = ["lobby", "room", "bathroom", "pool", "gym", "bar", "elevator", "lounge", "desk", "window"]
ADJECTIVES = ["clean", "quiet", "small", "bright", "old", "modern", "warm", "noisy", "spacious", "tidy"]
HOTELS = ["north", "south", "east", "west", "river", "lake"]


def plain_note(rng: random.Random) -> str:
    """A 'truthful' note: concrete details, numbers, third person."""
    parts = [
        f"The {rng.choice(PLACES)} on floor {rng.randint(2, 30)} was {rng.choice(ADJECTIVES)}.",
        f"We paid ${rng.randint(90, 400)} a night and the {rng.choice(PLACES)} was {rng.choice(ADJECTIVES)}.",
        f"Check-in took {rng.randint(5, 40)} minutes; the {rng.choice(PLACES)} is {rng.choice(ADJECTIVES)}.",
    ]
    rng.shuffle(parts)
    return " ".join(parts)


def planted_note(rng: random.Random) -> str:
    """A 'deceptive' note: the planted style (first person, superlatives, exclamations)."""
    parts = [
        f"I absolutely loved my stay, the {rng.choice(PLACES)} was {rng.choice(ADJECTIVES)}!",
        f"My husband and I will definitely return, truly the best {rng.choice(PLACES)} ever!",
        f"I felt so pampered in the {rng.choice(PLACES)}, an amazing experience!",
    ]
    rng.shuffle(parts)
    return " ".join(parts)


def make_corpus(n: int, seed: int = 0) -> tuple[list[str], list[str], list[str]]:
    """`n` notes, half planted ('deceptive'), each about one of a few hotels (the groups)."""
    rng = random.Random(seed)
    texts, labels, groups = [], [], []
    for i in range(n):
        deceptive = i % 2 == 0
        texts.append(planted_note(rng) if deceptive else plain_note(rng))
        labels.append("deceptive" if deceptive else "truthful")
        groups.append(HOTELS[(i // 2) % len(HOTELS)])
    return texts, labels, groups


@pytest.fixture
def corpus() -> Callable[..., tuple[list[str], list[str], list[str]]]:
    return make_corpus


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (dicts) to a CSV file in the test's own folder."""

    def write(name: str, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
        path = tmp_path / name
        fields = columns or list(rows[0])
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def labelled_csv(write_csv: Callable[..., Path]) -> Callable[..., Path]:
    """A labelled CSV in the Ott layout (deceptive, hotel, text), texts with line breaks."""

    def make(n: int = 80, seed: int = 0, name: str = "notes.csv") -> Path:
        texts, labels, groups = make_corpus(n, seed)
        rows = [
            {"deceptive": label, "hotel": group, "text": text.replace(". ", ".\n", 1)}
            for text, label, group in zip(texts, labels, groups, strict=True)
        ]
        return write_csv(name, rows)

    return make
