"""Which full-text queries answer one candidate match, and in what order: the plan both backends follow.

A full-text engine scores every document a ranked query matches before it can cut to the LIMIT
(FTS5's bm25 and PostgreSQL's ts_rank), and FTS5's bm25 also walks every posting of every query
term once per statement to count its documents. So a ranked OR of common terms over a large kind
costs as much as the terms have postings. The document frequencies kept in the portable
`search_terms` table tell, before any full-text query runs, how many postings a query would read.

When the whole OR is cheap (at most `POSTING_BUDGET` postings) the plan is that OR, ranked, as it
always was. Otherwise the plan asks narrower questions first and widens only while the pool is
not filled:

1. sets of terms, AND-ed, in decreasing order of the sum of their IDFs (all terms first, then all
   but the commonest, ..., single rare terms before pairs of common ones), at most `MAX_STEPS`
   of them. This is the order in which a BM25 OR ranks the documents holding exactly those terms
   (coordination levels weighted by IDF, the bound MaxScore prunes with: Turtle and Flood,
   "Query evaluation: strategies and optimizations", IP&M 31(6), 1995);
2. an OR of the rarest terms, as many as fit the budget;
3. an OR of every term.

A step whose terms have at most `POSTING_BUDGET` postings is ranked by the backend; a dearer one
takes its newest matches unranked (every one of them holds the step's terms, so they differ only
in term frequency and length, which the ranker's own BM25 features weigh afterwards).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nichely.search.models import SearchStat, SearchTerm

# Postings a ranked query may read. FTS5 ranks about 5,000 matches in 2-4 ms on the benchmark
# machine (one core of a 2-vCPU EPYC); beyond that, cost grows with every posting.
POSTING_BUDGET = 5_000
# AND steps tried before the OR steps; an empty AND costs well under a millisecond.
MAX_STEPS = 8
# Of those, the heaviest term sets tried whether or not the sample saw them.
HEAVIEST = 2
# Documents sampled per query term (newest first, unranked) to learn which terms occur together.
SAMPLE = 40


@dataclass(frozen=True)
class Step:
    """One full-text query: documents holding every term (`every`) or any; best-scored first
    (`ranked`) or newest first."""

    terms: tuple[str, ...]
    every: bool
    ranked: bool


@dataclass(frozen=True)
class TermStats:
    """How many documents a kind has, and how many hold each term (title or body)."""

    doc_count: int
    df: Mapping[str, int]


def term_stats(session: Session, kind: str, terms: Sequence[str]) -> TermStats:
    """Document frequencies of `terms` in `kind` from the portable statistics (title and body
    counts added, an upper bound of the documents holding the term; unknown terms left out)."""
    docs = session.scalar(
        select(SearchStat.doc_count).where(SearchStat.kind == kind, SearchStat.field == "title")
    )
    if not terms:
        return TermStats(int(docs or 0), {})
    rows = session.execute(
        select(SearchTerm.term, func.sum(SearchTerm.df))
        .where(
            SearchTerm.kind == kind,
            SearchTerm.field.in_(("title", "body")),
            SearchTerm.term.in_(sorted(set(terms))),
        )
        .group_by(SearchTerm.term)
    )
    return TermStats(int(docs or 0), {str(t): int(n) for t, n in rows if n and n > 0})


def idf(doc_count: int, df: int) -> float:
    """BM25's inverse document frequency (Robertson and Zaragoza 2009), floored as FTS5 does."""
    return max(math.log((doc_count - df + 0.5) / (df + 0.5)), 1e-6)


def is_cheap(terms: Sequence[str], stats: TermStats, budget: int = POSTING_BUDGET) -> bool:
    """Whether a ranked OR of `terms` reads at most `budget` postings (then it is the whole plan)."""
    return sum(stats.df.get(t, 0) for t in set(terms)) <= budget


def held_terms(terms: Sequence[str], texts: Iterable[str]) -> list[frozenset[str]]:
    """For each sampled document (its analysed, space-joined terms), the query terms it holds."""
    wanted = set(terms)
    return [frozenset(wanted.intersection(t.split())) for t in texts]


