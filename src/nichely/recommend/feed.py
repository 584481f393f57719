"""The discovery feed, people like you, and related notes and products: what the web layer calls.

`feed_page` gathers candidates from every source (`candidates`), reads what ranking needs about
them from the store (status, author, tags, trust), drops what the person has seen, what is not
published, what low trust or a suspended author rules out, then blends, diversifies and mixes
in exploration (`ranking`). Pages are cut from one ranking computed "as of" the first page's
moment, which the cursor carries, so scrolling never repeats or skips a note even while the
person keeps liking things; a new first page (a refresh) sees everything they did.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nichely.accounts.models import Follow, User
from nichely.community.models import Note, NoteProduct, NoteTag
from nichely.community.service import normalise_tag
from nichely.errors import InvalidInput
from nichely.recommend import candidates as sources
from nichely.recommend.explain import Reason, community_name, short
from nichely.recommend.feedstate import FeedState
from nichely.recommend.online import RankingCache, activity_marker, core_rows, read_activity, read_follows
from nichely.recommend.ranking import (
    SOURCE_WEIGHTS,
    NoteFacts,
    Ranked,
    blend,
    cap_authors,
    diversify,
    with_exploration,
)
from nichely.recommend.trusted import LOW_TRUST, trust_for
from nichely.storage.base import utcnow
from nichely.storage.ids import matches_id
from nichely.storage.pagination import check_limit

FEED_DEPTH = 300
POOL_FLOOR = 60


@dataclass(frozen=True)
class FeedPage:
    """One page of the feed: ranked items with reasons, and the cursor of the next page."""

    items: list[Ranked]
    next_cursor: str | None


@dataclass(frozen=True)
class Suggestion:
    """A person to follow and why."""

    user: User
    score: float
    reason: Reason


@dataclass(frozen=True)
class Related:
    """Related notes and products of a note or a product."""

    notes: list[Ranked]
    product_ids: list[int]


# -- cursors ---------------------------------------------------------------------------------


def encode_cursor(as_of: datetime, offset: int) -> str:
    """An opaque cursor: the ranking's moment and how far into it the next page starts."""
    payload = {"t": as_of.replace(tzinfo=UTC).timestamp(), "o": offset}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime | None, int]:
    """The moment and offset of a cursor; a cursor we did not make is refused clearly."""
    if not cursor:
        return None, 0
    try:
        data = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
        as_of = datetime.fromtimestamp(float(data["t"]), UTC).replace(tzinfo=None)
        offset = int(data["o"])
    except (ValueError, KeyError, TypeError):
        raise InvalidInput(
            "cursor is not valid; use the next_cursor of a previous page", field="cursor"
        ) from None
    if offset < 0:
        raise InvalidInput("cursor is not valid; use the next_cursor of a previous page", field="cursor")
    return as_of, offset


# -- what ranking needs from the store -------------------------------------------------------


NOTES = Note.__table__
USERS = User.__table__
NOTE_TAGS = NoteTag.__table__


def note_facts(
    session: Session, note_ids: Iterable[int], as_of: datetime, viewer_id: int | None
) -> dict[int, NoteFacts]:
    """Facts about the notes that may be shown: published, by an active author (not the viewer), trusted."""
    ids = sorted(set(note_ids))
    if not ids:
        return {}
    # One round trip, Core rows (a row per note and tag): this runs for ~400 notes per request,
    # and building ORM rows for them cost more than the query itself.
    rows = core_rows(
        session,
        select(
            NOTES.c.id,
            NOTES.c.author_id,
            NOTES.c.created_at,
            NOTES.c.like_count + NOTES.c.save_count + NOTES.c.comment_count,
            NOTE_TAGS.c.tag,
        )
        .select_from(
            NOTES.join(USERS, USERS.c.id == NOTES.c.author_id).outerjoin(
                NOTE_TAGS, NOTE_TAGS.c.note_id == NOTES.c.id
            )
        )
        .where(
            NOTES.c.id.in_(ids),
            NOTES.c.status == "published",
            USERS.c.status == "active",
            NOTES.c.created_at <= as_of,
        ),
    )
    found: dict[int, tuple[int, datetime, int]] = {}
    tags: dict[int, set[str]] = {}
    for note_id, author_id, created_at, engaged, tag in rows:
        if author_id == viewer_id:
            continue
        if note_id not in found:
            found[note_id] = (author_id, created_at, int(engaged or 0))
            tags[note_id] = set()
        if tag is not None:
            tags[note_id].add(tag)
    if not found:
        return {}
    trust = trust_for(session, found)
    return {
        note_id: NoteFacts(note_id, author_id, created_at, frozenset(tags[note_id]), engaged, trust[note_id])
        for note_id, (author_id, created_at, engaged) in found.items()
        if trust[note_id] >= LOW_TRUST
    }


