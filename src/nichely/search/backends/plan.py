"""Which full-text queries answer one candidate match, and in what order: the plan both backends follow.

A full-text engine scores every document a ranked query matches before it can cut to the LIMIT
(FTS5's bm25 and PostgreSQL's ts_rank), and FTS5's bm25 also walks every posting of every query
term once per statement to count its documents. So a ranked OR of common terms over a large kind
costs as much as the terms have postings (70-110 ms for the notes of a typical query on the
benchmark store). The document frequencies kept in the portable `search_terms` table tell,
before any full-text query runs, how many postings a query would read.

When the whole OR is cheap (at most `POSTING_BUDGET` postings) the plan is that OR, ranked, as it
always was: small stores and specific queries get exactly the old candidates. Otherwise the plan
asks narrower questions first and widens only while the pool is not filled:

1. AND queries over sets of query terms, heaviest (largest sum of IDFs) first: the two heaviest
   sets of all (every term, then every term but the commonest), then the sets that a small
   sample of each term's newest documents shows to occur together and the single terms, at
   most `MAX_STEPS` in all.
   A BM25 OR ranks documents roughly by the IDF mass of the query terms they hold (coordination
   levels weighted by IDF; the same bound MaxScore prunes with: Turtle and Flood, "Query
   evaluation: strategies and optimizations", IP&M 31(6), 1995), so these are the documents an
   OR puts on top. The sample keeps the steps off sets a term seldom shares (a size such as
   "38", a connective such as "的", a model number), which would otherwise use them all up;
2. an OR of the rarest terms, as many as fit the budget;
3. an OR of every term.

Terms counted in more than `COMMON_SHARE` of the kind's documents ("size", "用" over the notes) are
left out of the AND steps when rarer terms remain, as Lucene's CommonTermsQuery does: their IDF
is small, so they hardly change which documents an OR puts on top, yet their postings are the
longest ones every AND over them must walk. They still count in `rescore`, in the final OR and in
the ranker's features.

A step is ranked by the backend when what it costs fits `POSTING_BUDGET`: an OR scores every
posting, an AND at most its rarest term's documents (plus the walk over every term's postings,
`POSTING_WALK` times cheaper). A dearer one reads its newest `WIDEN` x limit matches unranked and
`rescore` orders them by the same BM25 FTS5 computes (title hits weighted 3), from the portable
statistics.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nichely.search.models import SearchStat, SearchTerm

# Postings a ranked query may read (FTS5 scores about one OR match a microsecond on the benchmark
# machine, one core of a 2-vCPU EPYC). Below it the exact OR is kept. On Home Depot (54,667
# products, pool 200) 8.7% of the queries are above it, and for those the plan's candidates hold
# 2.3 points fewer of the judged-relevant products than the exact OR's (20.5% of queries and
# 2.0 points at 5,000): there, the plan saves no time, so it should not cost recall either.
POSTING_BUDGET = 10_000
# Scoring one match costs about as much as walking this many postings (FTS5 bm25 counts each
# term's documents once per statement: about 20 ns a posting against 1 us a scored match).
POSTING_WALK = 50
# AND steps tried before the OR steps; an empty AND costs well under a millisecond.
MAX_STEPS = 8
# Of those, the heaviest term sets tried whether or not the sample saw them.
HEAVIEST = 2
# Documents sampled per query term (newest first, unranked) to learn which terms occur together.
SAMPLE = 40
# An unranked step reads this many times the matches it must return, and keeps the best.
WIDEN = 3
# A term whose title and body document counts add up to more than this share of the documents
# is common (the sum bounds the documents holding it from above; at 30% a term's BM25 IDF is at
# most 0.85, against 3 to 6 for the words that name a need).
COMMON_SHARE = 0.3
# BM25 as FTS5 computes it: k1, b, and the weight of a title hit over a body hit.
K1, B = 1.2, 0.75
TITLE_WEIGHT = 3.0


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
    avg_length: float = 0.0


def term_stats(session: Session, kind: str, terms: Sequence[str]) -> TermStats:
    """Document frequencies of `terms` in `kind` from the portable statistics (title and body
    counts added, an upper bound of the documents holding the term; unknown terms left out)."""
    fields = {
        f: (n, length)
        for f, n, length in session.execute(
            select(SearchStat.field, SearchStat.doc_count, SearchStat.total_length).where(
                SearchStat.kind == kind
            )
        )
    }
    docs = int(fields.get("title", (0, 0))[0] or 0)
    avg = sum(int(fields.get(f, (0, 0))[1] or 0) for f in ("title", "body")) / docs if docs else 0.0
    if not terms:
        return TermStats(docs, {}, avg)
    rows = session.execute(
        select(SearchTerm.term, func.sum(SearchTerm.df))
        .where(
            SearchTerm.kind == kind,
            SearchTerm.field.in_(("title", "body")),
            SearchTerm.term.in_(sorted(set(terms))),
        )
        .group_by(SearchTerm.term)
    )
    return TermStats(docs, {str(t): int(n) for t, n in rows if n and n > 0}, avg)


def idf(doc_count: int, df: int) -> float:
    """BM25's inverse document frequency (Robertson and Zaragoza 2009), floored as FTS5 does."""
    return max(math.log((doc_count - df + 0.5) / (df + 0.5)), 1e-6)