def match_plan(
    terms: Sequence[str],
    stats: TermStats,
    held: Sequence[frozenset[str]] = (),
    budget: int = POSTING_BUDGET,
    max_steps: int = MAX_STEPS,
) -> list[Step]:
    """The queries to run in order until the pool is filled (see the module docstring).

    `held` lists the query terms that sampled matching documents hold (`held_terms`): the term
    sets that do occur together, so the AND steps are not spent on sets a term rarely shares
    (a size like "38", a connective like "的", a model number).
    """
    terms = tuple(dict.fromkeys(terms))
    df = stats.df
    if not terms:
        return []
    if is_cheap(terms, stats, budget):
        return [Step(terms, every=False, ranked=True)]
    # A term no document holds can only empty an AND.
    live = sorted((t for t in terms if df.get(t, 0) > 0), key=lambda t: (df[t], t))
    weight = {t: idf(max(stats.doc_count, df[t]), df[t]) for t in live}
    order = {t: i for i, t in enumerate(live)}

    def mass(s: Iterable[str]) -> float:
        return sum(weight[t] for t in s)

    # The heaviest sets a posteriori (they may hold documents the sample missed), then the
    # sets the sample saw, heaviest first; single terms are left to the OR steps.
    sets = heaviest_subsets(live, weight, HEAVIEST)
    sets += sorted(
        (tuple(sorted(h, key=order.__getitem__)) for h in set(held) if len(h) > 1 and h <= order.keys()),
        key=lambda s: (-mass(s), s),
    )
    steps = [Step(s, every=True, ranked=_postings(s, df) <= budget) for s in sets if len(s) > 1]
    steps = _distinct(steps)[:max_steps]
    rare: list[str] = []
    for t in live:
        if rare and _postings(rare, df) + df[t] > budget:
            break
        rare.append(t)
    steps.append(Step(tuple(rare), every=False, ranked=_postings(rare, df) <= budget))
    steps.append(Step(terms, every=False, ranked=False))
    return _distinct(steps)


def heaviest_subsets(items: Sequence[str], weight: Mapping[str, float], count: int) -> list[tuple[str, ...]]:
    """The `count` non-empty subsets of `items` with the largest total weight, heaviest first
    (best-first search from the full set, dropping one item at a time)."""
    if not items or count <= 0:
        return []
    start = tuple(items)
    heap = [(-sum(weight[t] for t in start), start)]
    seen = {start}
    out: list[tuple[str, ...]] = []
    while heap and len(out) < count:
        _, subset = heapq.heappop(heap)
        out.append(subset)
        if len(subset) == 1:
            continue
        for t in subset:
            child = tuple(x for x in subset if x != t)
            if child not in seen:
                seen.add(child)
                heapq.heappush(heap, (-sum(weight[x] for x in child), child))
    return out


def _postings(terms: Sequence[str], df: Mapping[str, int]) -> int:
    return sum(df.get(t, 0) for t in terms)


def _distinct(steps: list[Step]) -> list[Step]:
    """Steps minus repeats (a one-term AND is the same query as a one-term OR)."""
    seen: set[tuple[frozenset[str], bool, bool]] = set()
    out = []
    for s in steps:
        key = (frozenset(s.terms), s.every and len(s.terms) > 1, s.ranked)
        if s.terms and key not in seen:
            seen.add(key)
            out.append(s)
    return out


def run_plan(steps: Sequence[Step], limit: int, run: Callable[[Step, int], list[int]]) -> list[int]:
    """Ids from each step in turn (each asked for `limit`, repeats skipped) until `limit` are
    gathered. A later step's first `limit` answers hold at least as many new ids as are missing."""
    out: list[int] = []
    seen: set[int] = set()
    for step in steps:
        for i in run(step, limit):
            if i not in seen:
                seen.add(i)
                out.append(i)
                if len(out) >= limit:
                    return out
    return out


__all__ = [
    "MAX_STEPS",
    "SAMPLE",
    "POSTING_BUDGET",
    "Step",
    "TermStats",
    "heaviest_subsets",
    "held_terms",
    "idf",
    "is_cheap",
    "match_plan",
    "run_plan",
    "term_stats",
]
