"""Trust scores for ranking, read from `nichely.trust` when that part provides them.

`trust_for_notes(session, note_ids) -> dict[int, float]` comes from `nichely.trust.service`
(or the `nichely.trust` package) when that part is installed; without it every note is neutral
(1.0). Nothing is invented here: a note the trust part does not return is neutral too.
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
    """`trust_for_notes` from the trust part if it exists, else None (looked up once per process)."""
    for name in ("nichely.trust.service", "nichely.trust"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        provider = getattr(module, "trust_for_notes", None)
        if callable(provider):
            return provider  # type: ignore[no-any-return]
    return None


def trust_for(session: Session, note_ids: Iterable[int]) -> dict[int, float]:
    """A trust score per note in [0, 1]; neutral 1.0 where nothing scores it."""
    ids = list(dict.fromkeys(note_ids))
    provider = trust_provider()
    scores = provider(session, ids) if provider is not None and ids else {}
    return {note_id: float(scores.get(note_id, NEUTRAL)) for note_id in ids}
