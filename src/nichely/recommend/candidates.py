"""Where feed candidates come from: one function per source, each adding scored notes with a reason.

Sources (the weight each gets when ranking is in `ranking.SOURCE_WEIGHTS`):
- follow:    recent notes by people you follow (store, at request time);
- people:    what people like you engaged with (trained neighbours x trained engagement);
- item:      notes that go with what you just liked, saved or commented on (trained item graph);
- community: what is trending in your communities (trained memberships, moved by what you did
             since training and by your declared interests);
- interest:  recent notes carrying the tags you picked at onboarding (store);
- explore:   fresh notes by creators with few followers (store), ranked by how well they fit you;
- popular:   well-liked recent notes, when the other sources run short (store).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import scipy.sparse as sp
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.community.models import Note, NoteTag
from nichely.recommend.explain import Reason, community_name
from nichely.recommend.feedstate import FeedState
from nichely.recommend.online import Activity, core_rows

NOTES = Note.__table__
USERS = User.__table__
NOTE_TAGS = NoteTag.__table__

PER_SOURCE = 150
SMALL_CREATOR_FOLLOWERS = 20
FRESH_DAYS = 14
ITEM_SEEDS = 10


@dataclass
class Pool:
    """Candidates by source: note id -> (score, reason); a note may come from several sources."""

    by_source: dict[str, dict[int, tuple[float, Reason]]] = field(default_factory=dict)
    seeds: dict[int, str] = field(default_factory=dict)  # seed note id -> kind, for item reasons

    def add(self, source: str, note_id: int, score: float, reason: Reason) -> None:
        """Keep the best score (and its reason) per source and note."""
        found = self.by_source.setdefault(source, {})
        if score > 0 and (note_id not in found or found[note_id][0] < score):
            found[note_id] = (float(score), reason)

    def note_ids(self) -> set[int]:
        """Every candidate note."""
        return {note_id for found in self.by_source.values() for note_id in found}


def _top(vector: sp.csr_matrix | np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k largest positive entries of a 1 x n vector as (column, value), best first."""
    if sp.issparse(vector):
        row = sp.csr_matrix(vector)
        columns, values = row.indices, row.data
    else:
        values = np.asarray(vector).ravel()
        columns = np.flatnonzero(values > 0)
        values = values[columns]
    if len(values) > k:
        keep = np.argpartition(-values, k - 1)[:k]
        columns, values = columns[keep], values[keep]
    order = np.lexsort((columns, -values))
    return [(int(columns[i]), float(values[i])) for i in order if values[i] > 0]


def _columns_dense(rows: sp.csr_matrix, columns: np.ndarray) -> np.ndarray:
    """`rows[:, columns].toarray()` in time of the rows' entries, not of the matrix's width.

    SciPy's column indexing allocates an array as wide as every note in the state per call.
    """
    order = np.argsort(columns)
    ordered = columns[order]
    where = np.searchsorted(ordered, rows.indices)
    hit = where < len(ordered)
    hit[hit] = ordered[where[hit]] == rows.indices[hit]
    row_of = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    dense = np.zeros((rows.shape[0], len(columns)), dtype=rows.dtype)
    np.add.at(dense, (row_of[hit], order[where[hit]]), rows.data[hit])
    return dense


def user_communities(
    state: FeedState | None, user_id: int, activity: Activity, interests: list[str]
) -> np.ndarray:
    """The person's community weights now: trained membership, moved by recent engagement and interests."""
    if state is None or state.user_communities.shape[1] == 0:
        return np.zeros(0, dtype=np.float32)
    k = state.user_communities.shape[1]
    total = np.zeros(k, dtype=np.float32)
    index = state.user_index(user_id)
    if index is not None:
        total += state.user_communities[index].toarray().ravel()
    recent = [state.note_index(note_id) for note_id, _ in activity.engaged[:50]]
    known = [i for i in recent if i is not None]
    if known:
        # What you did since training counts as much as everything before it.
        moved = np.asarray(state.note_communities[known].sum(axis=0)).ravel()
        total += moved / max(float(moved.sum()), 1e-9)
    tags = [state.tag_index[t] for t in interests if t in state.tag_index]
    if tags:
        declared = np.asarray(state.tag_communities[tags].sum(axis=0)).ravel()
        total += declared / max(float(declared.sum()), 1e-9)
    return total / max(float(total.sum()), 1e-9)


def _followed_notes(session: Session, follows: list[int], as_of: datetime) -> list[tuple[int, int, datetime]]:
    """Published notes by these authors up to `as_of`, newest first, at most PER_SOURCE.

    The newest twice PER_SOURCE come from SQL (a range per author on (author_id, created_at));
    status is filtered in Python, because with `status = 'published'` in SQL SQLite may walk the
    (status, created_at) index over every note instead. Only when hidden notes leave too few
    is everything read. Core rows: no ORM objects on the request path.
    """
    wanted = PER_SOURCE * 2
    stmt = (
        select(NOTES.c.id, NOTES.c.author_id, NOTES.c.created_at, NOTES.c.status)
        .where(NOTES.c.author_id.in_(follows), NOTES.c.created_at <= as_of)
        .order_by(NOTES.c.created_at.desc(), NOTES.c.id.desc())
    )
    found = core_rows(session, stmt.limit(wanted))
    rows = [(row[0], row[1], row[2]) for row in found if row[3] == "published"]
    if len(rows) < PER_SOURCE and len(found) == wanted:
        found = core_rows(session, stmt)
        rows = [(row[0], row[1], row[2]) for row in found if row[3] == "published"]
    return rows[:PER_SOURCE]


