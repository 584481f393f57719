"""Measuring a relevance scorer against judged (query, title, label) pairs.

Reading JSON-lines pairs, the query-hash split into a training and an evaluation half (no query
in both), and the two figures `nichely bench relevance` prints: Spearman and AUC.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nichely.text.normalize import normalize_text

__all__ = ["SPLITS", "Pair", "auc", "pair_split", "read_pairs", "spearman"]


@dataclass(frozen=True)
class Pair:
    """One judged (query, title) pair read from a JSON-lines file."""

    id: str
    query: str
    title: str
    label: float


SPLITS = ("all", "train", "eval")


def pair_split(query: str) -> str:
    """ "train" or "eval" by a stable hash of the normalised query, so the two never share a query."""
    return "train" if zlib.crc32(normalize_text(query).encode("utf-8")) % 2 == 0 else "eval"


def read_pairs(path: str | Path, split: str = "all", limit: int | None = None) -> list[Pair]:
    """`{"query","title","label"}` JSON lines from `path` (an "id" is kept if present), in `split`."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose from {list(SPLITS)}")
    pairs: list[Pair] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                pair = Pair(
                    str(row.get("id", number)), str(row["query"]), str(row["title"]), float(row["label"])
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(
                    f"{path}:{number}: expected query, title and a numeric label ({exc})"
                ) from None
            if split == "all" or pair_split(pair.query) == split:
                pairs.append(pair)
            if limit is not None and len(pairs) >= limit:
                break
    return pairs


def spearman(scores: Sequence[float] | np.ndarray, labels: Sequence[float] | np.ndarray) -> float:
    """Spearman's rank correlation (Pearson correlation of average ranks, ties shared)."""
    from scipy.stats import rankdata

    a, b = rankdata(scores), rankdata(labels)
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def auc(scores: Sequence[float] | np.ndarray, positive: Sequence[bool] | np.ndarray) -> float:
    """Area under the ROC curve by the Mann-Whitney U statistic (Hanley & McNeil 1982), ties count half."""
    from scipy.stats import rankdata

    positive = np.asarray(positive, dtype=bool)
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return 0.5
    ranks = rankdata(scores)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
