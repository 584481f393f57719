"""The text detectors a running platform uses: the model files named in NICHELY_TRUST_MODELS.

When none is configured the detectors are skipped, and every note's reasons say so; a model that
does not know a note's language scores it but says so too (see `TextDetector.language_note`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from nichely.trust.scores import DetectorOutput

if TYPE_CHECKING:
    from nichely.trust.detectors import TextDetector

ENV = "NICHELY_TRUST_MODELS"
SKIPPED = f"text detectors skipped: no model configured ({ENV})"


def configured_models() -> list[Path]:
    """Model files named in NICHELY_TRUST_MODELS (separated by the OS path separator)."""
    raw = os.environ.get(ENV, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> TextDetector:
    from nichely.trust.detectors import TextDetector

    return TextDetector.load(path)


def load_detectors(paths: Sequence[Path]) -> list[TextDetector]:
    """Load (once per file version) the detectors at `paths`."""
    return [_load(str(p), p.stat().st_mtime) for p in paths]


def model_digest(path: Path) -> str:
    """A short digest of a model file's bytes (read once per file version): what stored outputs
    of that model are keyed by, so a refitted file is never mistaken for the old one."""
    return _digest(str(path), path.stat().st_mtime)


@lru_cache(maxsize=8)
def _digest(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32]


def text_digest(text: str) -> str:
    """A short digest of the text a detector read."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def assess_with(detector: TextDetector, texts: Sequence[str]) -> list[DetectorOutput]:
    """One detector's output on every text."""
    if not texts:
        return []
    return [
        DetectorOutput(detector.detects, v.probability, v.language_supported, v.reasons)
        for v in detector.assess(list(texts))
    ]


def assess(texts: Sequence[str], detectors: Sequence[TextDetector]) -> list[list[DetectorOutput]]:
    """Every detector's output on every text, one list per text."""
    out: list[list[DetectorOutput]] = [[] for _ in texts]
    for detector in detectors:
        for row, output in zip(out, assess_with(detector, texts), strict=True):
            row.append(output)
    return out
