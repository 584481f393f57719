"""The lexical match plan: pure planning, and the contract both backends keep with it.

A ranked OR of common terms over a large store made the full-text engine score every match
(search latency issue: p95 200 ms on the 500,000-note benchmark store). These tests pin what
the planned match must keep: exact old results when the OR is cheap or the pool is not filled,
and rare-term documents found even when common terms match thousands.
"""

from __future__ import annotations

import pytest

from nichely.search.backends import lexical_backend, plan
from nichely.search.backends.plan import (
    Step,
    TermStats,
    heaviest_subsets,
    held_terms,
    match_plan,
    rescore,
    run_plan,
)
from nichely.search.index import IndexDoc, write_documents
from nichely.storage.engine import Database

# -- planning, without a database ---------------------------------------------------------------


def test_a_cheap_or_is_the_whole_plan_as_before():
    # given terms whose postings fit the budget
    stats = TermStats(1000, {"quiet": 40, "desk": 60}, 8.0)
    # then the plan is the single ranked OR of every term, unknown ones included
    assert list(match_plan(["quiet", "desk", "zzz"], stats)) == [
        Step(("quiet", "desk", "zzz"), every=False, ranked=True)
    ]


def test_a_dear_or_starts_with_every_known_term_and_ends_with_the_full_or():
    # given common terms and one no document holds
    stats = TermStats(100_000, {"office": 30_000, "chair": 20_000, "quiet": 4_000}, 8.0)
    steps = list(match_plan(["quiet", "office", "chair", "zzz"], stats, budget=5_000))
    # then the first step ANDs the known terms (rarest first), unranked as they are dear
    assert steps[0] == Step(("quiet", "chair", "office"), every=True, ranked=False)
    # the next drops the commonest term, and is ranked: it scores at most the 4,000 documents
    # of its rarer term, after walking the 24,000 postings of both
    assert steps[1] == Step(("quiet", "chair"), every=True, ranked=True)
    # the rare term alone fits the budget and is ranked; the last step is the OR of every term
    assert Step(("quiet",), every=True, ranked=True) in steps
    assert steps[-1] == Step(("quiet", "office", "chair", "zzz"), every=False, ranked=False)


def test_the_sample_orders_the_sets_that_occur_and_is_drawn_only_when_needed():
    stats = TermStats(100_000, {"38": 100, "的": 5_000, "跑鞋": 8_000, "缓震": 9_000}, 8.0)
    drawn = []

    def sample(terms):
        drawn.append(sorted(terms))
        return [frozenset({"跑鞋", "缓震"}), frozenset({"跑鞋", "缓震"}), frozenset({"的"})]

    steps = match_plan(["的", "缓震", "跑鞋", "38"], stats, sample, budget=5_000)
    # the two heaviest sets come first, without drawing the sample
    assert next(steps).terms == ("38", "的", "跑鞋", "缓震")
    assert next(steps).terms == ("38", "的", "跑鞋")
    assert not drawn
    # then the sets the sample saw and single terms, by weight: the rare size alone (ranked, as
    # its postings are few) outweighs the two common words together
    assert next(steps) == Step(("38",), every=True, ranked=True)
    assert drawn == [sorted(stats.df)]
    assert next(steps) == Step(("跑鞋", "缓震"), every=True, ranked=False)


def test_common_terms_are_left_out_of_the_and_steps_but_not_out_of_the_last_or():
    # given a query whose "size" is held by 40% of the documents (as in notes that give sizes)
    stats = TermStats(100_000, {"size": 40_000, "trail": 800, "shoe": 20_000}, 8.0)
    steps = list(match_plan(["trail", "shoe", "size"], stats, budget=5_000))
    # then the AND steps ask only for the rarer terms: the first holds both, ranked, as it walks
    # the 20,800 postings of two terms rather than the 60,800 of three
    assert steps[0] == Step(("trail", "shoe"), every=True, ranked=True)
    assert all("size" not in s.terms for s in steps if s.every)
    # and the last step is still the OR of every term, so no document is out of reach
    assert steps[-1] == Step(("trail", "shoe", "size"), every=False, ranked=False)


def test_when_every_term_is_common_the_and_steps_keep_them_all():
    stats = TermStats(1_000, {"office": 600, "chair": 500}, 8.0)
    steps = list(match_plan(["office", "chair"], stats, budget=100))
    assert steps[0] == Step(("chair", "office"), every=True, ranked=False)