def from_follows(
    session: Session, pool: Pool, activity: Activity, as_of: datetime, names: dict[int, str]
) -> None:
    """Recent notes by people the person follows, newer first."""
    if not activity.follows:
        return
    rows = _followed_notes(session, activity.follows, as_of)
    authors = {row[1] for row in rows} - set(names)
    if authors:
        names.update(
            {
                row[0]: row[1]
                for row in core_rows(
                    session, select(USERS.c.id, USERS.c.display_name).where(USERS.c.id.in_(authors))
                )
            }
        )
    for note_id, author_id, created_at in rows:
        age = max((as_of - created_at).total_seconds() / 86400.0, 0.0)
        pool.add(
            "follow", note_id, 1.0 / (1.0 + age / 7.0), Reason("follow", {"name": names.get(author_id, "")})
        )


def from_people(state: FeedState, pool: Pool, user_id: int) -> None:
    """What the person's nearest neighbours engaged with most; purchases shared name the reason."""
    index = state.user_index(user_id)
    if index is None:
        return
    row = state.user_neighbours[index]
    if not row.nnz:
        return
    neighbours, weights = row.indices, row.data
    rows = state.engagement[neighbours]
    scores = sp.csr_matrix(sp.csr_matrix(weights[None, :]) @ rows)
    top = _top(scores, PER_SOURCE)
    if not top:
        return
    columns = np.asarray([c for c, _ in top])
    raw = _columns_dense(rows, columns)
    block = raw * weights[:, None]
    mine = set(state.user_categories[index].indices.tolist())
    bought = state.user_categories[neighbours]
    categories = state.categories
    reasons: dict[tuple[str, str], Reason] = {}
    # Per candidate: the neighbour who counts most, and how strongly they engaged (undo log1p:
    # summed action weights); vectorised, as this runs for PER_SOURCE candidates per request.
    bests = np.argmax(block, axis=0)
    strengths = np.expm1(raw[bests, np.arange(len(top))]).tolist()
    note_ids = state.note_ids[columns].tolist()
    for position, (_, score) in enumerate(top):
        best = int(bests[position])
        strength = strengths[position]
        verb = "saved" if strength >= 3.0 else "liked" if strength >= 2.0 else None
        shared = (
            sorted(mine & set(bought.indices[bought.indptr[best] : bought.indptr[best + 1]].tolist()))
            if mine
            else []
        )
        key = (
            (f"bought_{verb}", categories[shared[0]])
            if shared and verb
            else (f"people_{verb}" if verb else "people_like_you", "")
        )
        if key not in reasons:
            reasons[key] = Reason(key[0], {"name": key[1]} if key[1] else {})
        pool.add("people", int(note_ids[position]), score, reasons[key])


