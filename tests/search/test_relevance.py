import json

import numpy as np
import pytest
from typer.testing import CliRunner

from nichely.cli import app
from nichely.search.relevance import (
    FEATURES,
    RelevanceModel,
    TitleStats,
    auc,
    baseline_scores,
    default_model,
    encoder_similarity,
    pair_split,
    read_pairs,
    score_pairs,
    spearman,
    train_relevance_model,
)


def test_complete_title_scores_above_partial_and_unrelated():
    # given one query and three titles of decreasing overlap
    queries = ["宽脚跑鞋"] * 3
    titles = ["宽脚跑鞋推荐 男女款", "跑鞋推荐", "小米手机官网"]
    scores = score_pairs(queries, titles)
    # then the order follows how much of the query each title holds
    assert scores[0] > scores[1] > scores[2]
    assert scores.shape == (3,)
    assert scores.max() <= 1.0
    assert scores.min() > 0.0


def test_synonyms_count_as_matches_across_languages():
    queries = ["running shoes for wide feet", "running shoes for wide feet"]
    titles = ["宽脚 跑鞋 缓震", "无线 鼠标 静音"]
    scores = score_pairs(queries, titles)
    assert scores[0] > scores[1]


def test_traditional_and_full_width_text_matches_its_normal_form():
    a, b = score_pairs(["適合宿舍的小書桌", "适合宿舍的小书桌"], ["适合宿舍的小书桌 学生", "ＡＢＣ 键盘"])
    assert a > b


def test_rare_missing_words_cost_more_than_common_ones():
    # the title lacks "的" in one case and "宿舍" in the other; "的" is in every title
    queries = ["宿舍的书桌", "宿舍的书桌"]
    titles = ["宿舍书桌 的", "的 书桌 的"]
    background = ["的 书桌", "的 椅子", "的 灯"]
    scores = score_pairs(queries + ["x"] * 3, titles + background)
    assert scores[0] > scores[1]


def test_empty_and_hostile_pairs_score_without_error():
    queries = ["", "!!!", '" OR 1=1 --', "NEAR(a b)", "🙂", "跑" * 10_000]
    titles = ["跑鞋", "", "OR", "near a b", "🙂", "跑鞋"]
    scores = score_pairs(queries, titles)
    assert scores.shape == (6,)
    assert np.isfinite(scores).all()
    assert score_pairs([], []).shape == (0,)


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="one title per query"):
        score_pairs(["a", "b"], ["a"])


def fake_encoder(texts, is_query):
    # a bag-of-characters embedding: enough to test the plumbing without the real model
    vectors = np.zeros((len(texts), 64), dtype=np.float32)
    for row, text in enumerate(texts):
        for ch in text:
            vectors[row, ord(ch) % 64] += 1
    return vectors


def test_encoder_similarity_is_a_cosine_and_is_used_in_the_score():
    cos = encoder_similarity(["abc", "abc"], ["abc", "xyz"], fake_encoder)
    assert cos[0] == pytest.approx(1.0)
    assert cos[1] < cos[0]
    plain = score_pairs(["abc", "abc"], ["abc d", "xyz d"])
    with_encoder = score_pairs(["abc", "abc"], ["abc d", "xyz d"], encoder=fake_encoder)
    assert not np.allclose(plain, with_encoder)
    assert with_encoder[0] > with_encoder[1]


@pytest.mark.parametrize("kind", ["ridge", "lightgbm"])
def test_learned_model_is_trained_saved_and_loaded(tmp_path, kind):
    # given synthetic pairs whose label is how much of the query the title holds
    rng = np.random.default_rng(0)
    words = ["跑鞋", "宽脚", "书桌", "宿舍", "静音", "宠物", "烤箱", "大码", "防水", "儿童"]
    queries, titles, labels = [], [], []
    for _ in range(300):
        query = list(rng.choice(words, size=3, replace=False))
        kept = int(rng.integers(0, 4))
        noise = list(rng.choice(words, size=2))
        queries.append("".join(query))
        titles.append(" ".join(query[:kept] + noise))
        labels.append(kept)
    model = train_relevance_model(queries, titles, labels, kind=kind)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = RelevanceModel.load(path)
    # then the reloaded model ranks the pairs by the planted label
    scores = score_pairs(queries, titles, model=loaded)
    assert spearman(scores, labels) > 0.6
    assert loaded.trained_on == 300
    assert not loaded.uses_encoder
    assert np.allclose(scores, score_pairs(queries, titles, model=model))


def test_model_trained_with_encoder_needs_one(tmp_path):
    model = train_relevance_model(
        ["ab", "cd"] * 5, ["ab", "xy"] * 5, [1, 0] * 5, kind="ridge", encoder=fake_encoder
    )
    assert "encoder_cosine" in model.inputs
    with pytest.raises(ValueError, match="encoder"):
        score_pairs(["ab"], ["ab"], model=model)