def is_cheap(terms: Sequence[str], stats: TermStats, budget: int | None = None) -> bool:
    """Whether a ranked OR of `terms` reads at most `budget` (default `POSTING_BUDGET`) postings;
    then that OR is the whole plan."""
    return sum(stats.df.get(t, 0) for t in set(terms)) <= (POSTING_BUDGET if budget is None else budget)


def held_terms(terms: Sequence[str], texts: Iterable[str]) -> list[frozenset[str]]:
    """For each sampled document (its analysed, space-joined terms), the query terms it holds."""
    wanted = set(terms)
    return [frozenset(wanted.intersection(t.split())) for t in texts]


def match_plan(
    terms: Sequence[str],
    stats: TermStats,
    sample: Callable[[Sequence[str]], Iterable[frozenset[str]]] = lambda terms: (),
    budget: int | None = None,
    max_steps: int = MAX_STEPS,
) -> Iterator[Step]:
    """The queries to run in order until the pool is filled (see the module docstring); lazy, so
    what is not needed is never planned.

    `sample(terms)` gives, for sampled documents holding any of `terms`, the query terms each
    holds (`held_terms`): the sets that do occur together. It is called only if the heaviest sets do
    not fill the pool.
    """
    budget = POSTING_BUDGET if budget is None else budget
    terms = tuple(dict.fromkeys(terms))
    df = stats.df
    if not terms:
        return
    if is_cheap(terms, stats, budget):
        yield Step(terms, every=False, ranked=True)
        return
    # A term no document holds can only empty an AND.
    live = sorted((t for t in terms if df.get(t, 0) > 0), key=lambda t: (df[t], t))
    live = [t for t in live if df[t] <= COMMON_SHARE * stats.doc_count] or live
    weight = {t: idf(max(stats.doc_count, df[t]), df[t]) for t in live}
    order = {t: i for i, t in enumerate(live)}
    seen: set[tuple[frozenset[str], bool, bool]] = set()

    def new(step: Step) -> bool:
        key = (frozenset(step.terms), step.every and len(step.terms) > 1, step.ranked)
        if not step.terms or key in seen:
            return False
        seen.add(key)
        return True

    def and_step(s: tuple[str, ...]) -> Step:
        # A ranked AND scores at most the rarest term's documents, after counting every term's.
        cost = min(df[t] for t in s) + _postings(s, df) / POSTING_WALK
        return Step(s, every=True, ranked=cost <= budget)

    rare: list[str] = []
    for t in live:
        if rare and _postings(rare, df) + df[t] > budget:
            break
        rare.append(t)
    rare_or = Step(tuple(rare), every=False, ranked=_postings(rare, df) <= budget)
    steps = 0
    # The heaviest sets whether or not they occur (no sample needed) ...
    for s in heaviest_subsets(live, weight, HEAVIEST):
        if len(s) > 1 and steps < max_steps and new(step := and_step(s)):
            steps += 1
            yield step
    # ... then the sets the sample saw and the single terms, heaviest first (a rare word alone
    # outweighs two common ones, as in BM25).
    if steps < max_steps:
        sets = {
            tuple(sorted(h & order.keys(), key=order.__getitem__)) for h in sample(live) if h & order.keys()
        }
        sets.update((t,) for t in live)
        for s in sorted(sets, key=lambda s: (-sum(weight[t] for t in s), s)):
            if steps < max_steps and new(step := and_step(s)):
                steps += 1
                yield step
    for step in (rare_or, Step(terms, every=False, ranked=False)):
        if new(step):
            yield step


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


