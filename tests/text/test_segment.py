import warnings

from nichely.text.segment import add_words, domain_words, jieba_cut, segment, tokenize


def test_domain_dictionary_keeps_shopping_words_whole():
    # given the shipped domain dictionary, when a shoe query is segmented
    tokens = tokenize("42码宽脚跑鞋")
    # then the domain words stay whole
    assert "宽脚" in tokens
    assert "跑鞋" in tokens
    assert "42" in tokens
    assert any(word == "配速" for word, _, _ in domain_words())


def test_dorm_desk_query_is_segmented_into_words():
    assert tokenize("适合宿舍的小书桌") == ["适合", "宿舍", "的", "小", "书桌"]


def test_latin_text_keeps_fractions_and_drops_punctuation():
    assert tokenize("3/4 in. PVC pipe, 6 min/km") == ["3/4", "in", "pvc", "pipe", "6", "min", "km"]
    assert tokenize("zapatos de mujer") == ["zapatos", "de", "mujer"]


def test_words_added_at_run_time_are_used():
    # given a shop name jieba does not know
    before = tokenize("绍兴咕噜噜呀服饰")
    assert "咕噜噜呀" not in before
    # when it is added, then it becomes one token
    assert add_words([("咕噜噜呀", 50_000)]) == 1
    assert "咕噜噜呀" in tokenize("绍兴咕噜噜呀服饰")


def test_segmentation_emits_no_warning_and_handles_hostile_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert segment("") == []
        assert tokenize("🙂👟!!!") == []
        assert tokenize('" OR 1=1 --') == ["or", "1", "1"]
        assert tokenize("NEAR(a b)") == ["near", "a", "b"]
        assert len(tokenize("跑鞋" * 5_000)) > 0
        assert jieba_cut("适合宿舍的书桌") == ["适合", "宿舍", "的", "书桌"]
