"""Unmet niche needs: what many people search for and do not find answered.

A *need* is a set of searches that ask for the same thing in different words: queries are reduced
to their content terms with the search index's own analyser (stemming, jieba for Chinese, stop
words dropped) and grouped by that term set, so "wide running shoes" and "running shoes, wide" are
one need. A rarer wording joins a common need when they share at least `MERGE_JACCARD` of their
terms ("wide fit running shoes" joins "wide running shoes").

How unmet a need is comes from two sides:

* the searchers: how many people asked (signed-in people counted once, anonymous searches at half
  weight, since one visitor may search many times), how many searches found nothing, and how many
  led to a click on any result;
* the supply, measured now with the live search: how many of the top products answer the need
  with a verified buyer show behind them, and how many notes the search finds.

gap = log(1 + demand) x (0.6 x unanswered searches + 0.4 x missing proven products), where a need
is fully supplied when `GOOD_ENOUGH` of its top products have buyer shows. Every need carries
sentences a manager can read that say why it is on the list.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import scipy.sparse as sp
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from nichely.activity.models import SearchLog
from nichely.catalog.service import parse_count
from nichely.errors import InvalidInput
from nichely.search import service as search_service
from nichely.search.analysis import STOP_WORDS, analyze
from nichely.storage.base import as_naive_utc
from nichely.text.language import LANGUAGES

__all__ = ["GOOD_ENOUGH", "Need", "NeedsReport", "Supply", "group_wordings", "need_key", "unmet_needs"]

MERGE_JACCARD = 0.75
# Rare wordings compared with the common needs in one sparse product (bounds its memory).
_MERGE_CHUNK = 1_000
# Top products a need's supply is judged on, and how many of them with a buyer show answer it.
SUPPLY_TOP = 10
GOOD_ENOUGH = 3
TREND_DAYS = 7
MAX_DAYS = 3650
MAX_LIMIT = 200
# More searches than the log can hold for one wording is a mistake, not a filter.
MAX_MIN_SEARCHES = 2**31 - 1
# Wordings per statement when counting a need's distinct searchers: a need may gather more
# wordings than a statement may bind parameters (65,535 on PostgreSQL).
_SEARCHERS_CHUNK = 5_000


@dataclass(frozen=True)
class Supply:
    """What the store offers for a need right now."""

    products: int  # products the search finds among the top SUPPLY_TOP
    proven_products: int  # of those, products with at least one verified buyer show
    notes: int  # notes the search finds among the top SUPPLY_TOP
    buyer_shows: int  # of those, notes by people who bought a linked product
    top_product_ids: list[int] = field(default_factory=list)


@dataclass
class _Wording:
    query: str
    language: str
    searches: int
    people: int
    anonymous: int
    no_results: int
    clicked: int
    recent: int
    previous: int
    long_tail: bool


@dataclass
class _Group:
    terms: frozenset[str]
    wordings: list[_Wording] = field(default_factory=list)

    def total(self, attribute: str) -> int:
        return sum(int(getattr(w, attribute)) for w in self.wordings)


@dataclass(frozen=True)
class Need:
    """One need, its demand, how well searches for it went, the supply, and the gap score."""

    query: str  # the commonest wording
    terms: tuple[str, ...]
    wordings: list[str]  # every wording, commonest first
    language: str
    long_tail: bool
    searches: int
    searchers: int  # distinct signed-in people
    anonymous: int  # searches by people not signed in
    no_result_rate: float
    click_rate: float  # share of searches followed by a click on a result
    recent: int  # searches in the last TREND_DAYS days
    previous: int  # in the TREND_DAYS days before
    supply: Supply | None
    gap: float
    reasons: list[str]
    # The need was read from one (wording, language) group, so `searchers` is already exact.
    searchers_exact: bool = field(default=False, repr=False, compare=False)

    @property
    def rising(self) -> bool:
        """More searches in the last week than in the one before (and at least 3 of them)."""
        return self.recent >= 3 and self.recent > 1.5 * self.previous


@dataclass(frozen=True)
class NeedsReport:
    """The needs most worth a new product or note, highest gap first, and what they were read from."""

    needs: list[Need]
    searches: int  # searches read
    wordings: int  # distinct wordings among them
    days: int
    since: datetime


def need_key(query: str) -> frozenset[str]:
    """The terms that say what a query asks for (empty for a query of stop words or symbols)."""
    return frozenset(t for t in analyze(query) if t not in STOP_WORDS)


def _best_heads(heads: list[_Group], tails: list[_Group]) -> list[int]:
    """For each tail, the index of the common need with the highest Jaccard similarity of at least
    MERGE_JACCARD (the most searched on ties), or -1.

    Term overlaps of every tail with every head come from one sparse matrix product per chunk of
    tails, so the work is in compiled code; Python only looks at the few pairs that pass."""
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for index, head in enumerate(heads):
        for term in head.terms:
            rows.append(index)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
    best = [-1] * len(tails)
    if not heads or not tails:
        return best
    shape = (len(heads), len(vocabulary))
    matrix = sp.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=shape)
    head_sizes = np.array([len(h.terms) for h in heads])
    for start in range(0, len(tails), _MERGE_CHUNK):
        chunk = tails[start : start + _MERGE_CHUNK]
        t_rows = [i for i, tail in enumerate(chunk) for term in tail.terms if term in vocabulary]
        t_cols = [vocabulary[term] for tail in chunk for term in tail.terms if term in vocabulary]
        probe = sp.csr_matrix(
            (np.ones(len(t_rows), dtype=np.int32), (t_rows, t_cols)), shape=(len(chunk), len(vocabulary))
        )
        overlap = (probe @ matrix.T).tocoo()
        tail_sizes = np.array([len(t.terms) for t in chunk])
        similarity = overlap.data / (tail_sizes[overlap.row] + head_sizes[overlap.col] - overlap.data)
        keep = similarity >= MERGE_JACCARD - 1e-12
        found: dict[int, tuple[float, int]] = {}
        for row, col, score in zip(overlap.row[keep], overlap.col[keep], similarity[keep], strict=True):
            current = found.get(int(row))
            if current is None or (score, -col) > (current[0], -current[1]):
                found[int(row)] = (float(score), int(col))
        for row, (_, col) in found.items():
            best[start + row] = col
    return best


def group_wordings(wordings: Iterable[_Wording], min_searches: int) -> list[_Group]:
    """Wordings with the same terms together; a rare wording joins the closest common need."""
    exact: dict[frozenset[str], _Group] = {}
    for wording in wordings:
        key = need_key(wording.query)
        if key:
            exact.setdefault(key, _Group(key)).wordings.append(wording)
    ordered = sorted(exact.values(), key=lambda g: (-g.total("searches"), sorted(g.terms)))
    # Only needs asked often enough on their own take in other wordings: that bounds the work by
    # the number of common needs, not by the (long-tail, mostly unique) wordings.
    heads = [g for g in ordered if g.total("searches") >= min_searches]
    tails = ordered[len(heads) :]
    merged = [*heads]
    for tail, best in zip(tails, _best_heads(heads, tails), strict=True):
        if best >= 0:
            heads[best].wordings.extend(tail.wordings)
        else:
            merged.append(tail)
    return merged


def _read_wordings(session: Session, since: datetime, now: datetime, language: str | None) -> list[_Wording]:
    week = now - timedelta(days=TREND_DAYS)
    fortnight = now - timedelta(days=2 * TREND_DAYS)
    # The trend compares the last two weeks even when the window is shorter, so the rows read
    # reach back to the fortnight; everything else counts only the window's searches.
    start = min(since, fortnight)
    inside = SearchLog.created_at >= since

    def within(condition: Any) -> Any:
        return func.sum(case((inside & condition, 1), else_=0))

    searches = func.sum(case((inside, 1), else_=0))
    query = (
        select(
            SearchLog.query,
            SearchLog.language,
            searches,
            func.count(func.distinct(case((inside, SearchLog.user_id)))),
            within(SearchLog.user_id.is_(None)),
            within(SearchLog.result_count == 0),
            within(SearchLog.click_count > 0),
            func.sum(case((SearchLog.created_at >= week, 1), else_=0)),
            func.sum(case(((SearchLog.created_at >= fortnight) & (SearchLog.created_at < week), 1), else_=0)),
            func.max(case((inside & SearchLog.is_long_tail, 1), else_=0)),
        )
        .where(SearchLog.created_at >= start, SearchLog.created_at <= now)
        .group_by(SearchLog.query, SearchLog.language)
        .having(searches > 0)
    )
    if language:
        query = query.where(SearchLog.language == language)
    return [
        _Wording(
            query=row[0],
            language=row[1],
            searches=int(row[2]),
            people=int(row[3]),
            anonymous=int(row[4] or 0),
            no_results=int(row[5] or 0),
            clicked=int(row[6] or 0),
            recent=int(row[7] or 0),
            previous=int(row[8] or 0),
            long_tail=bool(row[9]),
        )
        for row in session.execute(query)
    ]


def _searchers(
    session: Session, wordings: list[str], since: datetime, now: datetime, language: str | None
) -> int:
    """Distinct signed-in people over all wordings of a need (a person may use several), in the
    language read when one was asked for."""
    window = [SearchLog.created_at >= since, SearchLog.created_at <= now]
    if language:
        window.append(SearchLog.language == language)
    if len(wordings) <= _SEARCHERS_CHUNK:
        count = select(func.count(func.distinct(SearchLog.user_id))).where(
            SearchLog.query.in_(wordings), *window
        )
        return int(session.scalar(count) or 0)
    people: set[int] = set()
    for start in range(0, len(wordings), _SEARCHERS_CHUNK):
        chunk = wordings[start : start + _SEARCHERS_CHUNK]
        people.update(
            session.scalars(
                select(SearchLog.user_id)
                .where(SearchLog.query.in_(chunk), SearchLog.user_id.is_not(None), *window)
                .distinct()
            )
        )
    return len(people)


def measure_supply(session: Session, query: str) -> Supply:
    """Run the live product search for `query`: the top products and those with buyer shows. The
    note counts stay 0 here: they change the reasons, not the gap, so only listed needs get them
    (`_with_notes`)."""
    products = search_service.search(session, query, type="products", limit=SUPPLY_TOP).products
    return Supply(
        products=len(products),
        proven_products=sum(1 for p in products if p.product.buyer_show_count > 0),
        notes=0,
        buyer_shows=0,
        top_product_ids=[p.product.id for p in products],
    )


def _demand(searchers: int, anonymous: int) -> float:
    return searchers + 0.5 * anonymous


def _gap(demand: float, unanswered: float, supply: Supply | None) -> float:
    missing = 1.0 - min(supply.proven_products, GOOD_ENOUGH) / GOOD_ENOUGH if supply else unanswered
    return math.log1p(demand) * (0.6 * unanswered + 0.4 * missing)


def _percent(x: float) -> str:
    # Never "100%" or "0%" for a share that is not all or none.
    whole = round(100 * x)
    return f"{min(max(whole, 1), 99) if 0 < x < 1 else whole}%"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _reasons(need: Need, days: int) -> list[str]:
    if need.searchers == 0:
        asked = _count(need.searches, "anonymous search", "anonymous searches")
    else:
        asked = (
            f"{_count(need.searches, 'search', 'searches')} by {_count(need.searchers, 'person', 'people')}"
        )
        if need.anonymous:
            asked += f" and {need.anonymous} anonymous"
    reasons = [f"{asked} in {_count(days, 'day', 'days')}"]
    if len(need.wordings) > 1:
        reasons.append(f"asked in {len(need.wordings)} wordings")
    if need.no_result_rate > 0:
        reasons.append(f"{_percent(need.no_result_rate)} of the searches found nothing")
    reasons.append(f"{_percent(need.click_rate)} led to a click on a result")
    if need.supply is not None:
        s = need.supply
        if s.products == 0:
            reasons.append("no product matches it today")
        else:
            verb = "has" if s.proven_products == 1 else "have"
            top = "top product" if s.products == 1 else f"top {s.products} products"
            reasons.append(f"{s.proven_products} of the {top} {verb} a verified buyer show")
        if s.notes == 0:
            reasons.append("no note answers it")
        else:
            top = "top note" if s.notes == 1 else f"top {s.notes} notes"
            shows = "is a buyer show" if s.buyer_shows == 1 else "are buyer shows"
            reasons.append(f"{s.buyer_shows} of the {top} {shows}")
    if need.rising:
        reasons.append(
            f"rising: {_count(need.recent, 'search', 'searches')} in the last {TREND_DAYS} days, "
            f"{need.previous} before"
        )
    return reasons


def _language(language: str | None) -> str | None:
    """The language to read (None for all); the log only holds the languages searches detect."""
    if language is None or not language.strip():
        return None
    code = language.strip().lower()
    if code not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(sorted(LANGUAGES))}", field="language")
    return code


def _check(days: int, limit: int, min_searches: int) -> None:
    parse_count(days, "days", low=1, high=MAX_DAYS)
    parse_count(limit, "limit", low=1, high=MAX_LIMIT)
    parse_count(min_searches, "min_searches", low=1, high=MAX_MIN_SEARCHES)


def _need(group: _Group) -> Need:
    ordered = sorted(group.wordings, key=lambda w: (-w.searches, w.query))
    searches = group.total("searches")
    languages = Counter[str]()
    for w in ordered:
        languages[w.language] += w.searches
    wordings = list(dict.fromkeys(w.query for w in ordered))
    return Need(
        query=ordered[0].query,
        terms=tuple(sorted(group.terms)),
        wordings=wordings,
        language=languages.most_common(1)[0][0],
        long_tail=any(w.long_tail for w in ordered),
        searches=searches,
        # Distinct people per wording and language, summed: at least the true count (someone may
        # have used several wordings, or one wording in two languages); `_finish` counts them
        # exactly.
        searchers=group.total("people"),
        anonymous=group.total("anonymous"),
        no_result_rate=group.total("no_results") / searches,
        click_rate=group.total("clicked") / searches,
        recent=group.total("recent"),
        previous=group.total("previous"),
        supply=None,
        gap=0.0,
        reasons=[],
        searchers_exact=len(group.wordings) == 1,
    )


def _ceiling(need: Need, with_supply: bool) -> float:
    """The most `need` can score once measured: its searchers are at most the bound it carries, and
    at worst no top product has a buyer show."""
    unanswered = 1.0 - need.click_rate
    missing = 1.0 if with_supply else unanswered
    return math.log1p(_demand(need.searchers, need.anonymous)) * (0.6 * unanswered + 0.4 * missing)


def _finish(
    session: Session, need: Need, with_supply: bool, since: datetime, now: datetime, language: str | None
) -> Need:
    if not need.searchers_exact:
        need = replace(need, searchers=_searchers(session, need.wordings, since, now, language))
    supply = measure_supply(session, need.query) if with_supply else None
    # A search that found nothing cannot be clicked, and one whose results drew no click was not
    # answered by them either: both count as unanswered.
    unanswered = 1.0 - need.click_rate
    return replace(
        need, supply=supply, gap=round(_gap(_demand(need.searchers, need.anonymous), unanswered, supply), 4)
    )


def _with_notes(session: Session, need: Need, days: int) -> Need:
    """A listed need, its top notes searched, with its reasons."""
    if need.supply is not None:
        found = search_service.search(session, need.query, type="notes", limit=SUPPLY_TOP).notes
        supply = replace(
            need.supply, notes=len(found), buyer_shows=sum(1 for n in found if n.verified_purchase)
        )
        need = replace(need, supply=supply)
    return replace(need, reasons=_reasons(need, days))


def unmet_needs(
    session: Session,
    *,
    days: int = 30,
    limit: int = 20,
    min_searches: int = 3,
    language: str | None = None,
    long_tail_only: bool = False,
    supply: bool = True,
    now: datetime | None = None,
) -> NeedsReport:
    """The `limit` needs with the highest gap among those searched at least `min_searches` times in
    the last `days` days (optionally one language, or long-tail needs only). With `supply`, the top
    needs by demand are also searched now to see what the store offers (a few searches each)."""
    _check(days, limit, min_searches)
    language = _language(language)
    now = as_naive_utc(now)
    since = now - timedelta(days=days)
    wordings = _read_wordings(session, since, now, language)
    groups = [g for g in group_wordings(wordings, min_searches) if g.total("searches") >= min_searches]
    needs = [_need(g) for g in groups]
    if long_tail_only:
        needs = [n for n in needs if n.long_tail]

    # Counting distinct searchers and searching the store cost a query or two per need, so they
    # are done lazily, best ceiling first, until no unmeasured need can still make the list
    # (Fagin's threshold algorithm): the answer is the exact top `limit`.
    # A need's place is (-gap, -searches, query); only the gap changes when it is measured, and
    # it can only fall to at most its ceiling. So needs are taken in order of (-ceiling,
    # -searches, query), rounded as the gap is, and the list is complete once its last need
    # ranks before the best place the next unmeasured need could reach (ties on the gap are
    # settled by what is already known, without measuring every tied need).
    def place(need: Need) -> tuple[float, int, str]:
        return (-need.gap, -need.searches, need.query)

    def best_place(need: Need) -> tuple[float, int, str]:
        return (-round(_ceiling(need, supply), 4), -need.searches, need.query)

    needs.sort(key=best_place)
    finished: list[Need] = []
    for need in needs:
        if len(finished) >= limit and place(finished[limit - 1]) < best_place(need):
            break
        finished.append(_finish(session, need, supply, since, now, language))
        finished.sort(key=place)
    return NeedsReport(
        needs=[_with_notes(session, n, days) for n in finished[:limit]],
        searches=sum(w.searches for w in wordings),
        wordings=len(wordings),
        days=days,
        since=since,
    )
