"""The feed's precomputed state: what `nichely feed train` writes and the web workers read.

One NumPy `.npz` archive (no pickles) holding id maps, sparse graphs and JSON metadata, written
to a temporary name and renamed into place, so a worker never reads half a file. The default
place is `<data dir>/recommend/feed-state.npz` (`NICHELY_DATA_DIR`, default `./data`).
Everything in it can be rebuilt from the store by training again.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from nichely.errors import InvalidInput

FORMAT = "nichely-feed-state"
VERSION = 1
FILE_NAME = "feed-state.npz"
_SPARSE = (
    "engagement",
    "user_neighbours",
    "item_neighbours",
    "user_communities",
    "tag_communities",
    "note_communities",
    "community_notes",
    "user_categories",
)
_ARRAYS = ("user_ids", "note_ids", "note_authors", "tags")


@dataclass
class FeedState:
    """Trained feed state; rows and columns are dense indices named by the id arrays."""

    trained_at: float  # epoch seconds; also the version workers compare
    user_ids: np.ndarray  # user index -> user id (sorted)
    note_ids: np.ndarray  # note index -> note id (sorted)
    note_authors: np.ndarray  # note index -> author id
    tags: np.ndarray  # tag index -> tag (str)
    engagement: sp.csr_matrix  # users x notes, action-weighted
    user_neighbours: sp.csr_matrix  # users x users, people like you (cosine, top-k)
    item_neighbours: sp.csr_matrix  # notes x notes, co-engagement + text (top-k)
    user_communities: sp.csr_matrix  # users x communities, a few per person, rows sum to 1
    tag_communities: sp.csr_matrix  # tags x communities
    note_communities: sp.csr_matrix  # notes x communities (top few per note)
    community_notes: sp.csr_matrix  # communities x notes: trending (time-decayed) top notes
    user_categories: sp.csr_matrix  # users x categories bought
    meta: dict[str, Any] = field(default_factory=dict)  # community names, categories, figures
    # What the feed derives from the state and reuses on every request (not saved; a new state starts empty).
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def community_names(self) -> list[list[str]]:
        """Each community's top tags (c-TF-IDF)."""
        return [list(names) for names in self.meta.get("community_names", [])]

    @property
    def categories(self) -> list[str]:
        """Category index -> product category."""
        return list(self.meta.get("categories", []))

    @cached_property
    def tag_index(self) -> dict[str, int]:
        """Tag -> index."""
        return {str(tag): i for i, tag in enumerate(self.tags)}

    def user_index(self, user_id: int) -> int | None:
        """Dense index of a user, or None when the state does not know them."""
        return _lookup(self.user_ids, user_id)

    def note_index(self, note_id: int) -> int | None:
        """Dense index of a note, or None when the state does not know it."""
        return _lookup(self.note_ids, note_id)

    def note_indices(self, note_ids: np.ndarray) -> np.ndarray:
        """Dense indices of many notes (-1 for unknown ones)."""
        ids = np.asarray(note_ids, dtype=np.int64)
        if not len(self.note_ids):
            return np.full(len(ids), -1, dtype=np.int64)
        found = np.searchsorted(self.note_ids, ids)
        found = np.minimum(found, len(self.note_ids) - 1)
        return np.where(self.note_ids[found] == ids, found, -1)


def state_path(data_dir: Path) -> Path:
    """Where the feed state lives under a data directory."""
    return data_dir / "recommend" / FILE_NAME


def _lookup(sorted_ids: np.ndarray, value: int) -> int | None:
    position = int(np.searchsorted(sorted_ids, value))
    if position < len(sorted_ids) and int(sorted_ids[position]) == value:
        return position
    return None


def save_state(state: FeedState, path: Path) -> None:
    """Write the state atomically (temporary file, then rename)."""
    arrays: dict[str, Any] = {
        "format": np.array(FORMAT),
        "version": np.array(VERSION),
        "trained_at": np.array(state.trained_at),
        "meta": np.array(json.dumps(state.meta)),
    }
    for name in _ARRAYS:
        arrays[name] = getattr(state, name)
    for name in _SPARSE:
        matrix: sp.csr_matrix = getattr(state, name)
        arrays[f"{name}.data"] = matrix.data.astype(np.float32)
        arrays[f"{name}.indices"] = matrix.indices
        arrays[f"{name}.indptr"] = matrix.indptr
        arrays[f"{name}.shape"] = np.array(matrix.shape)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + f".{os.getpid()}.partial")
    with open(partial, "wb") as handle:
        np.savez(handle, **arrays)
    os.replace(partial, path)


def load_state(path: Path) -> FeedState:
    """Read a state written by `save_state`; refuses other files clearly."""
    if not path.exists():
        raise InvalidInput(f"feed state not found: {path}; run `nichely feed train`")
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError):
        raise InvalidInput(f"{path.name} is not a Nichely feed state file") from None
    with archive:
        if "format" not in archive.files or str(archive["format"]) != FORMAT:
            raise InvalidInput(f"{path.name} is not a Nichely feed state file")
        if int(archive["version"]) != VERSION:
            raise InvalidInput(
                f"{path.name} has feed state version {int(archive['version'])}; expected {VERSION}"
            )

        def sparse(name: str) -> sp.csr_matrix:
            shape = tuple(int(n) for n in archive[f"{name}.shape"])
            return sp.csr_matrix(
                (archive[f"{name}.data"], archive[f"{name}.indices"], archive[f"{name}.indptr"]), shape=shape
            )

        return FeedState(
            trained_at=float(archive["trained_at"]),
            **{name: archive[name] for name in _ARRAYS},
            **{name: sparse(name) for name in _SPARSE},
            meta=json.loads(str(archive["meta"])),
        )
