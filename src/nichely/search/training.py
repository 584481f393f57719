"""Training data for the ranker: from the platform's own event log, or from judged queries.

From the log, a search's outcome grades its candidates: a product clicked from the results is
grade 2, saved 4, bought 6 (the strongest outcome per product and query wins; the same query
typed again pools its outcomes); candidates with no outcome are 0. A save or purchase counts
when its event carries the `search_id` of the search it came from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from nichely.activity.models import Event, SearchClick, SearchLog
from nichely.search.bench import build_store, featurise, training_groups, uid_map
from nichely.search.engine import SearchEngine
from nichely.search.evaluate import Judgments, split_queries
from nichely.search.vectors import EmbeddingCache, Encoder

Progress = Callable[[str, int, int], None]
OUTCOME_GRADES = {"click": 2, "save": 4, "purchase": 6}
Groups = list[tuple[np.ndarray, np.ndarray]]


def outcomes_from_log(session: Session) -> dict[str, dict[int, int]]:
    """query -> product id -> strongest outcome grade, from search_clicks and search-attributed events."""
    queries = {i: q.strip().lower() for i, q in session.execute(select(SearchLog.id, SearchLog.query))}
    out: dict[str, dict[int, int]] = defaultdict(dict)

    def note(search_id: int | None, product_id: int, grade: int) -> None:
        query = queries.get(search_id) if search_id is not None else None
        if query:
            out[query][product_id] = max(grade, out[query].get(product_id, 0))

    clicks = select(SearchClick.search_id, SearchClick.target_id).where(SearchClick.target_type == "product")
    for search_id, product_id in session.execute(clicks):
        note(search_id, product_id, OUTCOME_GRADES["click"])
    events = select(Event.kind, Event.target_id, Event.context).where(
        Event.target_type == "product", Event.kind.in_(["save", "purchase"])
    )
    for kind, product_id, context in session.execute(events):
        origin = (context or {}).get("search_id")
        if isinstance(origin, int):
            note(origin, product_id, OUTCOME_GRADES[kind])
    return dict(out)


def groups_from_events(session: Session, engine: SearchEngine | None = None) -> Groups:
    """(features, grades) per logged query that led somewhere, with today's features."""
    engine = engine or SearchEngine()
    groups: Groups = []
    for query, graded in sorted(outcomes_from_log(session).items()):
        cands = engine.candidates(session, query)
        y = np.array([graded.get(d.ref_id, 0) for d in cands.docs], dtype=np.int32)
        if y.any():
            groups.append((cands.features, y))
    return groups


def groups_from_judgments(
    catalog: Path,
    judgments: Judgments,
    workdir: Path,
    seed: int,
    train_fraction: float,
    progress: Progress | None = None,
    encoder: Encoder | None = None,
    cache: EmbeddingCache | None = None,
) -> tuple[Groups, int]:
    """(features, grades) for the training part of judged queries, over a temporary store.

    With an `encoder` the titles are embedded and the vector features filled, as in a platform
    that searches with that encoder (a ranker must be trained on the features it will be given).
    """
    train, _ = split_queries(judgments, seed, train_fraction)
    db = build_store(catalog, workdir, progress, encoder, cache)
    try:
        uid_of = uid_map(db)
        cands = featurise(db, SearchEngine(encoder=encoder), train, progress)
    finally:
        db.dispose()
    return training_groups(cands, judgments, train, uid_of), len(train)