def from_items(state: FeedState, pool: Pool, activity: Activity) -> None:
    """Neighbours of the notes the person engaged with last (newest seeds weigh most)."""
    seeds: list[tuple[int, str]] = []
    for note_id, kind in activity.engaged:
        if note_id not in {s for s, _ in seeds}:
            seeds.append((note_id, kind))
        if len(seeds) >= ITEM_SEEDS:
            break
    for rank, (note_id, kind) in enumerate(seeds):
        index = state.note_index(note_id)
        if index is None:
            continue
        pool.seeds[note_id] = kind
        code = (
            "because_you_saved" if kind == "save" else "because_you_liked" if kind == "like" else "similar_to"
        )
        recency = 1.0 / (1.0 + 0.3 * rank)
        reason = Reason(code, {"seed": str(note_id)})  # the seed's title is filled in later
        for column, value in _top(state.item_neighbours[index], PER_SOURCE // 3):
            pool.add("item", int(state.note_ids[column]), value * recency, reason)


def _community_top(state: FeedState, community: int) -> list[tuple[int, float]]:
    """A community's PER_SOURCE best-trending notes as (note id, score / best), memoised per state."""
    key = ("community_top", community)
    found = state.memo.get(key)
    if found is None:
        row = state.community_notes[community]
        peak = float(row.data.max()) if row.nnz else 1.0
        found = [(int(state.note_ids[column]), value / peak) for column, value in _top(row, PER_SOURCE)]
        state.memo[key] = found
    return found  # type: ignore[no-any-return]


def from_communities(state: FeedState, pool: Pool, weights: np.ndarray, as_of: datetime) -> None:
    """Trending notes of the person's communities, weighted by how much they belong to each."""
    if not len(weights) or not weights.any():
        return
    names = state.community_names
    communities = np.flatnonzero(weights > 0)
    for community in communities[np.argsort(-weights[communities])][:3]:
        top = _community_top(state, int(community))
        if not top:
            continue
        weight = float(weights[community])
        reason = Reason(
            "community", {"name": community_name(names[community] if community < len(names) else [])}
        )
        for note_id, value in top:
            pool.add("community", note_id, weight * value, reason)


def from_interests(session: Session, pool: Pool, interests: list[str], as_of: datetime) -> None:
    """Recent notes with the tags the person declared."""
    if not interests:
        return
    rows = core_rows(
        session,
        select(NOTE_TAGS.c.note_id, NOTE_TAGS.c.tag, NOTES.c.created_at)
        .select_from(NOTE_TAGS.join(NOTES, NOTES.c.id == NOTE_TAGS.c.note_id))
        .where(NOTE_TAGS.c.tag.in_(interests), NOTES.c.status == "published", NOTES.c.created_at <= as_of)
        .order_by(NOTES.c.created_at.desc())
        .limit(PER_SOURCE),
    )
    for note_id, tag, created_at in rows:
        age = max((as_of - created_at).total_seconds() / 86400.0, 0.0)
        pool.add("interest", note_id, 1.0 / (1.0 + age / 14.0), Reason("interest", {"name": tag}))


def from_new_creators(
    session: Session,
    state: FeedState | None,
    pool: Pool,
    weights: np.ndarray,
    interests: list[str],
    as_of: datetime,
) -> None:
    """Fresh notes by creators with few followers, ranked by fit (communities, interests) then freshness."""
    rows = core_rows(
        session,
        select(
            NOTES.c.id,
            NOTES.c.created_at,
            NOTES.c.like_count + NOTES.c.save_count + NOTES.c.comment_count,
        )
        .select_from(NOTES.join(USERS, USERS.c.id == NOTES.c.author_id))
        .where(
            NOTES.c.status == "published",
            NOTES.c.created_at <= as_of,
            NOTES.c.created_at >= as_of - timedelta(days=FRESH_DAYS),
            USERS.c.follower_count < SMALL_CREATOR_FOLLOWERS,
        )
        .order_by(NOTES.c.created_at.desc())
        .limit(PER_SOURCE * 2),
    )

    if not rows:
        return
    ids = [row[0] for row in rows]
    tagged: dict[int, list[str]] = {}
    for note_id, tag in core_rows(
        session, select(NOTE_TAGS.c.note_id, NOTE_TAGS.c.tag).where(NOTE_TAGS.c.note_id.in_(ids))
    ):
        tagged.setdefault(note_id, []).append(tag)
    names = state.community_names if state is not None else []
    wanted = set(interests)
    for note_id, created_at, engaged in rows:
        age = max((as_of - created_at).total_seconds() / 86400.0, 0.0)
        fit, name = 0.0, ""
        tags = sorted(tagged.get(note_id, []))
        if state is not None and len(weights):
            # Fresh notes are mostly unknown to the trained state: their tags place them.
            index = state.note_index(note_id)
            known = [state.tag_index[t] for t in tags if t in state.tag_index]
            memberships = (
                state.note_communities[index].toarray().ravel()
                if index is not None
                else np.asarray(state.tag_communities[known].mean(axis=0)).ravel()
                if known
                else np.zeros(len(weights))
            )
            overlap = memberships * weights
            if overlap.any():
                fit = float(overlap.sum())
                best = int(np.argmax(overlap))
                name = community_name(names[best] if best < len(names) else [])
        chosen = [t for t in tags if t in wanted]
        if chosen:
            fit += 0.5
            name = name or chosen[0]
        reason = Reason("new_creator_in", {"name": name}) if name else Reason("new_creator")
        # Exploration is for notes few have seen: engagement already gathered lowers the score.
        novelty = 1.0 / (1.0 + np.log1p(float(engaged or 0)))
        pool.add("explore", note_id, (fit + 0.2 / (1.0 + age / 3.0)) * novelty, reason)


def from_popular(session: Session, pool: Pool, as_of: datetime, days: int = 60) -> None:
    """Well-liked recent notes: the fallback when the person has little else."""
    score = Note.like_count + 2 * Note.save_count + 2 * Note.comment_count
    rows = session.execute(
        select(Note.id, score.label("score"))
        .where(
            Note.status == "published",
            Note.created_at <= as_of,
            Note.created_at >= as_of - timedelta(days=days),
        )
        .order_by(score.desc(), Note.id.desc())
        .limit(PER_SOURCE)
    ).all()
    if not rows:
        rows = session.execute(
            select(Note.id, func.coalesce(score, 0).label("score"))
            .where(Note.status == "published", Note.created_at <= as_of)
            .order_by(Note.id.desc())
            .limit(PER_SOURCE)
        ).all()
    for note_id, value in rows:
        pool.add("popular", note_id, 1.0 + float(value or 0), Reason("popular"))
