"""Ranking the candidate pool: blend the sources, weigh trust and freshness, spread authors and topics.

Pure functions over plain data, tested without a store.

- blend: Σ_source weight · (score / the source's best score), times trust and a freshness
  decay 0.35 + 0.65 · 2^(-age / half-life), plus a small engagement-quality prior;
- diversify: greedy re-rank in the spirit of maximal marginal relevance (Carbonell & Goldstein,
  SIGIR 1998) with a tag-overlap penalty against the last screen, and a hard cap of
  `per_author` notes by one author in any `window` consecutive items;
- explore: every `every`-th slot goes to the exploration list (fresh, small creators).
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from nichely.recommend.explain import Reason

SOURCE_WEIGHTS = {
    "follow": 1.0,
    "item": 0.9,
    "people": 0.8,
    "community": 0.7,
    "interest": 0.7,
    "popular": 0.15,
}
HALF_LIFE_DAYS = 14.0
EXPLORE_EVERY = 8  # one slot in eight (12.5 %) goes to a fresh, small creator


@dataclass(slots=True)
class NoteFacts:
    """What ranking needs to know about a candidate note, read from the store at request time."""

    note_id: int
    author_id: int
    created_at: datetime
    tags: frozenset[str]
    engagement: int  # likes + saves + comments
    trust: float = 1.0


@dataclass(frozen=True)
class Ranked:
    """A ranked feed item: its note, score, the source that put it there and why."""

    note_id: int
    score: float
    source: str
    reason: Reason


def freshness(created_at: datetime, as_of: datetime, half_life_days: float = HALF_LIFE_DAYS) -> float:
    """0.35 + 0.65 · 2^(-age / half-life): new notes first, old good ones not buried."""
    age = max((as_of - created_at).total_seconds() / 86400.0, 0.0)
    return 0.35 + 0.65 * math.pow(0.5, age / half_life_days)


def blend(
    by_source: Mapping[str, Mapping[int, tuple[float, Reason]]],
    facts: Mapping[int, NoteFacts],
    as_of: datetime,
    weights: Mapping[str, float] = SOURCE_WEIGHTS,
) -> list[Ranked]:
    """Score every candidate that has facts (unknown notes are dropped), best first."""
    totals: dict[int, float] = {}
    best: dict[int, tuple[float, str, Reason]] = {}
    for source, found in by_source.items():
        weight = weights.get(source, 0.0)
        if not weight or not found:
            continue
        peak = max(score for score, _ in found.values()) or 1.0
        for note_id, (score, reason) in found.items():
            if note_id not in facts:
                continue
            part = weight * score / peak
            totals[note_id] = totals.get(note_id, 0.0) + part
            if note_id not in best or best[note_id][0] < part:
                best[note_id] = (part, source, reason)
    ranked = []
    for note_id, total in totals.items():
        note = facts[note_id]
        quality = 0.05 * math.log1p(note.engagement)
        score = (total + quality) * note.trust * freshness(note.created_at, as_of)
        _, source, reason = best[note_id]
        ranked.append(Ranked(note_id, score, source, reason))
    ranked.sort(key=lambda item: (-item.score, -item.note_id))
    return ranked


def diversify(
    ranked: Sequence[Ranked],
    facts: Mapping[int, NoteFacts],
    per_author: int = 2,
    window: int = 10,
    lookahead: int = 30,
    tag_penalty: float = 0.25,
    depth: int | None = None,
) -> list[Ranked]:
    """Re-rank so no author has more than `per_author` in any `window` and topics alternate.

    Each step takes, among the next `lookahead` candidates, the one with the best
    score · (1 - tag_penalty · overlap), overlap being the share of its tags already shown in
    the last `window` items. Candidates that would break the author cap wait; when only such
    candidates are left, they follow in score order (a short feed is better than a gap).
    """
    remaining = list(ranked)
    result: list[Ranked] = []
    recent_authors: deque[int] = deque(maxlen=window - 1)
    recent_tags: deque[frozenset[str]] = deque(maxlen=window)
    tag_counts: Counter[str] = Counter()
    while remaining:
        if depth is not None and len(result) >= depth:
            result.extend(remaining)
            break
        choice = None
        best_value = -math.inf
        authors = Counter(recent_authors)
        for position, item in enumerate(remaining[:lookahead]):
            note = facts[item.note_id]
            if authors[note.author_id] >= per_author:
                continue
            overlap = sum(1 for tag in note.tags if tag_counts[tag]) / len(note.tags) if note.tags else 0.0
            value = item.score * (1.0 - tag_penalty * overlap)
            if value > best_value:
                choice, best_value = position, value
        if choice is None:
            result.extend(remaining)
            break
        item = remaining.pop(choice)
        note = facts[item.note_id]
        result.append(item)
        recent_authors.append(note.author_id)
        if len(recent_tags) == recent_tags.maxlen:
            tag_counts.subtract(recent_tags[0])
        recent_tags.append(note.tags)
        tag_counts.update(note.tags)
    return result


def with_exploration(
    main: Sequence[Ranked], explore: Iterable[Ranked], every: int = EXPLORE_EVERY
) -> list[Ranked]:
    """Put one exploration item in every `every`-th slot (1-based: slots every, 2·every, ...)."""
    pending = deque(explore)
    placed: set[int] = set()
    result: list[Ranked] = []

    def place_explore() -> None:
        while pending:
            candidate = pending.popleft()
            if candidate.note_id not in placed:
                result.append(candidate)
                placed.add(candidate.note_id)
                return

    for item in main:
        if len(result) % every == every - 1:
            place_explore()
        if item.note_id not in placed:
            result.append(item)
            placed.add(item.note_id)
    while pending:  # a short feed shows every fresh note it found
        place_explore()
    return result


def cap_authors(
    items: Sequence[Ranked],
    facts: Mapping[int, NoteFacts],
    per_author: int = 2,
    window: int = 10,
    depth: int | None = None,
) -> list[Ranked]:
    """Keep the order but postpone any item that would give one author more than `per_author` in `window`.

    With `depth`, only the first `depth` places are checked; the rest follow unchanged.
    """
    if depth is not None and len(items) > depth + window:
        head = cap_authors(items[: depth + window], facts, per_author, window)
        return head + list(items[depth + window :])
    result: list[Ranked] = []
    waiting: list[Ranked] = []

    def fits(item: Ranked) -> bool:
        author = facts[item.note_id].author_id if item.note_id in facts else None
        recent = result[-(window - 1) :] if window > 1 else []
        return author is None or sum(1 for r in recent if facts[r.note_id].author_id == author) < per_author

    for item in items:
        for position, held in enumerate(waiting):
            if fits(held):
                result.append(waiting.pop(position))
                break
        if fits(item):
            result.append(item)
        else:
            waiting.append(item)
    while waiting:
        position = next((i for i, held in enumerate(waiting) if fits(held)), 0)
        result.append(waiting.pop(position))
    return result
