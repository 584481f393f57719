"""The search log: every search and every click on a result, for insight into long-tail needs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.activity.models import SearchClick, SearchLog
from nichely.activity.service import record_event
from nichely.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from nichely.storage.base import utcnow
from nichely.storage.ids import get_by_id

# The search reads at most 200 characters of a query; the log keeps a little more, and a bound
# keeps every query within a btree index entry on PostgreSQL.
MAX_LOGGED_QUERY = 500
LONG_TAIL_CJK = 8
LONG_TAIL_WORDS = 4
# What a search result can be, as the event log names it.
CLICK_TARGETS = {"product": "product", "note": "note", "user": "user", "person": "user"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def is_long_tail(query: str) -> bool:
    """A specific need: 8+ CJK characters, or 4+ words in the rest of the query."""
    if len(_CJK.findall(query)) >= LONG_TAIL_CJK:
        return True
    return len(_CJK_RUNS.sub(" ", query).split()) >= LONG_TAIL_WORDS


def log_search(
    session: Session,
    user: User | None,
    query: str,
    language: str,
    result_count: int,
    long_tail: bool | None = None,
) -> SearchLog:
    """Record one search in the caller's transaction (long-tail as query understanding judged it,
    else by this module's rule)."""
    query = query[:MAX_LOGGED_QUERY]
    entry = SearchLog(
        user_id=user.id if user else None,
        query=query,
        language=language,
        is_long_tail=is_long_tail(query) if long_tail is None else long_tail,
        result_count=result_count,
        click_count=0,
    )
    session.add(entry)
    session.flush()
    return entry


def log_click(
    session: Session, user: User | None, search_id: int, target_type: str, target_id: int, position: int
) -> SearchClick:
    """Record a click on a search result; a signed-in person's search takes clicks only from them."""
    entry = get_by_id(session, SearchLog, search_id)
    if entry is None:
        raise NotFound(f"search {search_id} does not exist")
    if entry.user_id is not None:
        if user is None:
            raise NotAuthenticated("log in first: this search belongs to a signed-in person")
        if user.id != entry.user_id:
            raise Forbidden("this search belongs to someone else")
    if target_type not in CLICK_TARGETS:
        raise InvalidInput(
            f"target_type must be one of {sorted(CLICK_TARGETS)}, got {target_type!r}", field="target_type"
        )
    if target_id < 1:
        raise InvalidInput("target_id must be a positive id", field="target_id")
    if not 0 <= position <= 10_000:
        raise InvalidInput("position must be between 0 and 10000", field="position")
    click = SearchClick(search_id=search_id, target_type=target_type, target_id=target_id, position=position)
    session.add(click)
    session.execute(
        update(SearchLog).where(SearchLog.id == search_id).values(click_count=SearchLog.click_count + 1)
    )
    if user is not None:
        record_event(
            session,
            user.id,
            "click",
            CLICK_TARGETS[target_type],
            target_id,
            {"search_id": search_id, "position": position},
        )
    session.flush()
    return click


# -- reading the log ----------------------------------------------------------------------------

STATS_DAYS = 30


@dataclass(frozen=True)
class DayShare:
    """Searches on one day and how many of them were long-tail."""

    day: str
    searches: int
    long_tail: int

    @property
    def share(self) -> float:
        return self.long_tail / self.searches if self.searches else 0.0


@dataclass
class SearchStats:
    """What the search log says: long-tail share per day, top and no-result queries, click-through."""

    days: list[DayShare]
    top_queries: list[tuple[str, int]]
    no_result_queries: list[tuple[str, int]]
    searches: int
    searches_with_click: int
    long_tail_share: float

    @property
    def click_through_rate(self) -> float:
        return self.searches_with_click / self.searches if self.searches else 0.0


def _top(session: Session, since: datetime, *where: Any, limit: int) -> list[tuple[str, int]]:
    q = func.lower(SearchLog.query)
    rows = session.execute(
        select(q, func.count())
        .where(SearchLog.created_at >= since, *where)
        .group_by(q)
        .order_by(func.count().desc(), q)
        .limit(limit)
    )
    return [(str(text_), int(n)) for text_, n in rows]


def search_stats(
    session: Session, *, days: int = STATS_DAYS, limit: int = 20, now: datetime | None = None
) -> SearchStats:
    """Aggregates over the last `days` days (no person is named: queries and counts only)."""
    if not 1 <= days <= 365:
        raise InvalidInput("days must be between 1 and 365", field="days")
    since = (now or utcnow()) - timedelta(days=days)
    day = func.date(SearchLog.created_at)
    long_tail = func.sum(case((SearchLog.is_long_tail, 1), else_=0))
    per_day = [
        DayShare(str(d), int(n), int(lt or 0))
        for d, n, lt in session.execute(
            select(day, func.count(), long_tail)
            .where(SearchLog.created_at >= since)
            .group_by(day)
            .order_by(day)
        )
    ]
    total, clicked, tail = session.execute(
        select(func.count(), func.sum(case((SearchLog.click_count > 0, 1), else_=0)), long_tail).where(
            SearchLog.created_at >= since
        )
    ).one()
    return SearchStats(
        days=per_day,
        top_queries=_top(session, since, limit=limit),
        no_result_queries=_top(session, since, SearchLog.result_count == 0, limit=limit),
        searches=int(total or 0),
        searches_with_click=int(clicked or 0),
        long_tail_share=(int(tail or 0) / int(total)) if total else 0.0,
    )


def popular_queries(
    session: Session, prefix: str = "", *, containing: Sequence[str] = (), limit: int = 8, days: int = 90
) -> list[str]:
    """Queries that found something, most searched first: starting with `prefix`, or containing
    any of `containing` (for related searches). LIKE wildcards in the input are escaped."""
    q = func.lower(SearchLog.query)
    where: list[Any] = [SearchLog.result_count > 0, SearchLog.created_at >= utcnow() - timedelta(days=days)]
    if prefix:
        where.append(q.like(_escape(prefix.lower()) + "%", escape="\\"))
    if containing:
        where.append(or_(*(q.like("%" + _escape(t.lower()) + "%", escape="\\") for t in containing)))
    rows = session.execute(select(q).where(*where).group_by(q).order_by(func.count().desc(), q).limit(limit))
    return [str(r[0]) for r in rows]


def _escape(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
