"""Reading outside interaction and trust files into index space, kept apart from the model.

A CSV (optionally gzip-compressed) is read by column name; ids stay strings so any id format
works, and an `IdMap` turns them into the dense indices the model uses. Interactions are
implicit: a row means "this person has this item", repeats collapse to one.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from nichely.errors import InvalidInput

TRUSTER_COLUMN = "truster_id"
TRUSTEE_COLUMN = "trustee_id"


@dataclass(frozen=True)
class IdMap:
    """A two-way map between outside ids (strings) and dense indices 0..n-1."""

    ids: np.ndarray  # index -> id (unicode array)

    @classmethod
    def from_ids(cls, ids: Iterable[str]) -> IdMap:
        """Build a map in first-seen order, dropping repeats."""
        return cls(np.asarray(list(dict.fromkeys(ids)), dtype=str))

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def index(self) -> dict[str, int]:
        """Id -> index (built once, on first use)."""
        return {str(value): position for position, value in enumerate(self.ids)}

    def get_index(self, outside_id: str) -> int | None:
        """The index of an outside id, or None when the map does not know it."""
        return self.index.get(outside_id)

    def extended(self, more: Iterable[str]) -> IdMap:
        """This map plus any new ids, appended in first-seen order; old indices stay put."""
        known = self.index
        extra = [value for value in dict.fromkeys(more) if value not in known]
        if not extra:
            return self
        return IdMap(np.concatenate([self.ids, np.asarray(extra, dtype=str)]))


@dataclass(frozen=True)
class Interactions:
    """A binary user x item matrix plus the id maps that name its rows and columns."""

    matrix: sp.csr_matrix
    users: IdMap
    items: IdMap


def _open_text(path: Path) -> io.TextIOBase:
    if not path.exists():
        raise InvalidInput(f"file not found: {path}")
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")  # noqa: SIM115 - closed by read_columns


def read_columns(path: Path | str, columns: Sequence[str]) -> dict[str, list[str]]:
    """Read the named columns of a CSV or CSV.gz file as lists of strings.

    Raises InvalidInput naming the missing columns and the ones the file has.
    """
    path = Path(path)
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise InvalidInput(f"{path.name} is empty; expected a header with {list(columns)}") from None
        missing = [name for name in columns if name not in header]
        if missing:
            raise InvalidInput(
                f"{path.name} has no column {', '.join(map(repr, missing))}; its columns are {header}"
            )
        positions = [header.index(name) for name in columns]
        values: dict[str, list[str]] = {name: [] for name in columns}
        for line_number, row in enumerate(reader, start=2):
            if not row:
                continue
            try:
                for name, position in zip(columns, positions, strict=True):
                    values[name].append(row[position].strip())
            except IndexError:
                raise InvalidInput(
                    f"{path.name} line {line_number} has {len(row)} fields, fewer than the header"
                ) from None
    return values


def build_matrix(user_index: np.ndarray, item_index: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """A binary float32 CSR matrix with a 1 wherever (user, item) occurs; repeats count once."""
    matrix = sp.csr_matrix(
        (np.ones(len(user_index), dtype=np.float32), (user_index, item_index)), shape=shape, dtype=np.float32
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def _encode(values: list[str], id_map: IdMap) -> np.ndarray:
    index = id_map.index
    return np.fromiter((index[value] for value in values), dtype=np.int64, count=len(values))


def interactions_from_pairs(users: Sequence[str], items: Sequence[str]) -> Interactions:
    """Map (user id, item id) pairs to indices and build the binary matrix."""
    user_map, item_map = IdMap.from_ids(users), IdMap.from_ids(items)
    matrix = build_matrix(
        _encode(list(users), user_map), _encode(list(items), item_map), (len(user_map), len(item_map))
    )
    return Interactions(matrix, user_map, item_map)


def read_interactions(path: Path | str, user_column: str, item_column: str) -> Interactions:
    """Read who-has-what pairs from a CSV(.gz) file by column name."""
    columns = read_columns(path, [user_column, item_column])
    users, items = columns[user_column], columns[item_column]
    if not users:
        raise InvalidInput(f"{Path(path).name} has a header but no rows")
    if any(not value for value in users) or any(not value for value in items):
        raise InvalidInput(f"{Path(path).name} has rows with an empty {user_column!r} or {item_column!r}")
    return interactions_from_pairs(users, items)


def social_from_pairs(
    trusters: Sequence[str], trustees: Sequence[str], users: IdMap
) -> tuple[sp.csr_matrix, IdMap]:
    """The trust graph as a binary user x user matrix (row follows column).

    People who appear only in the social graph are added to the user map, so someone with no
    interactions yet still gets recommendations through the people they follow. Self-loops drop.
    """
    users = users.extended([*trusters, *trustees])
    rows, cols = _encode(list(trusters), users), _encode(list(trustees), users)
    keep = rows != cols
    graph = build_matrix(rows[keep], cols[keep], (len(users), len(users)))
    return graph, users


def read_social(path: Path | str, users: IdMap) -> tuple[sp.csr_matrix, IdMap]:
    """Read a `truster_id,trustee_id` file (truster follows trustee) into a user x user matrix."""
    columns = read_columns(path, [TRUSTER_COLUMN, TRUSTEE_COLUMN])
    return social_from_pairs(columns[TRUSTER_COLUMN], columns[TRUSTEE_COLUMN], users)


def pad_rows(matrix: sp.csr_matrix, n_rows: int) -> sp.csr_matrix:
    """The same matrix with empty rows appended up to n_rows (for users known only socially)."""
    if matrix.shape[0] == n_rows:
        return matrix
    return sp.vstack(
        [matrix, sp.csr_matrix((n_rows - matrix.shape[0], matrix.shape[1]), dtype=matrix.dtype)]
    ).tocsr()


def read_id_list(path: Path | str, header: str | None = None) -> list[str]:
    """Read ids, one per line (first field of a CSV line); a first line equal to `header` is skipped."""
    path = Path(path)
    with _open_text(path) as handle:
        values = [line.split(",")[0].strip() for line in handle if line.strip()]
    if values and header is not None and values[0] == header:
        values = values[1:]
    return values


def iter_batches(n: int, size: int) -> Iterator[slice]:
    """Consecutive slices covering range(n), each at most `size` long."""
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))
