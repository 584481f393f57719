"""The moderators' side of trust: one queue of reports and automatic flags, decisions with
violation points, suspension at a threshold, and appeals.

Every decision writes a ModerationAction (the audit log) in the same transaction as the change,
then rescores what it touched, so reach drops (or recovers) as soon as the decision commits.

Actions: clear (the flags and reports were wrong), hide (with points), warn (with points), add
points; at SUSPEND_AT decayed points the account is suspended. Authors may appeal a hide or a
warning once; accepting restores the note and voids the points of that decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import Session

from nichely.accounts.models import User
from nichely.community import moderation
from nichely.community.models import ModerationAction, Note, Report
from nichely.community.service import check_text
from nichely.errors import Conflict, Forbidden, InvalidInput, NotFound
from nichely.search.index import index_note, index_user
from nichely.storage.base import utcnow
from nichely.storage.ids import get_by_id
from nichely.storage.pagination import check_limit, decode_key, encode_key, page
from nichely.trust import service
from nichely.trust.models import Appeal, TrustFlag, TrustScore, Violation
from nichely.trust.scores import NEUTRAL, SUSPEND_AT

HIDE_POINTS = 2.0
WARN_POINTS = 1.0
MAX_POINTS = 20.0
APPEALABLE = ("hide_note", "warn")
# The queue's orders: riskiest first (lowest trust, most open reports, then newest) or newest first.
QUEUE_SORTS = ("risk", "newest")


def _require_moderator(user: User) -> None:
    if not user.has_role("moderator"):
        raise Forbidden("only moderators may do this")


def _reason(reason: str) -> str:
    return check_text(reason, "reason", moderation.MAX_REASON)


def _points(points: float) -> float:
    try:
        value = float(points)
    except (TypeError, ValueError):
        raise InvalidInput("points must be a number", field="points") from None
    if not 0 <= value <= MAX_POINTS:
        raise InvalidInput(f"points must be between 0 and {MAX_POINTS:.0f}", field="points")
    return value


# -- the queue ---------------------------------------------------------------------------------------


@dataclass
class QueueItem:
    """A note that needs a moderator: its open reports and flags, and the trust of note and author."""

    note: Note
    author: User
    reports: list[Report]
    reporters: dict[int, User]
    flags: list[TrustFlag]
    trust: TrustScore | None
    author_trust: TrustScore | None


@dataclass
class AccountItem:
    """An account flagged on its own (a ring member), with its trust and points."""

    user: User
    flags: list[TrustFlag]
    trust: TrustScore | None
    points: float


@dataclass
class ReviewQueue:
    items: list[QueueItem]
    accounts: list[AccountItem] = field(default_factory=list)
    next_cursor: str | None = None


def _open_flag_notes():  # type: ignore[no-untyped-def]
    return select(TrustFlag.subject_id).where(TrustFlag.subject_type == "note", TrustFlag.status == "open")


def _queue_risk():  # type: ignore[no-untyped-def]
    """The note's trust (NEUTRAL until scored) and its open reports, as SQL the queue sorts on."""
    trust = func.coalesce(
        select(TrustScore.score)
        .where(TrustScore.kind == "note", TrustScore.ref_id == Note.id)
        .scalar_subquery(),
        NEUTRAL,
    )
    reports = (
        select(func.count())
        .select_from(Report)
        .where(Report.note_id == Note.id, Report.status == "open")
        .scalar_subquery()
    )
    return trust, reports


