"""The online half of the feed: the latest trained state per process, and a person's recent activity.

Workers keep the trained state in memory and look at the file's modification time at most every
`CHECK_SECONDS`, so a retrain reaches every worker within a minute without a restart. What a
person did since the last training (likes, saves, comments, follows, views) is read from the
store at request time, so it changes their next feed at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from nichely.accounts.models import Follow
from nichely.activity.models import Event
from nichely.recommend.feedstate import FeedState, load_state

CHECK_SECONDS = 30.0
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


@dataclass
class Activity:
    """What a person did recently, newest first, as of a moment."""

    follows: list[int] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    engaged: list[tuple[int, str]] = field(default_factory=list)  # (note id, kind), newest first


def read_activity(session: Session, user_id: int, as_of: datetime, limit: int = RECENT_EVENTS) -> Activity:
    """Follows and the latest events of one person up to `as_of` (two indexed queries)."""
    follows = list(session.scalars(select(Follow.followee_id).where(Follow.follower_id == user_id)))
    rows = session.execute(
        select(Event.kind, Event.target_id)
        .where(Event.user_id == user_id, Event.created_at <= as_of, Event.target_type == "note")
        .order_by(Event.created_at.desc(), Event.id.desc())
        .limit(limit)
    ).all()
    activity = Activity(follows=follows)
    for kind, note_id in rows:
        activity.seen.add(note_id)
        if kind in ENGAGING:
            activity.engaged.append((note_id, kind))
    return activity
