"""A synthetic community with a planted ring, for tests and benchmarks where the answer is known.

Honest people sign up over two years, post, and like within their interest community, early
likes crowding in just after a note is posted (popular notes get bursts of likes). Some honest
patterns look a little like a ring on purpose: friend circles who follow each other and like
each other's notes, and a sign-up wave after a campaign. The ring: `ring_size` accounts created
within an hour, all following each other, posting about one shop in three bursts and liking each
other's posts within minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nichely.trust.rings import Activity

DAY = 86_400.0
NOTE, PRODUCT = 0, 1


def target_key(kind: int, ref_id: Any) -> np.ndarray:
    """The int64 key of a note (kind 0) or product (kind 1) target."""
    return np.asarray(ref_id, dtype=np.int64) * 2 + kind


@dataclass
class Community:
    """A synthetic community: the activity arrays, the notes' authors and times, and the ring."""

    activity: Activity
    note_author: np.ndarray  # position of each note's author
    note_time: np.ndarray
    note_product: np.ndarray
    ring: list[int]  # user ids of the planted ring
    ring_notes: list[int]  # note positions written by the ring


def community(
    users: int = 5000,
    notes_per_user: float = 4.0,
    ring_size: int = 12,
    products: int = 2000,
    communities: int = 25,
    seed: int = 0,
) -> Community:
    """Generate the community; every array is bounded by users x notes_per_user x a small factor."""
    rng = np.random.default_rng(seed)
    honest = users - ring_size
    span = 730 * DAY
    created = np.sort(rng.uniform(0, span, honest))
    # A sign-up wave: 60 honest accounts within two hours of one moment.
    wave = rng.choice(honest, size=min(60, honest), replace=False)
    created[wave] = span * 0.5 + rng.uniform(0, 7200, len(wave))
    group = rng.integers(0, communities, honest)
    ring_start = span * 0.8
    ring_created = ring_start + rng.uniform(0, 3540, ring_size)
    created_all = np.concatenate([created, ring_created])
    user_ids = np.arange(1, users + 1)

    # Honest notes: heavy-tailed counts per person, posted after sign-up.
    counts = rng.poisson(notes_per_user * rng.pareto(2.5, honest) / 0.67 + 0.2)
    author = np.repeat(np.arange(honest), counts)
    n_notes = len(author)
    t_note = created[author] + rng.uniform(0, 1, n_notes) * (span - created[author])
    product_of = rng.integers(1, products + 1, n_notes)

    # Likes: heavy-tailed per note, from the author's community, crowding in early.
    actors, targets, times = [], [], []
    members = [np.flatnonzero(group == g) for g in range(communities)]
    likes = np.minimum(rng.lognormal(1.0, 1.1, n_notes).astype(int), 150)
    for i in np.flatnonzero(likes).tolist():
        pool = members[group[author[i]]]
        who = rng.choice(pool, size=min(likes[i], len(pool)), replace=False)
        age = max(3600.0, span - t_note[i])
        actors.append(who)
        targets.append(np.full(len(who), target_key(NOTE, i)))
        times.append(t_note[i] + age * rng.random(len(who)) ** 4)
    # Reviews: the note's author acts on the product when posting.
    actors.append(author)
    targets.append(target_key(PRODUCT, product_of))
    times.append(t_note)

    # Friend circles: 5 people who follow each other and like each other's notes within the hour.
    follower, followee = [], []
    for _ in range(honest // 50):
        circle = rng.choice(members[rng.integers(communities)], size=5, replace=False)
        for a in circle:
            for b in circle:
                if a != b:
                    follower.append(a)
                    followee.append(b)
        for i in np.flatnonzero(np.isin(author, circle))[:10].tolist():
            friends = circle[circle != author[i]]
            actors.append(friends)
            targets.append(np.full(len(friends), target_key(NOTE, i)))
            times.append(t_note[i] + rng.uniform(60, 3 * 3600, len(friends)))
    # Ordinary follows inside communities.
    for g in range(communities):
        pool = members[g]
        k = len(pool) * 3
        follower.extend(rng.choice(pool, k))
        followee.extend(rng.choice(pool, k))

    # The ring: three bursts of reviews of one shop's products, liking each other within minutes.
    ring_pos = np.arange(honest, users)
    shop_products = rng.choice(np.arange(1, products + 1), size=6, replace=False)
    ring_notes = []
    extra_author: list[int] = []
    extra_time: list[float] = []
    extra_product: list[int] = []
    for day in (2, 14, 33):
        start = ring_start + day * DAY
        for member in ring_pos:
            ring_notes.append(n_notes + len(extra_author))
            extra_author.append(int(member))
            extra_time.append(float(start + rng.uniform(0, 25 * 60)))
            extra_product.append(int(rng.choice(shop_products)))
    note_author = np.concatenate([author, np.array(extra_author)])
    note_time = np.concatenate([t_note, np.array(extra_time)])
    note_product = np.concatenate([product_of, np.array(extra_product)])
    for i in ring_notes:
        others = ring_pos[ring_pos != note_author[i]]
        actors.append(others)
        targets.append(np.full(len(others), target_key(NOTE, i)))
        times.append(note_time[i] + rng.uniform(30, 40 * 60, len(others)))
    actors.append(np.array(extra_author))
    targets.append(target_key(PRODUCT, np.array(extra_product)))
    times.append(np.array(extra_time))
    for a in ring_pos:
        for b in ring_pos:
            if a != b:
                follower.append(a)
                followee.append(b)

    activity = Activity(
        user_ids=user_ids,
        created=created_all,
        actor=np.concatenate(actors).astype(np.int64),
        target=np.concatenate(targets).astype(np.int64),
        at=np.concatenate(times),
        follower=np.array(follower, dtype=np.int64),
        followee=np.array(followee, dtype=np.int64),
    )
    return Community(
        activity, note_author, note_time, note_product, [int(u) for u in user_ids[ring_pos]], ring_notes
    )
