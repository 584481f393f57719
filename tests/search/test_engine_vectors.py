"""Dense vectors: stored per document, cached on disk, used as candidates and as a feature."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nichely.search.engine import SearchEngine
from nichely.search.features import FEATURES
from nichely.search.index import index_product
from nichely.search.vectors import CachedQueries, EmbeddingCache, embed_documents

# Words that mean the same thing share a direction: a stand-in for a sentence encoder.
CONCEPTS = {"sneakers": 0, "trainers": 0, "shoes": 0, "kettle": 1, "teapot": 1, "lamp": 2}


class ConceptEncoder:
    name = "concepts"

    def __init__(self) -> None:
        self.embedded: list[str] = []
        self.queried: list[str] = []

    def _vec(self, text: str) -> np.ndarray:
        v = np.full(4, 0.01, dtype=np.float32)
        for word in text.lower().split():
            v[CONCEPTS.get(word, 3)] += 1
        return v / np.linalg.norm(v)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queried.extend(texts)
        return np.vstack([self._vec(t) for t in texts])

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return np.vstack([self._vec(t) for t in texts])


def test_vectors_find_what_words_miss(db, make_product, tmp_path):
    # given products indexed and embedded, none of them containing the word "sneakers"
    shoes = make_product(title="Trainers", description="")
    kettle = make_product(title="Teapot", description="")
    encoder = ConceptEncoder()
    with db.write() as session:
        for p in (shoes, kettle):
            index_product(session, p.id)
        assert embed_documents(session, "product", encoder, EmbeddingCache(tmp_path, encoder.name)) == 2
    # when searching with the encoder configured
    with db.read() as session:
        engine = SearchEngine(encoder=encoder, vector_pool=1)
        cands = engine.candidates(session, "sneakers")
        hits = engine.rank(cands, 5)
    # then the nearest product is a candidate and carries its similarity
    assert [h.ref_id for h in hits] == [shoes.id]
    assert cands.features[0, FEATURES.index("vector_sim")] > 0.9


def test_cache_embeds_each_text_once(tmp_path):
    encoder = ConceptEncoder()
    first = EmbeddingCache(tmp_path, encoder.name).embed(encoder, ["lamp", "kettle", "lamp"])
    again = EmbeddingCache(tmp_path, encoder.name).embed(encoder, ["kettle", "lamp"])
    assert sorted(encoder.embedded) == ["kettle", "lamp"]
    np.testing.assert_array_equal(first[1], again[0])


def test_query_vectors_are_cached_across_runs(tmp_path):
    # given a run that embedded two queries and saved them
    encoder = ConceptEncoder()
    first = CachedQueries(encoder, tmp_path)
    vecs = first.queries(["lamp", "kettle", "lamp"])
    first.save()
    # when a later run asks for one of them again, and a new one
    again = CachedQueries(encoder, tmp_path).queries(["kettle", "sneakers"])
    # then only the new query is embedded, and the cached vector is the same
    assert encoder.queried == ["lamp", "kettle", "sneakers"]
    np.testing.assert_array_equal(again[0], vecs[1])