def _titles(session: Session, note_ids: Iterable[int]) -> dict[int, str]:
    ids = list(set(note_ids))
    if not ids:
        return {}
    rows = core_rows(
        session, select(NOTES.c.id, NOTES.c.title).where(NOTES.c.id.in_(ids), NOTES.c.status == "published")
    )
    return {note_id: short(title) for note_id, title in rows}


def _name_seeds(session: Session, pool: sources.Pool) -> None:
    """Put the seed notes' titles into item reasons; items whose seed is no longer public go."""
    found = pool.by_source.get("item")
    if not found:
        return
    titles = _titles(session, pool.seeds)
    for note_id, (score, reason) in list(found.items()):
        title = titles.get(int(reason.params.get("seed", -1)))
        if title is None:
            del found[note_id]
        else:
            found[note_id] = (score, Reason(reason.code, {"name": title}))


# -- the feed --------------------------------------------------------------------------------


def _shortlist(pool: sources.Pool, seen: set[int], size: int) -> set[int]:
    """The `size` best unseen candidates by blended source score alone, plus the best explorers.

    Facts (status, tags, trust) are read only for these, so a request touches a few hundred
    notes however large the pool grew.
    """
    prelim: dict[int, float] = {}
    for source, found in pool.by_source.items():
        if source == "explore" or not found:
            continue
        weight = SOURCE_WEIGHTS.get(source, 0.0)
        peak = max(score for score, _ in found.values()) or 1.0
        for note_id, (score, _) in found.items():
            if note_id not in seen:
                prelim[note_id] = prelim.get(note_id, 0.0) + weight * score / peak
    best = sorted(prelim, key=lambda note_id: (-prelim[note_id], -note_id))[:size]
    explorers = pool.by_source.get("explore", {})
    fresh = sorted((n for n in explorers if n not in seen), key=lambda n: (-explorers[n][0], -n))[: size // 4]
    return set(best) | set(fresh)


def rank_feed(
    session: Session,
    state: FeedState | None,
    user: User,
    as_of: datetime,
    depth: int = FEED_DEPTH,
    follows: list[int] | None = None,
) -> list[Ranked]:
    """The person's feed as of a moment, best first; the first `depth` items are final (at most FEED_DEPTH)."""
    activity = read_activity(session, user.id, as_of, follows=follows)
    interests = [normalise_tag(t) for t in (user.interests or []) if normalise_tag(t)]
    weights = sources.user_communities(state, user.id, activity, interests)
    pool = sources.Pool()
    sources.from_follows(session, pool, activity, as_of, {})
    if state is not None:
        sources.from_people(state, pool, user.id)
        sources.from_items(state, pool, activity)
        sources.from_communities(state, pool, weights, as_of)
    sources.from_interests(session, pool, interests, as_of)
    sources.from_new_creators(session, state, pool, weights, interests, as_of)
    if len(pool.note_ids() - activity.seen) < POOL_FLOOR:
        sources.from_popular(session, pool, as_of)
    _name_seeds(session, pool)
    facts = note_facts(session, _shortlist(pool, activity.seen, FEED_DEPTH + 100), as_of, user.id)
    explore_found = pool.by_source.pop("explore", {})
    main = diversify(blend(pool.by_source, facts, as_of), facts, depth=min(depth, FEED_DEPTH) + 20)
    explore = sorted(
        (
            Ranked(note_id, score * facts[note_id].trust, "explore", reason)
            for note_id, (score, reason) in explore_found.items()
            if note_id in facts
        ),
        key=lambda item: (-item.score, -item.note_id),
    )
    return cap_authors(with_exploration(main, explore), facts, depth=min(depth, FEED_DEPTH) + 20)[:FEED_DEPTH]


def feed_page(
    session: Session,
    state: FeedState | None,
    user: User,
    *,
    cursor: str | None = None,
    limit: int = 20,
    cache: RankingCache | None = None,
) -> FeedPage:
    """One page of the person's feed; the cursor continues the same ranking.

    With a `cache` (one per web worker) the ranking is reused while the person did nothing new
    (see `online.RankingCache`), and computed one page deeper than asked so the next page is ready.
    """
    check_limit(limit)
    as_of, offset = decode_cursor(cursor)
    depth = offset + limit
    if cache is None:
        as_of = as_of or utcnow()
        ranked = rank_feed(session, state, user, as_of, depth=depth)
    else:
        follows = read_follows(session, user.id) if as_of is None else None
        marker = (tuple(sorted(follows)), activity_marker(session, user.id)) if follows is not None else ()
        hit = cache.get(
            state, user.id, min(depth, FEED_DEPTH), marker=marker if as_of is None else None, as_of=as_of
        )
        if hit is not None:
            as_of, ranked = hit.as_of, list(hit.items)
        else:
            as_of = as_of or utcnow()
            ahead = min(depth + limit, FEED_DEPTH)
            ranked = rank_feed(session, state, user, as_of, depth=ahead, follows=follows)
            cache.put(state, user.id, as_of, marker, ahead, tuple(ranked))
    items = ranked[offset : offset + limit]
    more = offset + limit < len(ranked)
    return FeedPage(items, encode_cursor(as_of, offset + limit) if more else None)


# -- people like you -------------------------------------------------------------------------


def similar_people(
    session: Session, state: FeedState | None, user: User, *, limit: int = 20, exclude_followed: bool = True
) -> list[Suggestion]:
    """People like this person: taste neighbours, members of their communities, friends of friends."""
    check_limit(limit)
    scored: dict[int, tuple[float, Reason]] = {}

    def add(user_id: int, score: float, reason: Reason) -> None:
        if user_id != user.id and (user_id not in scored or scored[user_id][0] < score):
            scored[user_id] = (score, reason)

    follows = set(session.scalars(select(Follow.followee_id).where(Follow.follower_id == user.id)))
    if state is not None:
        index = state.user_index(user.id)
        if index is not None:
            row = state.user_neighbours[index]
            peak = float(row.data.max()) if row.nnz else 1.0
            for column, value in zip(row.indices, row.data, strict=True):
                add(int(state.user_ids[column]), 1.0 + float(value) / peak, Reason("people_like_you"))
        activity = read_activity(session, user.id, utcnow(), limit=100)
        interests = [normalise_tag(t) for t in (user.interests or [])]
        weights = sources.user_communities(state, user.id, activity, interests)
        names = state.community_names
        for community in np.argsort(-weights)[:3] if len(weights) else []:
            if weights[community] <= 0:
                continue
            row = state.community_notes[int(community)]
            name = community_name(names[int(community)] if int(community) < len(names) else [])
            authors: dict[int, float] = {}
            for column, value in zip(row.indices, row.data, strict=True):
                author = int(state.note_authors[column])
                authors[author] = authors.get(author, 0.0) + float(value)
            peak = max(authors.values(), default=1.0)
            for author, value in authors.items():
                add(author, float(weights[community]) * value / peak, Reason("in_community", {"name": name}))
    if follows:
        two_hop = session.execute(
            select(Follow.followee_id, func.count())
            .where(Follow.follower_id.in_(follows))
            .group_by(Follow.followee_id)
            .order_by(func.count().desc())
            .limit(limit * 3)
        ).all()
        for user_id, count in two_hop:
            add(int(user_id), 0.5 * min(float(count) / 3.0, 1.0), Reason("followed_by_people_you_follow"))
    if exclude_followed:
        for user_id in follows:
            scored.pop(user_id, None)
    if not scored:
        return []
    people = {
        u.id: u
        for u in session.scalars(select(User).where(User.id.in_(list(scored)), User.status == "active"))
    }
    ranked = sorted(
        (Suggestion(people[uid], score, reason) for uid, (score, reason) in scored.items() if uid in people),
        key=lambda s: (-s.score, s.user.id),
    )
    return ranked[:limit]


# -- related notes and products --------------------------------------------------------------


def _neighbours(state: FeedState | None, note_ids: list[int], weights: list[float]) -> dict[int, float]:
    if state is None:
        return {}
    scores: dict[int, float] = {}
    for note_id, weight in zip(note_ids, weights, strict=True):
        index = state.note_index(note_id)
        if index is None:
            continue
        row = state.item_neighbours[index]
        for column, value in zip(row.indices, row.data, strict=True):
            other = int(state.note_ids[column])
            scores[other] = scores.get(other, 0.0) + weight * float(value)
    return scores


def _shared_tags(session: Session, note_ids: list[int], limit: int) -> dict[int, float]:
    """Notes sharing tags with these (a fallback for notes the trained state does not know)."""
    tags = list(session.scalars(select(NoteTag.tag).where(NoteTag.note_id.in_(note_ids))).unique())
    if not tags:
        return {}
    rows = session.execute(
        select(NoteTag.note_id, func.count())
        .where(NoteTag.tag.in_(tags), NoteTag.note_id.not_in(note_ids))
        .group_by(NoteTag.note_id)
        .order_by(func.count().desc(), NoteTag.note_id.desc())
        .limit(limit)
    ).all()
    return {int(note_id): 0.1 * float(count) / len(tags) for note_id, count in rows}


def _related(
    session: Session,
    state: FeedState | None,
    seeds: list[int],
    weights: list[float],
    reason: Reason,
    exclude_products: set[int],
    viewer: User | None,
    limit: int,
) -> Related:
    scores = _neighbours(state, seeds, weights)
    for note_id, value in _shared_tags(session, seeds, limit * 4).items():
        scores[note_id] = scores.get(note_id, 0.0) + value
    for seed in seeds:
        scores.pop(seed, None)
    facts = note_facts(session, scores, utcnow(), viewer.id if viewer else None)
    ranked = [Ranked(note_id, scores[note_id] * facts[note_id].trust, "item", reason) for note_id in facts]
    ranked.sort(key=lambda item: (-item.score, -item.note_id))
    notes = diversify(ranked, facts)[:limit]
    product_ids: list[int] = []
    if notes:
        order = {item.note_id: i for i, item in enumerate(notes)}
        links = session.execute(
            select(NoteProduct.note_id, NoteProduct.product_id).where(NoteProduct.note_id.in_(list(order)))
        ).all()
        for _, product_id in sorted(links, key=lambda link: (order[link[0]], link[1])):
            if product_id not in exclude_products and product_id not in product_ids:
                product_ids.append(product_id)
    return Related(notes, product_ids[:limit])


def related_to_note(
    session: Session, state: FeedState | None, note: Note, viewer: User | None, *, limit: int = 8
) -> Related:
    """Notes that go with this one (co-engagement, text, tags) and the products they link."""
    check_limit(limit)
    own = set(session.scalars(select(NoteProduct.product_id).where(NoteProduct.note_id == note.id)))
    return _related(
        session,
        state,
        [note.id],
        [1.0],
        Reason("similar_to", {"name": short(note.title)}),
        own,
        viewer,
        limit,
    )


def related_to_product(
    session: Session, state: FeedState | None, product_id: int, viewer: User | None, *, limit: int = 8
) -> Related:
    """Notes about similar things (neighbours of this product's notes) and the products they link."""
    check_limit(limit)
    rows = session.execute(
        select(Note.id, Note.like_count + Note.save_count)
        .join(NoteProduct, NoteProduct.note_id == Note.id)
        .where(matches_id(NoteProduct.product_id, product_id), Note.status == "published")
        .order_by((Note.like_count + Note.save_count).desc(), Note.id.desc())
        .limit(10)
    ).all()
    if not rows:
        return Related([], [])
    seeds = [int(row[0]) for row in rows]
    weights = [1.0 + float(np.log1p(row[1] or 0)) for row in rows]
    return _related(session, state, seeds, weights, Reason("same_product"), {product_id}, viewer, limit)


# -- onboarding ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """Something to pick at onboarding: a label and the tags it stands for."""

    label: str
    tags: list[str]


def onboarding_choices(
    session: Session, state: FeedState | None, *, limit: int = 16
) -> tuple[list[Choice], list[Choice]]:
    """Communities to join (by their top tags) and needs to declare (the most used tags)."""
    communities: list[Choice] = []
    if state is not None:
        sizes = np.asarray(state.user_communities.sum(axis=0)).ravel()
        for community in np.argsort(-sizes):
            names = (
                state.community_names[int(community)] if int(community) < len(state.community_names) else []
            )
            if names and sizes[community] > 0:
                communities.append(Choice(community_name(names), names[:3]))
    taken = {tag for choice in communities for tag in choice.tags}
    rows = session.execute(
        select(NoteTag.tag, func.count())
        .group_by(NoteTag.tag)
        .order_by(func.count().desc(), NoteTag.tag)
        .limit(limit * 3)
    ).all()
    needs = [Choice(tag, [tag]) for tag, _ in rows if tag not in taken][:limit]
    return communities[:limit], needs


def load_notes(session: Session, note_ids: list[int]) -> tuple[list[Note], dict[int, User]]:
    """The published notes with these ids in the given order, with what cards need, and their authors."""
    from nichely.community.service import authors_of, published_notes

    if not note_ids:
        return [], {}
    found = {n.id: n for n in session.scalars(published_notes().where(Note.id.in_(note_ids)))}
    notes = [found[i] for i in note_ids if i in found]
    return notes, authors_of(session, notes)