def rescore(
    terms: Sequence[str], docs: Iterable[tuple[int, str, str]], stats: TermStats, limit: int
) -> list[int]:
    """Ids of `docs` (id, title terms, body terms) best first by BM25 over `terms`, as FTS5's
    bm25() with weights (3, 1) computes it (Robertson and Zaragoza, "The Probabilistic Relevance
    Framework: BM25 and Beyond", 2009); ties keep the given order. At most `limit` ids."""
    wanted = set(terms)
    weight = {t: idf(max(stats.doc_count, stats.df.get(t, 0)), stats.df.get(t, 0)) for t in wanted}
    avg = max(stats.avg_length, 1e-9)
    scored = []
    for position, (ref_id, title, body) in enumerate(docs):
        title_terms, body_terms = title.split(), body.split()
        tf: dict[str, float] = {}
        for t in title_terms:
            if t in wanted:
                tf[t] = tf.get(t, 0.0) + TITLE_WEIGHT
        for t in body_terms:
            if t in wanted:
                tf[t] = tf.get(t, 0.0) + 1.0
        norm = K1 * (1 - B + B * (len(title_terms) + len(body_terms)) / avg)
        score = sum(weight[t] * f * (K1 + 1) / (f + norm) for t, f in tf.items())
        scored.append((-score, position, ref_id))
    return [ref_id for _, _, ref_id in sorted(scored)[:limit]]


def _postings(terms: Sequence[str], df: Mapping[str, int]) -> int:
    return sum(df.get(t, 0) for t in terms)


def run_plan(steps: Iterable[Step], limit: int, run: Callable[[Step, int], list[int]]) -> list[int]:
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


# What a backend answers for a plan: the ids of the best `n` documents matching any (or every)
# of some terms, and the newest `n` such documents with their analysed title and body.
RankedQuery = Callable[[Sequence[str], bool, int], list[int]]
NewestQuery = Callable[[Sequence[str], bool, int], Iterable[tuple[int, str, str]]]


def planned_match(
    session: Session,
    kind: str,
    terms: Sequence[str],
    limit: int,
    ranked: RankedQuery,
    newest: NewestQuery,
) -> list[int]:
    """Candidates for `terms`, best first, at most `limit`: the plan run on a backend's two queries."""
    if not terms:
        return []
    stats = term_stats(session, kind, terms)

    def sample(of: Sequence[str]) -> list[frozenset[str]]:
        held: list[frozenset[str]] = []
        for t in of:
            held += held_terms(terms, (f"{title} {body}" for _, title, body in newest([t], False, SAMPLE)))
        return held

    def run(step: Step, n: int) -> list[int]:
        if step.ranked:
            return ranked(step.terms, step.every, n)
        return rescore(terms, newest(step.terms, step.every, n * WIDEN), stats, n)

    return run_plan(match_plan(terms, stats, sample), limit, run)


__all__ = [
    "COMMON_SHARE",
    "MAX_STEPS",
    "SAMPLE",
    "POSTING_BUDGET",
    "Step",
    "TermStats",
    "WIDEN",
    "heaviest_subsets",
    "held_terms",
    "idf",
    "is_cheap",
    "match_plan",
    "planned_match",
    "rescore",
    "run_plan",
    "term_stats",
]
