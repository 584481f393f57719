"""The search log: every search and every click on a result, for insight into long-tail needs."""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.activity.models import SearchClick, SearchLog
from nichely.activity.service import record_event
from nichely.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound

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
    session: Session, user: User | None, query: str, language: str, result_count: int
) -> SearchLog:
    """Record one search in the caller's transaction."""
    entry = SearchLog(
        user_id=user.id if user else None,
        query=query,
        language=language,
        is_long_tail=is_long_tail(query),
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
    entry = session.get(SearchLog, search_id)
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
