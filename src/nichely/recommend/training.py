"""Training the feed: read the store, build every precomputed part of `FeedState`, save it.

`nichely feed train` runs `train_feed`; the web workers pick the new file up within a minute.
What happens per step (each is reported through `on_step`):

1. read published notes, tags, people, follows and the event log;
2. engagement: people x notes, each event weighted by its action (view < like < save <
   comment < purchase), purchases credited to the notes of that product the buyer had read;
3. communities on the person + tag graph (`nichely.recommend.communities`), named by c-TF-IDF;
4. people like you: cosine neighbours over engagement, interests, followed people and
   categories bought (the recommender core's `cosine_neighbours`);
5. item to item: co-engagement cosine plus TF-IDF over segmented title, tags and body;
6. trending per community: engagement decayed by age, times the engagers' memberships.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import select
from sqlalchemy.orm import Session

from nichely.accounts.models import Follow, User
from nichely.activity.models import Event
from nichely.catalog.models import Product
from nichely.community.models import Note, NoteProduct, NoteTag
from nichely.recommend import communities as cm
from nichely.recommend.feedstate import FeedState, save_state
from nichely.recommend.graphs import cosine_neighbours, row_normalise, top_k_per_row
from nichely.storage.engine import Database
from nichely.text.segment import tokenize

Step = Callable[[str], None]

# How much each action says about interest: view < like < save < comment < purchase.
ACTION_WEIGHTS = {
    "view": 0.5,
    "click": 0.5,
    "like": 2.0,
    "share": 2.5,
    "save": 3.0,
    "comment": 4.0,
    "purchase": 6.0,
}
FOLLOW_WEIGHT = 3.0
INTEREST_WEIGHT = 2.0


@dataclass(frozen=True)
class TrainSettings:
    """Sizes and half-lives; the defaults suit a community of hundreds to a million notes."""

    communities: int | None = None  # None: choose by eigengap
    max_communities: int = 40
    user_neighbours: int = 30
    item_neighbours: int = 20
    community_notes: int = 400
    trending_half_life_days: float = 7.0
    tag_share: float = 0.5
    text_share: float = 0.5
    text_max_df: float = 0.05
    # Words and tags on more notes than this are left out of text neighbours: each such term
    # would pair every two of its notes (quadratic work) while saying little about either.
    text_max_postings: int = 2000
    profile_max_postings: int = 2000
    text_body_chars: int = 300
    seed: int = 0


@dataclass
class StoreData:
    """What training reads from the store, as arrays."""

    now: float
    user_ids: np.ndarray
    interests: list[list[str]]
    note_ids: np.ndarray
    note_authors: np.ndarray
    note_texts: list[str]
    tag_pairs: tuple[np.ndarray, list[str]]  # (note id per pair, tag per pair)
    follows: np.ndarray  # (n, 2) follower, followee
    events: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # user, kind weight, note id, epoch
    purchases: tuple[np.ndarray, np.ndarray]  # user, product
    product_categories: dict[int, str]
    product_notes: np.ndarray  # (n, 2) product, note


def _epoch(value: datetime | None) -> float:
    if value is None:
        return 0.0
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def read_store(session: Session, now: float | None = None, batch: int = 50_000) -> StoreData:
    """Read everything training needs (published notes only) in a few streamed queries."""
    users = session.execute(
        select(User.id, User.interests).where(User.status == "active").order_by(User.id)
    ).all()
    notes = session.execute(
        select(Note.id, Note.author_id, Note.title, Note.body)
        .where(Note.status == "published")
        .order_by(Note.id)
    ).all()
    tags = session.execute(
        select(NoteTag.note_id, NoteTag.tag)
        .join(Note, Note.id == NoteTag.note_id)
        .where(Note.status == "published")
    ).all()
    follows = np.asarray(
        session.execute(select(Follow.follower_id, Follow.followee_id)).all(), dtype=np.int64
    )
    ev_user: list[int] = []
    ev_weight: list[float] = []
    ev_note: list[int] = []
    ev_time: list[float] = []
    buy_user: list[int] = []
    buy_product: list[int] = []
    latest = 0.0
    stmt = (
        select(Event.user_id, Event.kind, Event.target_type, Event.target_id, Event.created_at)
        .where(Event.user_id.is_not(None), Event.kind.in_(list(ACTION_WEIGHTS)))
        .execution_options(yield_per=batch)
    )
    for user_id, kind, target_type, target_id, created_at in session.execute(stmt):
        if user_id is None:
            continue
        stamp = _epoch(created_at)
        latest = max(latest, stamp)
        if target_type == "note":
            ev_user.append(user_id)
            ev_weight.append(ACTION_WEIGHTS[kind])
            ev_note.append(target_id)
            ev_time.append(stamp)
        elif target_type == "product" and kind == "purchase":
            buy_user.append(user_id)
            buy_product.append(target_id)
    categories = {row[0]: row[1] for row in session.execute(select(Product.id, Product.category))}
    product_notes = np.asarray(
        session.execute(select(NoteProduct.product_id, NoteProduct.note_id)).all(), dtype=np.int64
    )
    body_chars = TrainSettings().text_body_chars
    return StoreData(
        now=now if now is not None else (latest or time.time()),
        user_ids=np.asarray([u.id for u in users], dtype=np.int64),
        interests=[list(u.interests or []) for u in users],
        note_ids=np.asarray([n.id for n in notes], dtype=np.int64),
        note_authors=np.asarray([n.author_id for n in notes], dtype=np.int64),
        note_texts=[f"{n.title} {n.body[:body_chars]}" for n in notes],
        tag_pairs=(np.asarray([t.note_id for t in tags], dtype=np.int64), [t.tag for t in tags]),
        follows=follows.reshape(-1, 2),
        events=(
            np.asarray(ev_user, dtype=np.int64),
            np.asarray(ev_weight, dtype=np.float32),
            np.asarray(ev_note, dtype=np.int64),
            np.asarray(ev_time, dtype=np.float64),
        ),
        purchases=(np.asarray(buy_user, dtype=np.int64), np.asarray(buy_product, dtype=np.int64)),
        product_categories={int(k): str(v or "") for k, v in categories.items()},
        product_notes=product_notes.reshape(-1, 2),
    )


def _index(sorted_ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Dense indices of `values` in `sorted_ids`, -1 where absent."""
    if not len(sorted_ids):
        return np.full(len(values), -1, dtype=np.int64)
    found = np.minimum(np.searchsorted(sorted_ids, values), len(sorted_ids) - 1)
    return np.where(sorted_ids[found] == values, found, -1)


