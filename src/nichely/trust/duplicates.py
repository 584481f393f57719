"""Near-duplicate and template notes: MinHash signatures with LSH banding (Broder 1997; Leskovec,
Rajaraman and Ullman, *Mining of Massive Datasets*, ch. 3).

Text is normalised (NFKC, lower case, digits folded to 0, punctuation dropped) and cut into
shingles: character 3-grams where the text is mostly CJK (Chinese has no spaces between words),
word 3-grams otherwise. datasketch computes the MinHash signatures; the band layout (b bands of r
rows) is the one datasketch's `MinHashLSH` picks for our threshold. Candidates share a band key;
they are confirmed by the signatures' estimated Jaccard similarity.

Two entry points share these pieces:

* `find_groups` (pure, numpy): a full rebuild over any number of signatures. Band keys are sorted
  per band, so memory grows with notes x bands, never with pairs.
* `add_note` (store): the incremental path for one new note, looking its band keys up in the
  `trust_lsh_bands` table, so it works across processes on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from nichely.community.models import Note
from nichely.trust.models import LshBand, NoteSignature

NUM_PERM = 64
THRESHOLD = 0.7
SEED = 1
SHINGLE = 3
_NON_WORD = re.compile(r"[^\w\s]+")
_DIGITS = re.compile(r"\d")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Polynomial mixing of a band's r values into one 64-bit key (wrap-around arithmetic).
_MIX = np.array(
    [(0x9E3779B97F4A7C15 ^ (i * 0xBF58476D1CE4E5B9)) % 2**64 | 1 for i in range(NUM_PERM)], dtype=np.uint64
)

Progress = Callable[[int, int], None]


def normalise(text: str) -> str:
    """Text as compared: NFKC, lower case, digits as 0, punctuation removed, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DIGITS.sub("0", _NON_WORD.sub(" ", text))
    return " ".join(text.split())


def is_cjk(text: str) -> bool:
    """Whether at least a third of the non-space characters are CJK."""
    chars = text.replace(" ", "")
    return bool(chars) and len(_CJK.findall(chars)) * 3 >= len(chars)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """The k-shingles of a text: characters for CJK text, words otherwise."""
    norm = normalise(text)
    if is_cjk(norm):
        units: Sequence[str] = norm.replace(" ", "")
        join = ""
    else:
        units = norm.split()
        join = " "
    if len(units) <= k:
        return {join.join(units)} if units else set()
    return {join.join(units[i : i + k]) for i in range(len(units) - k + 1)}


@lru_cache(maxsize=1)
def band_layout(threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) as datasketch's MinHashLSH chooses them for this threshold."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def signatures(texts: Iterable[str], num_perm: int = NUM_PERM) -> np.ndarray:
    """MinHash signatures (one uint32 row per text); an empty text gets the all-max row."""
    encoded = ([s.encode() for s in sorted(shingles(t))] for t in texts)
    rows = [m.hashvalues for m in MinHash.generator(encoded, num_perm=num_perm, seed=SEED)]
    if not rows:
        return np.zeros((0, num_perm), dtype=np.uint32)
    return np.vstack(rows).astype(np.uint32, copy=False)


