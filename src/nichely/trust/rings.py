"""Coordinated rings: groups of accounts that act together, found on the interaction graph.

An account-account graph is built with scipy.sparse from three kinds of evidence:

* co-actions: two accounts acting on the same target (liking or saving the same note, reviewing
  the same product) within `window` of each other; an edge's co-action count is the number of
  distinct targets they shared that way;
* mutual follows;
* creation-time proximity (accounts signed up within `created_within` of each other).

Only co-action is required for an edge (`min_shared` targets or more); follows and sign-up times
strengthen an edge but cannot make one, so friends who follow each other and a sign-up wave after
a campaign are not rings by themselves. The k-core of the graph (Seidman 1983) keeps accounts with
at least `core` strong partners, which drops the chains that a popular note's fans form; connected components of the core are candidate groups. Each group is scored by
its density, the burstiness of its activity (the share of its members' actions that had another
member acting on the same target within the window), its follow reciprocity and how closely its
accounts were created; a group is a ring when that score reaches `flag_at`.

Everything here is numpy/scipy over integer arrays, so it runs without a store and scales with the
number of actions (each action is compared with at most `neighbours` later actions on its target).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

WINDOW = 3600.0
CREATED_WITHIN = 6 * 3600.0
MIN_SHARED = 3
MIN_GROUP = 5
CORE = 3
NEIGHBOURS = 40
FLAG_AT = 0.6


@dataclass
class Activity:
    """What the accounts did, as parallel integer arrays (times in seconds since any epoch)."""

    user_ids: np.ndarray  # account ids, one per account
    created: np.ndarray  # sign-up time of each account (same order)
    actor: np.ndarray  # per action: position of the account in user_ids
    target: np.ndarray  # per action: an int64 key of what was acted on (note, product...)
    at: np.ndarray  # per action: time
    follower: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # positions
    followee: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass(frozen=True)
class Ring:
    """A group of accounts that act together, its score and why."""

    user_ids: list[int]
    score: float
    density: float
    burstiness: float
    reciprocity: float
    created_span_hours: float
    shared_targets: int
    reasons: list[str]


def _pairs_within(keys: np.ndarray, times: np.ndarray, who: np.ndarray, window: float, neighbours: int):  # type: ignore[no-untyped-def]
    """Pairs (a, b, key) of different accounts acting on the same key within `window` seconds."""
    order = np.lexsort((times, keys))
    k, t, u = keys[order], times[order], who[order]
    found_a, found_b, found_key = [], [], []
    for offset in range(1, neighbours + 1):
        if offset >= len(k):
            break
        same = (k[offset:] == k[:-offset]) & (t[offset:] - t[:-offset] <= window)
        if not same.any():
            break
        a, b = u[:-offset][same], u[offset:][same]
        keep = a != b
        found_a.append(np.minimum(a, b)[keep])
        found_b.append(np.maximum(a, b)[keep])
        found_key.append(k[:-offset][same][keep])
    if not found_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(found_a), np.concatenate(found_b), np.concatenate(found_key)


def co_action_graph(act: Activity, window: float = WINDOW, neighbours: int = NEIGHBOURS) -> sp.csr_matrix:
    """Symmetric account x account matrix: distinct targets two accounts acted on within `window`."""
    n = len(act.user_ids)
    a, b, key = _pairs_within(
        act.target.astype(np.int64), act.at.astype(float), act.actor, window, neighbours
    )
    if len(a) == 0:
        return sp.csr_matrix((n, n), dtype=np.float32)
    # One count per (pair, target), however many times they met on it.
    triples = np.unique(np.column_stack([a, b, key]), axis=0)
    upper = sp.coo_matrix(
        (np.ones(len(triples), dtype=np.float32), (triples[:, 0], triples[:, 1])), shape=(n, n)
    ).tocsr()
    return (upper + upper.T).tocsr()


def mutual_follows(act: Activity) -> sp.csr_matrix:
    """Symmetric 0/1 matrix of pairs who follow each other."""
    n = len(act.user_ids)
    f = sp.csr_matrix(
        (np.ones(len(act.follower), dtype=np.float32), (act.follower, act.followee)), shape=(n, n)
    )
    f.data[:] = 1.0
    f.sum_duplicates()
    f.data[:] = 1.0
    return f.multiply(f.T).tocsr()


def k_core(adj: sp.csr_matrix, k: int) -> np.ndarray:
    """Boolean mask of the nodes in the k-core of an unweighted symmetric graph."""
    alive = np.ones(adj.shape[0], dtype=bool)
    binary = adj.copy()
    binary.data[:] = 1.0
    while True:
        degree = np.asarray(binary[alive][:, alive].sum(axis=1)).ravel()
        drop = degree < k
        if not drop.any():
            return alive
        idx = np.flatnonzero(alive)
        alive[idx[drop]] = False
        if not alive.any():
            return alive


def _group_stats(
    members: np.ndarray, act: Activity, shared: sp.csr_matrix, mutual: sp.csr_matrix, window: float
) -> tuple[float, float, float, float, int]:
    size = len(members)
    possible = size * (size - 1)
    sub = shared[members][:, members]
    edges = sub.nnz
    density = edges / possible if possible else 0.0
    reciprocity = mutual[members][:, members].nnz / possible if possible else 0.0
    created = act.created[members]
    span_hours = float(created.max() - created.min()) / 3600.0
    # Burstiness: the share of the members' actions with another member on the same target nearby.
    in_group = np.isin(act.actor, members)
    keys, times, who = act.target[in_group], act.at[in_group].astype(float), act.actor[in_group]
    order = np.lexsort((times, keys))
    k, t, u = keys[order], times[order], who[order]
    bursty = np.zeros(len(k), dtype=bool)
    for offset in range(1, min(len(members), NEIGHBOURS) + 1):
        if offset >= len(k):
            break
        near = (
            (k[offset:] == k[:-offset]) & (t[offset:] - t[:-offset] <= window) & (u[offset:] != u[:-offset])
        )
        bursty[offset:] |= near
        bursty[:-offset] |= near
    burstiness = float(bursty.mean()) if len(k) else 0.0
    targets = len(np.unique(k[bursty])) if len(k) else 0
    return density, burstiness, reciprocity, span_hours, targets


def ring_score(density: float, burstiness: float, reciprocity: float, span_hours: float) -> float:
    """0..1: dense, bursty, reciprocal groups of accounts created together score high.

    Burstiness carries the most weight: acting together, again and again, is the behaviour.
    Density is high in any small group, so it counts less; reciprocity and a short sign-up span
    corroborate (friends follow each other too, but rarely sign up in the same hour).
    """
    created_close = 1.0 / (1.0 + span_hours / 24.0)
    return round(0.2 * density + 0.45 * burstiness + 0.1 * reciprocity + 0.25 * created_close, 4)


def find_rings(
    act: Activity,
    *,
    window: float = WINDOW,
    created_within: float = CREATED_WITHIN,
    min_shared: int = MIN_SHARED,
    min_group: int = MIN_GROUP,
    core: int = CORE,
    flag_at: float = FLAG_AT,
) -> list[Ring]:
    """Groups of accounts that act together, best-scoring first (see the module docstring)."""
    n = len(act.user_ids)
    if n == 0:
        return []
    shared = co_action_graph(act, window)
    mutual = mutual_follows(act)
    strong = shared.copy()
    strong.data = (strong.data >= min_shared).astype(np.float32)
    strong.eliminate_zeros()
    if created_within > 0:
        close = co_created(act, created_within)
        # Sign-up proximity and mutual follows lower the bar for an existing co-action edge by one.
        boosted = shared.multiply((mutual + close) > 0)
        boosted.data = (boosted.data >= max(1, min_shared - 1)).astype(np.float32)
        strong = ((strong + boosted) > 0).astype(np.float32).tocsr()
    alive = k_core(strong, core)
    idx = np.flatnonzero(alive)
    if len(idx) == 0:
        return []
    count, labels = connected_components(strong[idx][:, idx], directed=False)
    rings = []
    for label in range(count):
        members = idx[labels == label]
        if len(members) < min_group:
            continue
        density, burst, recip, span, targets = _group_stats(members, act, strong, mutual, window)
        score = ring_score(density, burst, recip, span)
        if score < flag_at:
            continue
        size = len(members)
        reasons = [
            f"{size} accounts acted together: {density:.0%} of the possible pairs shared {min_shared}+ "
            f"targets within {window / 60:.0f} minutes",
            f"{burst:.0%} of their likes, saves and reviews came in bursts with another member "
            f"({targets} targets)",
        ]
        if recip > 0:
            reasons.append(f"{recip:.0%} of the possible follows between them are mutual")
        reasons.append(f"the accounts were created within {_span(span)} of each other")
        rings.append(
            Ring(
                sorted(int(u) for u in act.user_ids[members]),
                score,
                round(density, 3),
                round(burst, 3),
                round(recip, 3),
                round(span, 2),
                targets,
                reasons,
            )
        )
    return sorted(rings, key=lambda r: (-r.score, r.user_ids[0]))


def co_created(act: Activity, within: float) -> sp.csr_matrix:
    """Symmetric 0/1 matrix of accounts created within `within` seconds of each other (bounded)."""
    n = len(act.user_ids)
    a, b, _ = _pairs_within(
        np.zeros(n, dtype=np.int64), act.created.astype(float), np.arange(n), within, NEIGHBOURS
    )
    m = sp.coo_matrix((np.ones(len(a), dtype=np.float32), (a, b)), shape=(n, n)).tocsr()
    m.data[:] = 1.0
    return ((m + m.T) > 0).astype(np.float32).tocsr()


def _span(hours: float) -> str:
    if hours < 1:
        return f"{max(1, round(hours * 60))} minutes"
    if hours < 48:
        return f"{hours:.0f} hours"
    return f"{hours / 24:.0f} days"
