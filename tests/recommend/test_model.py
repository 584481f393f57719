"""The recommender on planted communities and a planted follow edge, where the answer is known."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from nichely.errors import InvalidInput
from nichely.recommend.model import Recommender


def test_a_person_gets_their_own_communitys_items_first(make_communities, small_settings):
    # given two communities with disjoint tastes
    data = make_communities()
    # when the recommender is fitted (blend chosen on its own validation split)
    model = Recommender(small_settings).fit(data.matrix)
    # then everyone's top picks come from their own community
    for users, items in ((data.a_users, data.a_items), (data.b_users, data.b_items)):
        top = model.recommend(users, k=3).items
        assert np.isin(top, items).all()


def test_recommendations_leave_out_what_a_person_already_has(make_communities, small_settings):
    # given
    data = make_communities()
    model = Recommender(small_settings).fit(data.matrix)
    # when
    result = model.recommend(np.arange(data.matrix.shape[0]), k=10)
    # then no recommended item is one the person has, and scores come best first
    for user, items in enumerate(result.items):
        owned = set(data.matrix[user].indices.tolist())
        assert owned.isdisjoint(items.tolist())
    assert (np.diff(result.scores, axis=1) <= 0).all()
    # and without exclusion the owned items are allowed back
    assert set(model.recommend(0, k=20, exclude_seen=False).items.tolist()) & set(
        data.matrix[0].indices.tolist()
    )


def test_a_follow_carries_an_item_to_the_follower(make_communities, small_settings):
    # given a community-A follower and a followee who owns one A item and one item nobody else has
    data = make_communities()
    follower, followee = 0, 1
    rare = data.matrix.shape[1]
    matrix = sp.lil_matrix((data.matrix.shape[0], rare + 1), dtype=np.float32)
    matrix[:, :rare] = data.matrix
    matrix[followee, :] = 0
    matrix[followee, data.matrix[follower].indices[0]] = 1
    matrix[followee, rare] = 1
    social = sp.csr_matrix(([1.0], ([follower], [followee])), shape=(matrix.shape[0],) * 2)
    settings = replace(small_settings, weights={"people": 1.0}, trust_share=0.5)
    # when
    with_trust = Recommender(settings).fit(matrix.tocsr(), social)
    without = Recommender(settings).fit(matrix.tocsr())
    # then the followee's rare item tops the follower's list only when the follow is known
    assert with_trust.recommend(follower, k=1).items[0] == rare
    assert without.recommend(follower, k=1).items[0] != rare


def test_someone_with_no_items_hears_from_the_people_they_follow(make_communities, small_settings):
    # given a newcomer (an extra row, no items) who follows a community-B person
    data = make_communities()
    newcomer = data.matrix.shape[0]
    followee = int(data.b_users[0])
    social = sp.csr_matrix(([1.0], ([newcomer], [followee])), shape=(newcomer + 1, newcomer + 1))
    # when
    model = Recommender(small_settings).fit(data.matrix, social)
    # then the newcomer gets the followee's items, and a stranger (-1) still gets a full list
    assert set(model.recommend(newcomer, k=3).items.tolist()) <= set(data.matrix[followee].indices.tolist())
    assert len(model.recommend(-1, k=5).items) == 5


def test_similar_users_and_items_stay_in_the_community(make_communities, small_settings):
    # given
    data = make_communities()
    model = Recommender(small_settings).fit(data.matrix)
    # when
    people = model.similar_users(int(data.a_users[0]), k=5)
    items = model.similar_items(int(data.b_items[0]), k=5)
    # then
    assert len(people.items) == 5
    assert np.isin(people.items, data.a_users).all()
    assert int(data.a_users[0]) not in people.items
    assert np.isin(items.items, data.b_items).all()
    assert int(data.b_items[0]) not in items.items


def test_save_then_load_gives_the_same_recommendations(make_communities, small_settings, tmp_path: Path):
    # given a fitted model
    data = make_communities()
    model = Recommender(small_settings).fit(data.matrix)
    path = tmp_path / "model.bin"
    # when
    model.save(path)
    loaded = Recommender.load(path)
    # then
    users = np.arange(data.matrix.shape[0])
    assert path.exists()
    np.testing.assert_array_equal(loaded.recommend(users, k=5).items, model.recommend(users, k=5).items)
    assert loaded.weights == model.weights
    assert loaded.trust_share == model.trust_share


def test_load_refuses_a_file_that_is_not_a_model(tmp_path: Path):
    # given a text file and a NumPy archive without the format marker
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    foreign = tmp_path / "arrays.npz"
    np.savez(foreign, x=np.arange(3))
    # then both are refused by name
    for path in (text, foreign):
        with pytest.raises(InvalidInput, match="not a Nichely recommender model"):
            Recommender.load(path)