def _riskiest_first(
    session: Session, stmt: Select[Any], limit: int, cursor: str | None
) -> tuple[list[Note], str | None]:
    """Lowest trust first, then most open reports, then newest; the cursor is the last row's key
    (trust, reports, id), so notes decided between pages shift nothing."""
    check_limit(limit)
    trust, reports = _queue_risk()
    after = decode_key(cursor, 3)
    if after is not None:
        score, count, note_id = after
        stmt = stmt.where(
            or_(
                trust > score,
                and_(trust == score, reports < count),
                and_(trust == score, reports == count, Note.id < note_id),
            )
        )
    rows = session.execute(
        stmt.add_columns(trust, reports)
        .order_by(trust.asc(), reports.desc(), Note.id.desc())
        .limit(limit + 1)
    ).all()
    notes = [row[0] for row in rows[:limit]]
    if len(rows) <= limit:
        return notes, None
    last = rows[limit - 1]
    return notes, encode_key([float(last[1]), int(last[2]), int(last[0].id)])


def review_queue(
    session: Session,
    moderator: User,
    *,
    limit: int = 20,
    cursor: str | None = None,
    sort: str = "risk",
) -> ReviewQueue:
    """Notes with open reports or open automatic flags, riskiest first (`sort="newest"`: newest
    first); flagged accounts on page one."""
    _require_moderator(moderator)
    if sort not in QUEUE_SORTS:
        raise InvalidInput(f"sort must be one of {list(QUEUE_SORTS)}, got {sort!r}", field="sort")
    stmt = select(Note).where(
        Note.status == "published",
        or_(
            Note.id.in_(select(Report.note_id).where(Report.status == "open")),
            Note.id.in_(_open_flag_notes()),
        ),
    )
    if sort == "risk":
        notes, next_cursor = _riskiest_first(session, stmt, limit, cursor)
    else:
        notes, next_cursor = page(session, stmt, Note.id, limit, cursor)
    ids = [n.id for n in notes]
    reports = list(session.scalars(select(Report).where(Report.note_id.in_(ids), Report.status == "open")))
    flags = list(
        session.scalars(
            select(TrustFlag).where(
                TrustFlag.subject_type == "note", TrustFlag.subject_id.in_(ids), TrustFlag.status == "open"
            )
        )
    )
    people_ids = {n.author_id for n in notes} | {r.reporter_id for r in reports}
    people = {u.id: u for u in session.scalars(select(User).where(User.id.in_(people_ids)))}
    scores = {
        (s.kind, s.ref_id): s
        for s in session.scalars(
            select(TrustScore).where(
                or_(
                    (TrustScore.kind == "note") & TrustScore.ref_id.in_(ids),
                    (TrustScore.kind == "user") & TrustScore.ref_id.in_({n.author_id for n in notes}),
                )
            )
        )
    }
    items = [
        QueueItem(
            note=n,
            author=people[n.author_id],
            reports=sorted((r for r in reports if r.note_id == n.id), key=lambda r: r.id),
            reporters=people,
            flags=sorted((f for f in flags if f.subject_id == n.id), key=lambda f: -f.score),
            trust=scores.get(("note", n.id)),
            author_trust=scores.get(("user", n.author_id)),
        )
        for n in notes
    ]
    accounts = flagged_accounts(session, moderator) if cursor is None else []
    return ReviewQueue(items, accounts, next_cursor)


def flagged_accounts(session: Session, moderator: User, limit: int = 100) -> list[AccountItem]:
    """Active accounts with open flags of their own (ring members), grouped by ring."""
    _require_moderator(moderator)
    flags = list(
        session.scalars(
            select(TrustFlag)
            .where(TrustFlag.subject_type == "user", TrustFlag.status == "open")
            .order_by(TrustFlag.group_key, TrustFlag.subject_id)
            .limit(limit)
        )
    )
    ids = {f.subject_id for f in flags}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids), User.status == "active"))}
    scores = {
        s.ref_id: s
        for s in session.scalars(
            select(TrustScore).where(TrustScore.kind == "user", TrustScore.ref_id.in_(ids))
        )
    }
    out = []
    for user_id in dict.fromkeys(f.subject_id for f in flags):
        if user_id in users:
            out.append(
                AccountItem(
                    users[user_id],
                    [f for f in flags if f.subject_id == user_id],
                    scores.get(user_id),
                    round(service.current_points(session, user_id), 2),
                )
            )
    return out