def test_heaviest_subsets_come_in_order_of_total_weight():
    weight = {"a": 5.0, "b": 3.0, "c": 1.0}
    assert heaviest_subsets(["a", "b", "c"], weight, 4) == [("a", "b", "c"), ("a", "b"), ("a", "c"), ("a",)]


def test_held_terms_are_the_query_terms_a_document_holds():
    assert held_terms(["quiet", "desk"], ["quiet lamp desk", "lamp"]) == [
        frozenset({"quiet", "desk"}),
        frozenset(),
    ]


def test_rescore_prefers_a_title_hit_and_the_rarer_term():
    stats = TermStats(1000, {"quiet": 10, "desk": 300}, 4.0)
    docs = [
        (1, "lamp", "quiet desk"),  # both terms, in the body
        (2, "quiet desk", "lamp"),  # both terms, in the title
        (3, "desk", "lamp"),  # the common term only
        (4, "quiet", "lamp"),  # the rare term only
    ]
    assert rescore(["quiet", "desk"], docs, stats, 3) == [2, 4, 1]


def test_run_plan_skips_repeats_and_stops_when_the_pool_is_full():
    answers = {("a",): [1, 2], ("b",): [2, 3, 4], ("c",): [5]}
    asked = []

    def run(step: Step, n: int) -> list[int]:
        asked.append(step.terms)
        return answers[step.terms][:n]

    steps = [Step(t, every=False, ranked=True) for t in answers]
    assert run_plan(steps, 3, run) == [1, 2, 3]
    assert asked == [("a",), ("b",)]


# -- both backends ------------------------------------------------------------------------------


def _index(db: Database, docs: list[tuple[int, str, str]]) -> None:
    with db.write() as session:
        write_documents(
            session,
            [
                IndexDoc("product", i, title, tuple(title.split()), tuple(body.split()))
                for i, title, body in docs
            ],
        )


def _match(db: Database, terms: list[str], limit: int) -> list[int]:
    with db.read() as session:
        return lexical_backend(db.dialect).match(session, "product", terms, limit)


def _common(body: str) -> list[tuple[int, str, str]]:
    """Enough documents about office chairs that an OR of the two words is over the budget."""
    return [(i, f"office chair {i % 97}", body) for i in range(1, plan.POSTING_BUDGET // 2 + 1)]


def test_a_rare_term_document_is_found_when_common_terms_match_thousands(db):
    # given thousands of documents about office chairs and one that alone holds a rare word
    common = _common("office comfort")
    _index(db, [*common, (9000, "zqxv lamp", "desk light")])
    # when searching for the common words and the rare one (well over the posting budget)
    ids = _match(db, ["office", "chair", "zqxv"], 20)
    # then the rare-word document is a candidate, and the pool is filled
    assert 9000 in ids
    assert len(ids) >= 20


def test_a_document_with_every_term_is_found_among_thousands_with_some(db):
    # given thousands of documents holding two of three terms, and one holding all three
    common = _common("office comfort")
    _index(db, [*common, (9000, "office chair", "quiet comfort"), (9001, "quiet fan", "")])
    ids = _match(db, ["quiet", "office", "chair"], 10)
    # then the full match is among the candidates, beside the rarer partial one
    assert 9000 in ids
    assert 9001 in ids


def test_a_small_store_gives_the_same_candidates_as_a_plain_or(db, monkeypatch):
    # given a small store, and a budget so low that the plan is used rather than the plain OR
    docs = [
        (1, "quiet office chair", "mesh back"),
        (2, "office desk", "oak"),
        (3, "quiet fan", "bedroom"),
        (4, "gaming chair", "office use"),
        (5, "kettle", "steel"),
        (6, "chair mat", "for office floors"),
    ]
    _index(db, docs)
    terms = ["quiet", "office", "chair"]
    expected = {i for i, title, body in docs if set(terms) & set(f"{title} {body}".split())}
    # when the pool is not filled, the planned and the plain match find the same set
    plain = _match(db, terms, 100)
    monkeypatch.setattr(plan, "POSTING_BUDGET", 2)
    planned = _match(db, terms, 100)
    assert set(plain) == set(planned) == expected


@pytest.mark.parametrize("limit", [1, 3])
def test_a_cheap_query_keeps_the_ranked_or(db, limit):
    # given a store where the OR reads few postings
    _index(db, [(1, "quiet office chair", ""), (2, "office chair", ""), (3, "chair", "quiet")])
    # then the best-ranked documents come first, as before
    assert _match(db, ["quiet", "office", "chair"], limit)[:1] == [1]
