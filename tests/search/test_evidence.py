"""Evidence passages and highlights: pure functions, no store."""

from __future__ import annotations

from nichely.search.evidence import best_passage, fragments, highlight_terms, merge_spans


def test_the_sentence_naming_the_need_is_the_passage_and_is_highlighted():
    # given a note whose second sentence answers "wide feet" in Chinese
    body = "鞋子颜色很好看。我是宽脚，这双跑鞋终于不挤脚了！物流很快。"
    # when the passage for a Chinese long-tail query is chosen
    passage = best_passage(body, highlight_terms("适合宽脚的跑鞋"), ["wide_feet"])
    # then it holds that sentence, with the need and the product type marked
    assert passage is not None
    marked = [passage.text[a:b] for a, b in passage.highlights]
    assert "宽脚" in marked
    assert "跑鞋" in marked
    assert passage.aspects == ("wide_feet",)


def test_an_aspect_named_in_another_language_counts():
    # "宽脚" (wide feet) in the query is answered by an English note through the aspect lexicon
    passage = best_passage("Great colour. Finally fits my wide feet.", [], ["wide_feet"])
    assert passage is not None
    assert [passage.text[a:b] for a, b in passage.highlights] == ["wide feet"]


def test_stems_match_inflections_and_nothing_matches_gives_none():
    passage = best_passage("These shoes are well cushioned.", highlight_terms("cushioned shoe"))
    assert passage is not None
    assert [passage.text[a:b] for a, b in passage.highlights] == ["shoes", "cushioned"]
    assert best_passage("Nothing relevant here.", highlight_terms("kettle")) is None


def test_fragments_cover_the_text_and_never_mark_across_overlaps():
    text = "<b>wide</b> feet"
    pieces = fragments(text, [(3, 7), (5, 9), (12, 16)])
    assert "".join(t for t, _ in pieces) == text
    assert [t for t, m in pieces if m] == ["wide</", "feet"]
    assert merge_spans([(5, 9), (3, 7), (12, 16)]) == ((3, 9), (12, 16))


def test_a_long_note_is_cut_around_the_best_sentence():
    body = "filler sentence. " * 40 + "The quiet fan is silent at night. " + "more filler. " * 40
    passage = best_passage(body, highlight_terms("quiet fan"), width=80)
    assert passage is not None
    assert passage.text.startswith("…")
    assert passage.text.endswith("…")
    assert len(passage.text) <= 82
    assert "quiet fan" in passage.text