# -- decisions ---------------------------------------------------------------------------------------


def _log(
    session: Session, moderator: User, action: str, reason: str, *, note_id: int | None, user_id: int | None
) -> ModerationAction:
    entry = ModerationAction(
        moderator_id=moderator.id, note_id=note_id, user_id=user_id, action=action, reason=reason
    )
    session.add(entry)
    session.flush()
    return entry


def _note(session: Session, note_id: int) -> Note:
    note = get_by_id(session, Note, note_id)
    if note is None:
        raise NotFound(f"note {note_id} does not exist")
    return note


def _user(session: Session, user_id: int) -> User:
    user = get_by_id(session, User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def _set_flags(session: Session, subject_type: str, subject_id: int, status: str) -> None:
    session.execute(
        update(TrustFlag)
        .where(
            TrustFlag.subject_type == subject_type,
            TrustFlag.subject_id == subject_id,
            TrustFlag.status == "open",
        )
        .values(status=status, updated_at=utcnow())
    )


def _give_points(
    session: Session, moderator: User, user: User, points: float, reason: str, action: ModerationAction
) -> None:
    if points <= 0:
        return
    session.add(Violation(user_id=user.id, points=points, reason=reason, action_id=action.id))
    session.flush()
    if user.status == "active" and service.current_points(session, user.id) >= SUSPEND_AT:
        user.status = "suspended"
        _log(
            session,
            moderator,
            "suspend",
            f"{SUSPEND_AT:.0f} or more violation points",
            note_id=action.note_id,
            user_id=user.id,
        )
        session.flush()
        index_user(session, user.id)
    user.violation_points = round(service.current_points(session, user.id))


def clear_note(session: Session, moderator: User, note_id: int, reason: str) -> ModerationAction:
    """The flags and reports on a note were wrong: clear the flags, dismiss the reports, on the record."""
    _require_moderator(moderator)
    reason = _reason(reason)
    note = _note(session, note_id)
    _set_flags(session, "note", note_id, "cleared")
    session.execute(
        update(Report).where(Report.note_id == note_id, Report.status == "open").values(status="dismissed")
    )
    entry = _log(session, moderator, "clear", reason, note_id=note_id, user_id=note.author_id)
    service.note_changed(session, note_id)
    return entry


def hide_note(
    session: Session, moderator: User, note_id: int, reason: str, points: float = HIDE_POINTS
) -> ModerationAction:
    """Hide a note (resolving its reports and flags) and give its author violation points."""
    _require_moderator(moderator)
    points = _points(points)
    entry = moderation.hide_note(session, moderator, note_id, reason)
    _set_flags(session, "note", note_id, "actioned")
    author = _user(session, _note(session, note_id).author_id)
    _give_points(session, moderator, author, points, entry.reason, entry)
    index_note(session, note_id)
    service.user_changed(session, author.id)
    return entry


def restore_note(session: Session, moderator: User, note_id: int, reason: str) -> ModerationAction:
    """Put a hidden note back (the points of its hide stay unless an appeal is accepted)."""
    entry = moderation.restore_note(session, moderator, note_id, reason)
    index_note(session, note_id)
    service.user_changed(session, _note(session, note_id).author_id)
    return entry


def warn(
    session: Session,
    moderator: User,
    user_id: int,
    reason: str,
    *,
    note_id: int | None = None,
    points: float = WARN_POINTS,
) -> ModerationAction:
    """Warn a person (about one of their notes, if given), with violation points."""
    _require_moderator(moderator)
    reason = _reason(reason)
    points = _points(points)
    user = _user(session, user_id)
    if note_id is not None and _note(session, note_id).author_id != user_id:
        raise InvalidInput(f"note {note_id} was not written by user {user_id}", field="note_id")
    entry = _log(session, moderator, "warn", reason, note_id=note_id, user_id=user_id)
    _give_points(session, moderator, user, points, reason, entry)
    if note_id is not None:
        _set_flags(session, "note", note_id, "actioned")
        session.execute(
            update(Report).where(Report.note_id == note_id, Report.status == "open").values(status="resolved")
        )
    service.user_changed(session, user_id)
    return entry


def add_points(
    session: Session, moderator: User, user_id: int, points: float, reason: str
) -> ModerationAction:
    """Give a person violation points; enough of them reduce reach, then suspend the account."""
    _require_moderator(moderator)
    reason = _reason(reason)
    points = _points(points)
    if points <= 0:
        raise InvalidInput("points must be more than 0", field="points")
    user = _user(session, user_id)
    entry = _log(
        session, moderator, "add_points", f"{points:g} points: {reason}", note_id=None, user_id=user_id
    )
    _give_points(session, moderator, user, points, reason, entry)
    service.user_changed(session, user_id)
    return entry


def clear_account(session: Session, moderator: User, user_id: int, reason: str) -> ModerationAction:
    """An account's own flags (ring membership) were wrong: clear them, on the record."""
    _require_moderator(moderator)
    reason = _reason(reason)
    _user(session, user_id)
    _set_flags(session, "user", user_id, "cleared")
    entry = _log(session, moderator, "clear", reason, note_id=None, user_id=user_id)
    service.user_changed(session, user_id)
    return entry


# -- appeals -----------------------------------------------------------------------------------------


def _latest_decision(session: Session, note: Note, author_id: int) -> ModerationAction | None:
    """The latest hide or warning given to `author_id` about `note`."""
    return session.scalar(
        select(ModerationAction)
        .where(
            ModerationAction.note_id == note.id,
            ModerationAction.user_id == author_id,
            ModerationAction.action.in_(APPEALABLE),
        )
        .order_by(ModerationAction.id.desc())
        .limit(1)
    )


def _appeal_of(session: Session, action_id: int) -> Appeal | None:
    return session.scalar(select(Appeal).where(Appeal.action_id == action_id))


def _in_force(action: ModerationAction, note: Note | None) -> bool:
    """A warning stands once given; a hide only while the note is still hidden."""
    return action.action != "hide_note" or (note is not None and note.status == "hidden")


def appeal(session: Session, author: User, note_id: int, reason: str) -> Appeal:
    """Ask moderators to look again at the latest hide or warning on a note you wrote."""
    reason = _reason(reason)
    note = get_by_id(session, Note, note_id)
    if note is None or note.author_id != author.id or note.status == "deleted":
        raise NotFound(f"note {note_id} does not exist")
    action = _latest_decision(session, note, author.id)
    if action is None or not _in_force(action, note):
        raise Conflict(f"note {note_id} has no hide or warning to appeal")
    if _appeal_of(session, action.id) is not None:
        raise Conflict("this decision has already been appealed")
    entry = Appeal(user_id=author.id, note_id=note_id, action_id=action.id, reason=reason, status="open")
    session.add(entry)
    session.flush()
    return entry


@dataclass
class AuthorDecision:
    """A hide or warning as its author sees it: the moderator's reason, the appeal against it (if
    any) and whether it may be appealed now."""

    action: ModerationAction
    note: Note | None
    appeal: Appeal | None
    can_appeal: bool


@dataclass
class DecisionPage:
    items: list[AuthorDecision]
    next_cursor: str | None


def _as_author_sees(
    session: Session, action: ModerationAction, note: Note | None, latest: bool
) -> AuthorDecision:
    found = _appeal_of(session, action.id)
    in_force = note is not None and note.status != "deleted" and _in_force(action, note)
    return AuthorDecision(action, note, found, latest and in_force and found is None)


def decision_on_note(session: Session, author: User, note_id: int) -> AuthorDecision | None:
    """For the author of a note: the hide or warning on it that still matters (in force, or
    appealed), or None; anyone else gets None."""
    note = get_by_id(session, Note, note_id)
    if note is None or note.author_id != author.id or note.status == "deleted":
        return None
    action = _latest_decision(session, note, author.id)
    if action is None:
        return None
    decision = _as_author_sees(session, action, note, latest=True)
    # A hide a moderator later undid on their own is no longer the author's concern.
    if not _in_force(action, note) and decision.appeal is None:
        return None
    return decision


def my_decisions(session: Session, user: User, *, limit: int = 20, cursor: str | None = None) -> DecisionPage:
    """Every hide or warning `user` was given about their notes, newest first, each with its
    appeal and whether it may still be appealed."""
    actions, next_cursor = page(
        session,
        select(ModerationAction).where(
            ModerationAction.user_id == user.id,
            ModerationAction.action.in_(APPEALABLE),
            ModerationAction.note_id.is_not(None),
        ),
        ModerationAction.id,
        limit,
        cursor,
    )
    notes = {
        n.id: n
        for n in session.scalars(select(Note).where(Note.id.in_({a.note_id for a in actions if a.note_id})))
    }
    items = []
    for action in actions:
        note = notes.get(action.note_id or 0)
        latest = note is not None and (
            (last := _latest_decision(session, note, user.id)) is not None and last.id == action.id
        )
        items.append(_as_author_sees(session, action, note, latest))
    return DecisionPage(items, next_cursor)


@dataclass
class AppealItem:
    appeal: Appeal
    action: ModerationAction
    author: User
    note: Note | None


@dataclass
class AppealPage:
    items: list[AppealItem]
    next_cursor: str | None


def list_appeals(
    session: Session, moderator: User, *, status: str = "open", limit: int = 20, cursor: str | None = None
) -> AppealPage:
    """Appeals in one status, newest first, with the decision appealed."""
    _require_moderator(moderator)
    if status not in ("open", "accepted", "rejected"):
        raise InvalidInput("status must be open, accepted or rejected", field="status")
    appeals, next_cursor = page(
        session, select(Appeal).where(Appeal.status == status), Appeal.id, limit, cursor
    )
    items = []
    for a in appeals:
        action = session.get(ModerationAction, a.action_id)
        assert action is not None
        items.append(
            AppealItem(
                a, action, _user(session, a.user_id), session.get(Note, a.note_id) if a.note_id else None
            )
        )
    return AppealPage(items, next_cursor)


def decide_appeal(
    session: Session, moderator: User, appeal_id: int, accept: bool, reason: str
) -> ModerationAction:
    """Accept (restore the note, void the decision's points) or reject an open appeal."""
    _require_moderator(moderator)
    reason = _reason(reason)
    entry = get_by_id(session, Appeal, appeal_id)
    if entry is None:
        raise NotFound(f"appeal {appeal_id} does not exist")
    if entry.status != "open":
        raise Conflict(f"appeal {appeal_id} is already {entry.status}")
    action = session.get(ModerationAction, entry.action_id)
    assert action is not None
    entry.status = "accepted" if accept else "rejected"
    entry.decided_by, entry.decided_at, entry.decision_reason = moderator.id, utcnow(), reason
    if accept:
        session.execute(update(Violation).where(Violation.action_id == action.id).values(voided=True))
        note = session.get(Note, entry.note_id) if entry.note_id else None
        if action.action == "hide_note" and note is not None and note.status == "hidden":
            moderation.restore_note(session, moderator, note.id, f"appeal {appeal_id} accepted: {reason}")
            index_note(session, note.id)
        user = _user(session, entry.user_id)
        user.violation_points = round(service.current_points(session, user.id))
    logged = _log(
        session,
        moderator,
        "appeal_accepted" if accept else "appeal_rejected",
        reason,
        note_id=entry.note_id,
        user_id=entry.user_id,
    )
    service.user_changed(session, entry.user_id)
    return logged
