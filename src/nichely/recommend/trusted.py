"""Trust scores for ranking, read from `nichely.trust` when that part provides them.

`nichely.trust.trust_for_notes(session, note_ids) -> dict[int, float]` is being built
elsewhere; until it exists every note is neutral (1.0). Nothing is invented here: a note the
trust part does not score is neutral too.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from functools import cache

from sqlalchemy.orm import Session

NEUTRAL = 1.0
# Notes scored below this never reach a feed or a related list.
LOW_TRUST = 0.3

TrustProvider = Callable[[Session, list[int]], dict[int, float]]


@cache
def trust_provider() -> TrustProvider | None:
    """`nichely.trust.trust_for_notes` if it exists, else None (looked up once per process)."""
    try:
        module = importlib.import_module("nichely.trust")
    except ImportError:
        return None
    provider = getattr(module, "trust_for_notes", None)
    return provider if callable(provider) else None


def trust_for(session: Session, note_ids: Iterable[int]) -> dict[int, float]:
    """A trust score per note in [0, 1]; neutral 1.0 where nothing scores it."""
    ids = list(dict.fromkeys(note_ids))
    provider = trust_provider()
    scores = provider(session, ids) if provider is not None and ids else {}
    return {note_id: float(scores.get(note_id, NEUTRAL)) for note_id in ids}
