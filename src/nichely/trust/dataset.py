"""Labelled texts read from CSV files, for fitting and benchmarking detectors.

Two ways to say which rows are positive:

* one file with a label column: ``Source(path)`` and ``label_column="deceptive"``; a row is
  positive when its label equals `positive`, negative otherwise;
* one file per class: ``Source(path, label="human")`` fixes the label of every row of that file
  (for example human notes from one file, machine-written notes from another).

Each source may keep only rows that match `RowFilter`s (``deceptive=truthful``). Rows with an
empty text are left out and reported in `LabelledTexts.skipped`; a column with no text is an error.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nichely.errors import InvalidInput

__all__ = ["LabelledTexts", "RowFilter", "Source", "load_labelled", "read_texts"]

# Reviews with long quoted texts exceed the csv module's default field limit of 128 KiB.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class RowFilter:
    """Keep a row only when `column` equals `value` (written ``column=value``)."""

    column: str
    value: str

    @classmethod
    def parse(cls, spec: str) -> RowFilter:
        """Read ``column=value``."""
        column, sep, value = spec.partition("=")
        if not sep or not column.strip():
            raise InvalidInput(f"filter {spec!r} is not of the form column=value")
        return cls(column.strip(), value.strip())

    def __str__(self) -> str:
        return f"{self.column}={self.value}"


@dataclass(frozen=True)
class Source:
    """One CSV file, the filters on its rows, and (optionally) the label of all its rows."""

    path: Path
    filters: tuple[RowFilter, ...] = ()
    label: str | None = None


@dataclass
class LabelledTexts:
    """Texts with their labels (and groups, when a group column is named), in file order."""

    texts: list[str]
    labels: list[str]
    groups: list[str] | None
    positive: str
    negative: str
    sources: list[str] = field(default_factory=list)
    # What was left out and why ("skipped 7 rows of x.csv with an empty 'text' ..."), to show the user.
    skipped: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)


def _read_rows(path: Path, needed: Sequence[str]) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in needed if c not in header]
            if missing:
                raise InvalidInput(
                    f"{path.name} has no column {', '.join(map(repr, missing))}; columns: {', '.join(header) or 'none'}"
                )
            return list(reader)
    except FileNotFoundError:
        raise InvalidInput(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text") from None
    except csv.Error as exc:
        raise InvalidInput(f"{path.name} is not a readable CSV file ({exc})") from None


def _texts(path: Path, rows: list[dict[str, str]], text_column: str) -> list[str]:
    texts = [(row.get(text_column) or "").strip() for row in rows]
    if not any(texts):
        raise InvalidInput(f"column {text_column!r} of {path.name} is empty")
    return texts


def _describe_empty(path: Path, text_column: str, numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:5])) + (" ..." if len(numbers) > 5 else "")
    return f"skipped {len(numbers)} rows of {path.name} with an empty {text_column!r} (row {shown})"


def read_texts(path: Path, text_column: str) -> list[str]:
    """Every text of one column of a CSV file (stripped; empty ones stay, as ""), in row order.

    A missing column, no rows, or a column with no text at all is an error.
    """
    rows = _read_rows(path, [text_column])
    if not rows:
        raise InvalidInput(f"{path.name} has no rows")
    return _texts(path, rows, text_column)


def load_labelled(
    sources: Sequence[Source],
    *,
    text_column: str,
    positive: str,
    negative: str | None = None,
    label_column: str | None = None,
    group_column: str | None = None,
) -> LabelledTexts:
    """Read labelled texts from `sources` (see the module docstring); rows are numbered from 1."""
    if not sources:
        raise InvalidInput("no data file given")
    texts: list[str] = []
    raw_labels: list[str] = []
    groups: list[str] = []
    skipped: list[str] = []
    for source in sources:
        needed = [text_column]
        if source.label is None:
            if not label_column:
                raise InvalidInput(
                    f"{source.path.name}: name the label column (or give each class its own file)"
                )
            needed.append(label_column)
        if group_column:
            needed.append(group_column)
        needed += [f.column for f in source.filters]
        rows = _read_rows(source.path, list(dict.fromkeys(needed)))
        kept = [
            (n, row)
            for n, row in enumerate(rows, start=1)
            if all((row.get(f.column) or "").strip() == f.value for f in source.filters)
        ]
        if not kept:
            where = f" matching {', '.join(map(str, source.filters))}" if source.filters else ""
            raise InvalidInput(f"{source.path.name} has no rows{where}")
        found = _texts(source.path, [row for _, row in kept], text_column)
        empty = [n for (n, _), text in zip(kept, found, strict=True) if not text]
        if empty:
            skipped.append(_describe_empty(source.path, text_column, empty))
        for (_, row), text in zip(kept, found, strict=True):
            if not text:
                continue
            texts.append(text)
            raw_labels.append(
                source.label if source.label is not None else (row[label_column or ""] or "").strip()
            )
            if group_column:
                groups.append((row[group_column] or "").strip())

    seen = sorted(set(raw_labels))
    if positive not in seen:
        raise InvalidInput(f"no row is labelled {positive!r}; labels seen: {', '.join(seen)}")
    others = [label for label in seen if label != positive]
    if not others:
        raise InvalidInput(f"every row is labelled {positive!r}; a detector needs both classes")
    if negative is None:
        negative = others[0] if len(others) == 1 else f"not {positive}"
    labels = [positive if label == positive else negative for label in raw_labels]
    return LabelledTexts(
        texts=texts,
        labels=labels,
        groups=groups if group_column else None,
        positive=positive,
        negative=negative,
        sources=[s.path.name for s in sources],
        skipped=skipped,
    )
