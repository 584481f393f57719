"""Recording what people do: the event log read by ranking, feed and insight."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from nichely.activity.models import EVENT_KINDS, TARGET_TYPES, Event


def record_event(
    session: Session,
    user_id: int | None,
    kind: str,
    target_type: str,
    target_id: int,
    context: dict[str, Any] | None = None,
) -> Event:
    """Append one event in the caller's transaction, so the event exists iff the action committed."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}; choose from {list(EVENT_KINDS)}")
    if target_type not in TARGET_TYPES:
        raise ValueError(f"unknown target type {target_type!r}; choose from {list(TARGET_TYPES)}")
    event = Event(
        user_id=user_id, kind=kind, target_type=target_type, target_id=target_id, context=context or {}
    )
    session.add(event)
    return event
