"""Communities on a graph whose answer is known (SimClusters-style memberships, c-TF-IDF names)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from nichely.recommend import communities as cm


def planted_graph(
    sizes: list[int], inside: float = 0.6, across: float = 0.02, seed: int = 0
) -> tuple[sp.csr_matrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(len(sizes)), sizes)
    same = truth[:, None] == truth[None, :]
    edges = rng.random((len(truth), len(truth))) < np.where(same, inside, across)
    return cm.symmetric(sp.csr_matrix(np.triu(edges, 1).astype(np.float32))), truth


def agreement(found: np.ndarray, truth: np.ndarray) -> bool:
    """Same partition up to renaming: each true group maps to exactly one found label and back."""
    pairs = set(zip(found.tolist(), truth.tolist(), strict=True))
    return len(pairs) == len(set(found.tolist())) == len(set(truth.tolist()))


def test_two_planted_communities_are_recovered_and_counted():
    # given two planted groups of people, dense inside, sparse across
    graph, truth = planted_graph([20, 25])
    # when clustering without being told how many
    found = cm.spectral_clusters(graph, max_k=10)
    # then the eigengap finds two and the partition is the planted one
    assert found.k == 2
    assert agreement(found.labels, truth)


def test_three_planted_communities_are_recovered():
    graph, truth = planted_graph([15, 20, 18], seed=3)
    found = cm.spectral_clusters(graph, max_k=10)
    assert found.k == 3
    assert agreement(found.labels, truth)


def test_tiny_components_are_left_out_and_memberships_are_sparse():
    # given a planted graph plus an isolated pair
    graph, truth = planted_graph([12, 12])
    extra = sp.bmat(
        [[graph, None], [None, sp.csr_matrix(np.array([[0, 1], [1, 0]], dtype=np.float32))]], format="csr"
    )
    found = cm.spectral_clusters(extra, max_k=6)
    assert (found.labels[-2:] == -1).all()
    # when memberships are computed from the hard labels
    memberships = cm.interested_in(extra, cm.one_hot(found.labels, found.k))
    # then each person belongs to at most a few communities and rows sum to 1
    assert np.diff(memberships.indptr).max() <= cm.MEMBERSHIPS
    sums = np.asarray(memberships[:24].sum(axis=1)).ravel()
    assert np.allclose(sums, 1.0, atol=1e-5)
    # and their main community is their planted one
    assert agreement(np.asarray(memberships[:24].argmax(axis=1)).ravel(), truth)


def test_communities_are_named_by_their_distinctive_tags():
    # given tag counts where "review" is everywhere and each community has its own words
    terms = ["dorm", "desk lamp", "review", "trail running"]
    counts = sp.csr_matrix(np.array([[9, 4, 10, 0], [0, 1, 10, 8]], dtype=np.float32))
    names = cm.name_communities(counts, terms, top=2)
    # then the shared word does not lead, the distinctive ones do
    assert names[0][0] == "dorm"
    assert names[1][0] == "trail running"


def test_item_scores_follow_who_engages():
    memberships = sp.csr_matrix(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], dtype=np.float32))
    engagement = sp.csr_matrix(np.array([[2.0, 0.0], [0.0, 3.0], [1.0, 1.0]], dtype=np.float32))
    scores = cm.item_community_scores(engagement, memberships).toarray()
    assert scores[0, 0] > scores[0, 1]
    assert scores[1, 1] > scores[1, 0]


def test_choose_k_takes_the_largest_gap():
    assert cm.choose_k(np.array([1.0, 0.98, 0.97, 0.4, 0.35]), 4) == 3