def test_unknown_kind_and_bad_model_file_are_refused(tmp_path):
    with pytest.raises(ValueError, match="choose from"):
        train_relevance_model(["a"], ["a"], [1], kind="magic")
    path = tmp_path / "bad.json"
    path.write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a nichely relevance model"):
        RelevanceModel.load(path)


def test_metrics_on_known_cases():
    assert spearman([1, 2, 3], [10, 20, 30]) == pytest.approx(1.0)
    assert spearman([3, 2, 1], [10, 20, 30]) == pytest.approx(-1.0)
    assert auc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert auc([0.5, 0.5], [True, False]) == 0.5
    assert auc([1, 2], [True, True]) == 0.5


def test_baseline_is_the_share_of_jieba_tokens_in_the_title():
    scores = baseline_scores(["国产手机", "国产手机"], ["国产手机排行榜", "进口汽车"])
    assert list(scores) == [1.0, 0.0]


def test_feature_names_are_unique():
    assert len(set(FEATURES)) == len(FEATURES)


def write_pairs(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")


def test_splits_are_disjoint_by_query(tmp_path):
    rows = [{"query": f"查询{i % 40}", "title": f"标题{i}", "label": i % 3} for i in range(200)]
    path = tmp_path / "pairs.jsonl"
    write_pairs(path, rows)
    train = read_pairs(path, split="train")
    evaluation = read_pairs(path, split="eval")
    assert len(train) + len(evaluation) == 200
    assert not {p.query for p in train} & {p.query for p in evaluation}
    assert all(pair_split(p.query) == "train" for p in train)


def test_bench_relevance_command_prints_figures_and_writes_scores(tmp_path):
    # given a small judged file
    rows = [
        {"id": 1, "query": "宽脚跑鞋", "title": "宽脚跑鞋推荐", "label": "2"},
        {"id": 2, "query": "宽脚跑鞋", "title": "跑鞋", "label": "1"},
        {"id": 3, "query": "宽脚跑鞋", "title": "手机壳", "label": "0"},
        {"id": 4, "query": "小书桌", "title": "宿舍小书桌", "label": "2"},
        {"id": 5, "query": "小书桌", "title": "烤箱", "label": "0"},
    ]
    pairs = tmp_path / "pairs.jsonl"
    write_pairs(pairs, rows)
    out = tmp_path / "scores.tsv"
    # when the bench runs
    result = CliRunner().invoke(
        app, ["bench", "relevance", "--pairs", str(pairs), "--out", str(out), "--model", "none"]
    )
    # then it reports both scorers and writes one line per pair
    assert result.exit_code == 0, result.output
    assert "spearman" in result.output
    assert "baseline" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id\tlabel\tscore\tbaseline"
    assert len(lines) == 6


def test_bench_relevance_train_then_score_with_the_model(tmp_path):
    rows = [
        {"query": f"跑鞋{i % 7}", "title": f"跑鞋{i % 7} 推荐" if i % 2 else "手机", "label": i % 2}
        for i in range(60)
    ]
    pairs = tmp_path / "pairs.jsonl"
    write_pairs(pairs, rows)
    model = tmp_path / "model.json"
    runner = CliRunner()
    trained = runner.invoke(
        app,
        [
            "bench",
            "relevance-train",
            "--pairs",
            str(pairs),
            "--model-out",
            str(model),
            "--split",
            "all",
            "--kind",
            "ridge",
        ],
    )
    assert trained.exit_code == 0, trained.output
    scored = runner.invoke(
        app,
        [
            "bench",
            "relevance",
            "--pairs",
            str(pairs),
            "--out",
            str(tmp_path / "s.tsv"),
            "--model",
            str(model),
        ],
    )
    assert scored.exit_code == 0, scored.output
    assert "ridge model" in scored.output


def test_shipped_model_loads_and_ranks_a_complete_title_first():
    # given the packaged model trained by `nichely bench relevance-train`
    model = default_model()
    assert model is not None
    assert model.kind in ("lightgbm", "ridge")
    assert not model.uses_encoder
    # and IDFs from a small catalogue rather than from the candidates alone
    words = ["宽脚", "小米", "宿舍", "静音", "宠物", "儿童"]
    stats = TitleStats.from_titles(
        [f"{a}{b}" for a in words for b in ["跑鞋", "手机", "书桌", "风扇", "推荐"]]
    )
    # then a title holding the whole query outranks one holding part of it, then one holding none
    queries = ["宽脚跑鞋推荐"] * 3
    titles = ["宽脚跑鞋推荐 男女款", "跑鞋 男款", "小米手机官网"]
    scores = score_pairs(queries, titles, model=model, stats=stats)
    assert scores[0] > scores[1] > scores[2]