def band_keys(sigs: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """One signed 64-bit key per (text, band): equal keys mean an identical band."""
    b, r = band_layout(threshold, sigs.shape[1])
    wide = sigs[:, : b * r].astype(np.uint64).reshape(len(sigs), b, r)
    with np.errstate(over="ignore"):
        keys = (wide * _MIX[:r]).sum(axis=2, dtype=np.uint64)
    return keys.view(np.int64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of permutations on which two signatures agree."""
    return float(np.mean(a == b))


@dataclass(frozen=True)
class Group:
    """Notes that are copies of each other: positions into the input, the first one earliest."""

    members: list[int]
    similarity: float  # the lowest confirmed similarity to the group's first note


def _root(parent: np.ndarray, i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = int(parent[i])
    return i


def find_groups(sigs: np.ndarray, threshold: float = THRESHOLD) -> list[Group]:
    """Groups of near-duplicates among signatures ordered oldest first (a full rebuild).

    Each band's keys are sorted; every note in a bucket is compared with the bucket's first
    (oldest) note, which links a copy-paste group through its original without scoring all pairs.
    Empty texts (all-max signatures) never match.
    """
    n = len(sigs)
    if n == 0:
        return []
    keys = band_keys(sigs, threshold)
    empty = np.all(sigs == np.iinfo(np.uint32).max, axis=1)
    parent = np.arange(n)
    best: dict[tuple[int, int], float] = {}
    for band in range(keys.shape[1]):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        sorted_keys = column[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, n])
        for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
            members = order[start : start + size]
            first = int(members.min())
            if empty[first]:
                continue
            agree = np.mean(sigs[members] == sigs[first], axis=1)
            for m, s in zip(members.tolist(), agree.tolist(), strict=True):
                if m == first or s < threshold or empty[m]:
                    continue
                pair = (first, m)
                if pair not in best:
                    best[pair] = s
                    ra, rb = _root(parent, first), _root(parent, m)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    members_of: dict[int, list[int]] = {}
    for i in sorted({i for pair in best for i in pair}):
        members_of.setdefault(_root(parent, i), []).append(i)
    lowest: dict[int, float] = {}
    for (a, _b), s in best.items():
        root = _root(parent, a)
        lowest[root] = min(lowest.get(root, 1.0), s)
    return [Group(members, round(lowest[root], 3)) for root, members in sorted(members_of.items())]


# -- the store: signatures and band keys kept for the incremental path ----------------------------


def note_text(title: str, body: str) -> str:
    return f"{title}\n{body}"


def _store_rows(session: Session, note_ids: Sequence[int], sigs: np.ndarray) -> None:
    keys = band_keys(sigs)
    session.execute(
        insert(NoteSignature),
        [{"note_id": i, "signature": s.tobytes()} for i, s in zip(note_ids, sigs, strict=True)],
    )
    bands = [
        {"band": band, "key": int(key), "note_id": note_id}
        for note_id, row in zip(note_ids, keys.tolist(), strict=True)
        for band, key in enumerate(row)
    ]
    for start in range(0, len(bands), 20_000):
        session.execute(insert(LshBand), bands[start : start + 20_000])


@dataclass(frozen=True)
class Match:
    """An earlier note that a note nearly duplicates."""

    note_id: int
    similarity: float


def add_note(session: Session, note_id: int, title: str, body: str) -> list[Match]:
    """Index one note (replacing its old entry) and return the earlier notes it nearly duplicates."""
    session.execute(delete(LshBand).where(LshBand.note_id == note_id))
    session.execute(delete(NoteSignature).where(NoteSignature.note_id == note_id))
    sig = signatures([note_text(title, body)])
    keys = band_keys(sig)[0]
    candidates: set[int] = set()
    if not np.all(sig[0] == np.iinfo(np.uint32).max):
        for band, key in enumerate(keys.tolist()):
            candidates.update(
                session.scalars(select(LshBand.note_id).where(LshBand.band == band, LshBand.key == key))
            )
    matches = []
    if candidates:
        rows = session.execute(
            select(NoteSignature.note_id, NoteSignature.signature).where(
                NoteSignature.note_id.in_(sorted(candidates))
            )
        )
        for other_id, blob in rows:
            s = similarity(sig[0], np.frombuffer(blob, dtype=np.uint32))
            if s >= THRESHOLD and other_id != note_id:
                matches.append(Match(other_id, round(s, 3)))
    _store_rows(session, [note_id], sig)
    return sorted(matches, key=lambda m: (-m.similarity, m.note_id))


def remove_note(session: Session, note_id: int) -> None:
    """Forget a note's signature and band keys (it was deleted or hidden)."""
    session.execute(delete(LshBand).where(LshBand.note_id == note_id))
    session.execute(delete(NoteSignature).where(NoteSignature.note_id == note_id))


@dataclass
class Rebuilt:
    """A full rebuild's outcome: the note ids in time order, their groups, and the signatures."""

    note_ids: list[int]
    groups: list[Group]


def rebuild(session: Session, progress: Progress | None = None, batch: int = 5000) -> Rebuilt:
    """Recompute every published note's signature and band keys, and the duplicate groups."""
    session.execute(delete(LshBand))
    session.execute(delete(NoteSignature))
    total = session.query(Note.id).filter(Note.status == "published").count()
    ids: list[int] = []
    chunks: list[np.ndarray] = []
    last = 0
    while True:
        rows = session.execute(
            select(Note.id, Note.title, Note.body)
            .where(Note.status == "published", Note.id > last)
            .order_by(Note.id)
            .limit(batch)
        ).all()
        if not rows:
            break
        chunk_ids = [r.id for r in rows]
        sigs = signatures(note_text(r.title, r.body) for r in rows)
        _store_rows(session, chunk_ids, sigs)
        ids.extend(chunk_ids)
        chunks.append(sigs)
        last = chunk_ids[-1]
        if progress:
            progress(len(ids), total)
    all_sigs = np.vstack(chunks) if chunks else np.zeros((0, NUM_PERM), dtype=np.uint32)
    # Note ids grow with time, so positions are already oldest first.
    return Rebuilt(ids, find_groups(all_sigs))
