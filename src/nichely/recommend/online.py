"""The online half of the feed: the latest trained state per process, and a person's recent activity.

Workers keep the trained state in memory and look at the file's modification time at most every
`CHECK_SECONDS`, so a retrain reaches every worker within a minute without a restart. What a
person did since the last training (likes, saves, comments, follows, views) is read from the
store at request time, so it changes their next feed at once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from nichely.accounts.models import Follow
from nichely.activity.models import Event
from nichely.recommend.feedstate import FeedState, load_state

CHECK_SECONDS = 30.0
# A person's ranked feed is reused for this long while they do nothing (any event or follow of
# theirs drops it at once); new notes by others therefore reach a refresh within half a minute.
RANKING_SECONDS = 30.0
# Pages after the first continue the ranking of the first page's moment, so it stays valid longer.
CURSOR_SECONDS = 600.0
RANKING_PEOPLE = 4096
RECENT_EVENTS = 400
# Actions that count as engagement (views only mark a note as seen).
ENGAGING = ("like", "save", "comment", "share", "purchase")


class StateHolder:
    """The feed state for this process: given directly (tests) or loaded from a file and reloaded when it changes."""

    def __init__(self, path: Path | None = None, state: FeedState | None = None) -> None:
        self.path = path
        self._state = state
        self._mtime: float | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def get(self) -> FeedState | None:
        """The newest state, or None before any training."""
        if self.path is None:
            return self._state
        now = time.monotonic()
        if self._state is not None and now - self._checked < CHECK_SECONDS:
            return self._state
        with self._lock:
            self._checked = now
            try:
                mtime = self.path.stat().st_mtime
            except OSError:
                return self._state
            if mtime != self._mtime:
                self._state = load_state(self.path)
                self._mtime = mtime
        return self._state

    def set(self, state: FeedState | None) -> None:
        """Replace the state in memory (after training in-process)."""
        self._state = state


@dataclass(frozen=True)
class CachedRanking:
    """A ranking computed as of `as_of`, final for its first `depth` items, for one state and activity."""

    as_of: datetime
    marker: tuple[Any, ...]
    depth: int
    items: Sequence[Any]
    made: float


class RankingCache:
    """Per-process cache of each person's ranked feed (least recently used people dropped first).

    A first page reuses the ranking while it is younger than `ttl` and the person's activity
    marker (their events and follows) is unchanged, so their own like, save or follow changes the
    next feed at once. A later page reuses it when its cursor carries the same moment. A new
    trained state empties the cache.
    """

    def __init__(
        self, ttl: float = RANKING_SECONDS, cursor_ttl: float = CURSOR_SECONDS, size: int = RANKING_PEOPLE
    ) -> None:
        self.ttl, self.cursor_ttl, self.size = ttl, cursor_ttl, size
        self._entries: OrderedDict[int, CachedRanking] = OrderedDict()
        self._state_key: int | None = None
        self._lock = threading.Lock()

    def _check_state(self, state: object) -> None:
        if id(state) != self._state_key:
            self._entries.clear()
            self._state_key = id(state)

    def get(
        self,
        state: object,
        user_id: int,
        depth: int,
        *,
        marker: tuple[Any, ...] | None,
        as_of: datetime | None,
    ) -> CachedRanking | None:
        """The cached ranking for a first page (`marker` given) or a later page (`as_of` given), if still valid."""
        now = time.monotonic()
        with self._lock:
            self._check_state(state)
            entry = self._entries.get(user_id)
            if entry is None or entry.depth < depth:
                return None
            if as_of is not None:
                valid = entry.as_of == as_of and now - entry.made < self.cursor_ttl
            else:
                valid = entry.marker == marker and now - entry.made < self.ttl
            if not valid:
                return None
            self._entries.move_to_end(user_id)
            return entry

    def put(
        self,
        state: object,
        user_id: int,
        as_of: datetime,
        marker: tuple[Any, ...],
        depth: int,
        items: Sequence[Any],
    ) -> None:
        """Remember a person's ranking."""
        with self._lock:
            self._check_state(state)
            self._entries[user_id] = CachedRanking(as_of, marker, depth, items, time.monotonic())
            self._entries.move_to_end(user_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


@dataclass
class Activity:
    """What a person did recently, newest first, as of a moment."""

    follows: list[int] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    engaged: list[tuple[int, str]] = field(default_factory=list)  # (note id, kind), newest first


def core_rows(session: Session, stmt: Executable) -> Sequence[Any]:
    """All rows of a Core statement on the session's connection, fetched at once.

    No ORM result processing, and one `fetchall` rather than a `fetchone` per row, which is what
    iterating a result does: on the feed's few hundred rows per query that is most of the cost.
    """
    return session.connection().execute(stmt).all()


FOLLOWS = Follow.__table__
EVENTS = Event.__table__


def read_follows(session: Session, user_id: int) -> list[int]:
    """The people this person follows (Core rows: no ORM objects on the request path)."""
    rows = core_rows(session, select(FOLLOWS.c.followee_id).where(FOLLOWS.c.follower_id == user_id))
    return [int(row[0]) for row in rows]


def activity_marker(session: Session, user_id: int) -> tuple[int, int]:
    """How many events the person has and the newest one's id: changes with every like, save, follow or view."""
    count, newest = core_rows(
        session, select(func.count(), func.max(EVENTS.c.id)).where(EVENTS.c.user_id == user_id)
    )[0]
    return int(count or 0), int(newest or 0)


def read_activity(
    session: Session,
    user_id: int,
    as_of: datetime,
    limit: int = RECENT_EVENTS,
    follows: list[int] | None = None,
) -> Activity:
    """Follows (unless given) and the latest events of one person up to `as_of` (indexed, Core rows)."""
    if follows is None:
        follows = read_follows(session, user_id)
    rows = core_rows(
        session,
        select(EVENTS.c.kind, EVENTS.c.target_id)
        .where(EVENTS.c.user_id == user_id, EVENTS.c.created_at <= as_of, EVENTS.c.target_type == "note")
        .order_by(EVENTS.c.created_at.desc(), EVENTS.c.id.desc())
        .limit(limit),
    )
    activity = Activity(follows=follows)
    for kind, note_id in rows:
        activity.seen.add(note_id)
        if kind in ENGAGING:
            activity.engaged.append((note_id, kind))
    return activity