def _matrix(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    keep = (rows >= 0) & (cols >= 0)
    matrix = sp.csr_matrix((values[keep].astype(np.float32), (rows[keep], cols[keep])), shape=shape)
    matrix.sum_duplicates()
    return matrix


def _vocabulary(values: Iterable[str]) -> tuple[list[str], dict[str, int]]:
    terms = sorted(set(values))
    return terms, {term: i for i, term in enumerate(terms)}


def build_state(
    data: StoreData, settings: TrainSettings | None = None, on_step: Step | None = None
) -> FeedState:
    """Every precomputed part of the feed from the arrays `read_store` returns."""
    settings = settings or TrainSettings()
    step = on_step or (lambda _name: None)
    n_users, n_notes = len(data.user_ids), len(data.note_ids)

    step("engagement")
    ev_user, ev_weight, ev_note, ev_time = data.events
    rows, cols = _index(data.user_ids, ev_user), _index(data.note_ids, ev_note)
    raw = _matrix(rows, cols, ev_weight, (n_users, n_notes))
    bought_rows = _index(data.user_ids, data.purchases[0])
    if len(data.product_notes) and len(bought_rows):
        raw = raw + _purchase_credit(raw, bought_rows, data.purchases[1], data.product_notes, data.note_ids)
    engagement = sp.csr_matrix(raw)
    engagement.data = np.log1p(engagement.data).astype(np.float32)
    age_days = (data.now - ev_time) / 86400.0
    decay = np.power(0.5, np.maximum(age_days, 0.0) / settings.trending_half_life_days).astype(np.float32)
    recent = _matrix(rows, cols, ev_weight * decay, (n_users, n_notes))

    tags, tag_index = _vocabulary(data.tag_pairs[1] + [t for ts in data.interests for t in ts])
    n_tags = len(tags)
    tag_notes = _index(data.note_ids, data.tag_pairs[0])
    tag_cols = np.asarray([tag_index[t] for t in data.tag_pairs[1]], dtype=np.int64)
    note_tags = _matrix(tag_notes, tag_cols, np.ones(len(tag_cols), dtype=np.float32), (n_notes, n_tags))
    interest_rows = np.asarray([i for i, ts in enumerate(data.interests) for _ in ts], dtype=np.int64)
    interest_cols = np.asarray([tag_index[t] for ts in data.interests for t in ts], dtype=np.int64)
    interests = _matrix(
        interest_rows, interest_cols, np.ones(len(interest_cols), dtype=np.float32), (n_users, n_tags)
    )
    author_rows = _index(data.user_ids, data.note_authors)
    authored = _matrix(
        author_rows, np.arange(n_notes), np.ones(n_notes, dtype=np.float32), (n_users, n_notes)
    )
    follows = _matrix(
        _index(data.user_ids, data.follows[:, 0]),
        _index(data.user_ids, data.follows[:, 1]),
        np.ones(len(data.follows), dtype=np.float32),
        (n_users, n_users),
    )
    follows.data[:] = 1.0

    step("communities")
    to_author = _matrix(
        np.arange(n_notes), author_rows, np.ones(n_notes, dtype=np.float32), (n_notes, n_users)
    )
    people = row_normalise(sp.csr_matrix(FOLLOW_WEIGHT * follows + engagement @ to_author))
    tag_edges = row_normalise(
        sp.csr_matrix(engagement @ note_tags + authored @ note_tags + INTEREST_WEIGHT * interests)
    )
    directed = sp.bmat(
        [[people, settings.tag_share * tag_edges], [None, sp.csr_matrix((n_tags, n_tags))]], format="csr"
    )
    graph = cm.symmetric(directed)
    clustering = cm.spectral_clusters(graph, settings.communities, settings.max_communities, settings.seed)
    memberships = cm.interested_in(graph, cm.one_hot(clustering.labels, clustering.k))
    user_communities = memberships[:n_users]
    tag_communities = memberships[n_users:]
    note_scores = (
        cm.item_community_scores(engagement, user_communities)
        + note_tags @ tag_communities
        + authored.T @ user_communities
    )
    note_communities = cm.sparse_memberships(note_scores)
    names = cm.name_communities(sp.csr_matrix(note_communities.T @ note_tags), tags)
    community_notes = top_k_per_row(sp.csr_matrix((recent.T @ user_communities).T), settings.community_notes)

    step("people like you")
    categories, category_index = _vocabulary(
        data.product_categories.get(int(p), "") for p in data.purchases[1]
    )
    category_cols = np.asarray(
        [category_index[data.product_categories.get(int(p), "")] for p in data.purchases[1]], dtype=np.int64
    )
    user_categories = _matrix(
        bought_rows, category_cols, np.ones(len(category_cols), dtype=np.float32), (n_users, len(categories))
    )
    # Categories stay out of the profile (they only name reasons): a category bought by thousands
    # pairs all of them. Columns shared by very many people are capped for the same reason.
    profile = _cap_postings(
        sp.hstack(
            [_unit_rows(_idf(engagement)), 0.5 * _unit_rows(interests), 0.5 * _unit_rows(follows)],
            format="csr",
        ),
        settings.profile_max_postings,
    )
    user_neighbours = cosine_neighbours(profile, settings.user_neighbours, shrink=0.0)

    step("items that go together")
    co_engaged = cosine_neighbours(sp.csr_matrix(engagement.T), settings.item_neighbours, shrink=5.0)
    text = _text_vectors(data.note_texts, note_tags, settings)
    similar_text = (
        cosine_neighbours(text, settings.item_neighbours, shrink=0.0) if text.nnz else co_engaged * 0
    )
    item_neighbours = top_k_per_row(
        sp.csr_matrix(co_engaged + settings.text_share * similar_text), settings.item_neighbours
    )

    return FeedState(
        trained_at=data.now,
        user_ids=data.user_ids,
        note_ids=data.note_ids,
        note_authors=data.note_authors,
        tags=np.asarray(tags, dtype=str),
        engagement=engagement,
        user_neighbours=user_neighbours,
        item_neighbours=item_neighbours,
        user_communities=user_communities,
        tag_communities=tag_communities,
        note_communities=note_communities,
        community_notes=community_notes,
        user_categories=user_categories,
        meta={
            "community_names": names,
            "categories": categories,
            "communities": clustering.k,
            "users": n_users,
            "notes": n_notes,
            "events": int(len(ev_user)),
        },
    )


def _purchase_credit(
    raw: sp.csr_matrix,
    rows: np.ndarray,
    products: np.ndarray,
    product_notes: np.ndarray,
    note_ids: np.ndarray,
) -> sp.csr_matrix:
    """A purchase counts for the notes of that product the buyer had engaged with (vectorised join)."""
    order = np.argsort(product_notes[:, 0], kind="stable")
    linked_products, linked_notes = product_notes[order, 0], _index(note_ids, product_notes[order, 1])
    starts = np.searchsorted(linked_products, products, side="left")
    ends = np.searchsorted(linked_products, products, side="right")
    counts = ends - starts
    pair_rows = np.repeat(rows, counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    pair_notes = linked_notes[np.repeat(starts, counts) + offsets]
    keep = (pair_rows >= 0) & (pair_notes >= 0)
    pair_rows, pair_notes = pair_rows[keep], pair_notes[keep]
    existing = raw.tocoo()
    known = np.sort(existing.row.astype(np.int64) * raw.shape[1] + existing.col)
    keys = pair_rows * raw.shape[1] + pair_notes
    hit = np.isin(keys, known)
    return _matrix(
        pair_rows[hit],
        pair_notes[hit],
        np.full(int(hit.sum()), ACTION_WEIGHTS["purchase"], np.float32),
        raw.shape,
    )


def _idf(matrix: sp.csr_matrix) -> sp.csr_matrix:
    popularity = np.maximum(np.asarray((matrix > 0).sum(axis=0)).ravel(), 1.0)
    return sp.csr_matrix(matrix @ sp.diags(np.log1p(matrix.shape[0] / popularity).astype(np.float32)))


def _unit_rows(matrix: sp.spmatrix) -> sp.csr_matrix:
    """Scale rows to unit length so each block of a profile counts the same for everyone."""
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(sp.diags(inverse.astype(np.float32)) @ matrix)


def _text_vectors(texts: list[str], note_tags: sp.csr_matrix, settings: TrainSettings) -> sp.csr_matrix:
    """TF-IDF over segmented text plus the note's tags; very common words are dropped."""
    if len(texts) < 2:
        return sp.csr_matrix((len(texts), 1), dtype=np.float32)
    vectorizer = TfidfVectorizer(
        analyzer=tokenize,
        max_df=settings.text_max_df if len(texts) > 50 else 1.0,
        min_df=2,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        words = vectorizer.fit_transform(texts)
    except ValueError:  # nothing left after pruning
        words = sp.csr_matrix((len(texts), 1), dtype=np.float32)
    combined = sp.hstack([words, _unit_rows(note_tags)], format="csr")
    return _unit_rows(_cap_postings(combined, settings.text_max_postings))


def _cap_postings(matrix: sp.csr_matrix, limit: int) -> sp.csr_matrix:
    """Drop columns with more than `limit` nonzeros: cosine work grows with their square."""
    columns = sp.csc_matrix(matrix)
    keep = np.flatnonzero(np.diff(columns.indptr) <= limit)
    return sp.csr_matrix(columns[:, keep])


def train_feed(
    db: Database, path: Path | None, settings: TrainSettings | None = None, on_step: Step | None = None
) -> FeedState:
    """Read the store, build the state and (when `path` is given) save it there."""
    step = on_step or (lambda _name: None)
    step("reading the store")
    with db.read() as session:
        data = read_store(session)
    state = build_state(data, settings, step)
    if path is not None:
        step("saving")
        save_state(state, path)
    return state


def describe(state: FeedState) -> dict[str, Any]:
    """Figures for the CLI: sizes and the communities' names."""
    return {
        "users": len(state.user_ids),
        "notes": len(state.note_ids),
        "communities": [" · ".join(names) for names in state.community_names],
    }
