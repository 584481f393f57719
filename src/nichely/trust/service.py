"""Running the authenticity layer over the store: full recompute, incremental updates, reading scores.

* `score_all(db)` (`nichely trust score`): rebuild the near-duplicate index, find rings, check every
  note for undisclosed ads, run the configured text detectors, then score every person and note.
* `note_created`, `note_changed`, `user_changed`: the incremental path, called by the web layer
  after a note is written, reported or moderated (explicit calls, no signals).
* `trust_for_notes` / `trust_for_users`: what search and feed ranking read.

Flags keep a moderator's decision: recomputing never reopens a flag a moderator cleared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from nichely.accounts.models import Follow, User
from nichely.catalog.models import Product, Shop
from nichely.commerce.models import Order
from nichely.community.models import ModerationAction, Note, NoteProduct, Reaction, Report
from nichely.storage.base import utcnow
from nichely.storage.engine import Database
from nichely.trust import duplicates, rings, signals, textmodels
from nichely.trust.models import DetectorVerdict, TrustFlag, TrustScore, Violation
from nichely.trust.scores import (
    NEUTRAL,
    DetectorOutput,
    NoteEvidence,
    UserEvidence,
    decayed_points,
    note_score,
    user_score,
)
from nichely.trust.synthetic import NOTE, PRODUCT, target_key

Progress = Callable[[str, int, int], None]
BATCH = 5000


# -- reading ---------------------------------------------------------------------------------------


def _scores(session: Session, kind: str, ids: Iterable[int]) -> dict[int, float]:
    wanted = sorted(set(ids))
    found: dict[int, float] = {}
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        rows = session.execute(
            select(TrustScore.ref_id, TrustScore.score).where(
                TrustScore.kind == kind, TrustScore.ref_id.in_(chunk)
            )
        )
        found.update({int(i): float(s) for i, s in rows})
    return {i: found.get(i, NEUTRAL) for i in wanted}


def trust_for_notes(session: Session, note_ids: Iterable[int]) -> dict[int, float]:
    """Trust 0..1 of each note (NEUTRAL for notes not scored yet)."""
    return _scores(session, "note", note_ids)


def trust_for_users(session: Session, user_ids: Iterable[int]) -> dict[int, float]:
    """Trust 0..1 of each person (NEUTRAL for people not scored yet)."""
    return _scores(session, "user", user_ids)


def get_score(session: Session, kind: str, ref_id: int) -> TrustScore | None:
    """The stored score row (with reasons) of one note or person, or None."""
    return session.get(TrustScore, (kind, ref_id))


def current_points(session: Session, user_id: int, now: datetime | None = None) -> float:
    """A person's violation points now, after decay."""
    now = now or utcnow()
    rows = session.execute(
        select(Violation.points, Violation.created_at).where(
            Violation.user_id == user_id, Violation.voided.is_(False)
        )
    )
    return decayed_points([(p, (now - at).total_seconds() / 86400) for p, at in rows])


# -- flags -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A flag the detectors want on a subject now."""

    score: float
    reasons: list[str]
    group_key: str | None = None


def sync_flags(
    session: Session,
    kind: str,
    subject_type: str,
    found: dict[int, Found],
    scope: Sequence[int] | None = None,
) -> None:
    """Make the stored flags of `kind` match `found` (within `scope` ids, or everywhere).

    New evidence opens a flag; changed evidence updates it; an open flag whose evidence is gone is
    removed; a flag a moderator cleared or acted on keeps its status.
    """
    stmt = select(TrustFlag).where(TrustFlag.kind == kind, TrustFlag.subject_type == subject_type)
    if scope is not None:
        stmt = stmt.where(TrustFlag.subject_id.in_(list(scope)))
    existing = {f.subject_id: f for f in session.scalars(stmt)}
    now = utcnow()
    new_rows = []
    for subject_id, f in found.items():
        flag = existing.get(subject_id)
        if flag is None:
            new_rows.append(
                {
                    "subject_type": subject_type,
                    "subject_id": subject_id,
                    "kind": kind,
                    "group_key": f.group_key,
                    "score": f.score,
                    "reasons": f.reasons,
                    "status": "open",
                    "created_at": now,
                    "updated_at": now,
                }
            )
        elif (flag.score, flag.reasons, flag.group_key) != (f.score, f.reasons, f.group_key):
            flag.score, flag.reasons, flag.group_key, flag.updated_at = f.score, f.reasons, f.group_key, now
    gone = [flag.id for sid, flag in existing.items() if sid not in found and flag.status == "open"]
    if gone:
        session.execute(delete(TrustFlag).where(TrustFlag.id.in_(gone)))
    for start in range(0, len(new_rows), BATCH):
        session.execute(insert(TrustFlag), new_rows[start : start + BATCH])
    session.flush()


# -- detectors over the store ------------------------------------------------------------------------


def _shops_of_notes(session: Session, note_ids: Sequence[int] | None) -> dict[int, set[int]]:
    stmt = select(NoteProduct.note_id, Product.shop_id).join(Product, Product.id == NoteProduct.product_id)
    if note_ids is not None:
        stmt = stmt.where(NoteProduct.note_id.in_(list(note_ids)))
    out: dict[int, set[int]] = defaultdict(set)
    for note_id, shop_id in session.execute(stmt):
        out[note_id].add(shop_id)
    return out


def ad_context(
    session: Session, shop_ids: Iterable[int] | None = None, since: datetime | None = None
) -> signals.AdContext:
    """Managers, shop names, declared sponsorships, and shop pushes by new accounts."""
    ctx = signals.AdContext()
    for shop_id, manager_id, name in session.execute(select(Shop.id, Shop.manager_id, Shop.name)):
        ctx.managers[shop_id] = manager_id
        ctx.shop_names[shop_id] = name
    for author_id, sponsor_id in session.execute(
        select(Note.author_id, Note.sponsor_shop_id).where(Note.disclosure != "none").distinct()
    ):
        if sponsor_id is not None:
            ctx.declared.setdefault(author_id, set()).add(sponsor_id)
    stmt = (
        select(Note.id, Note.author_id, Product.shop_id, Note.created_at, User.created_at)
        .join(NoteProduct, NoteProduct.note_id == Note.id)
        .join(Product, Product.id == NoteProduct.product_id)
        .join(User, User.id == Note.author_id)
        .where(Note.status == "published", Note.disclosure == "none")
    )
    if shop_ids is not None:
        stmt = stmt.where(Product.shop_id.in_(list(shop_ids)))
    if since is not None:
        stmt = stmt.where(Note.created_at >= since)
    posts = [signals.ShopPost(*row) for row in session.execute(stmt)]
    ctx.pushed = signals.pushed_notes(posts, ctx.shop_names)
    return ctx


def check_ads(session: Session, notes: Sequence[Any], ctx: signals.AdContext) -> dict[int, Found]:
    """Undisclosed-ad flags for some notes (rows with id, author_id, title, body, disclosure)."""
    shops = _shops_of_notes(session, [n.id for n in notes])
    found = {}
    for n in notes:
        facts = signals.NoteFacts(
            n.id, n.author_id, f"{n.title}\n{n.body}", n.disclosure, frozenset(shops.get(n.id, ()))
        )
        verdict = signals.assess_ad(facts, ctx)
        if verdict.flagged:
            found[n.id] = Found(verdict.score, verdict.reasons)
    return found


def duplicate_flags(session: Session, groups: list[tuple[list[int], float]]) -> dict[int, Found]:
    """Near-duplicate flags for the later notes of each group (note ids, oldest first)."""
    ids = sorted({i for members, _ in groups for i in members})
    authors: dict[int, int] = {}
    names: dict[int, str] = {}
    for start in range(0, len(ids), BATCH):
        rows = session.execute(
            select(Note.id, Note.author_id, User.username)
            .join(User, User.id == Note.author_id)
            .where(Note.id.in_(ids[start : start + BATCH]))
        )
        for note_id, author_id, username in rows:
            authors[note_id], names[note_id] = author_id, username
    found = {}
    for members, sim in groups:
        original = members[0]
        others = {authors.get(m) for m in members} - {authors.get(original)}
        for m in members[1:]:
            same = authors.get(m) == authors.get(original)
            found[m] = Found(
                round(sim, 3),
                [
                    f"near-duplicate ({sim:.0%} similar or more) of note #{original} by @{names.get(original, '?')}"
                    + (" (the same author)" if same else ""),
                    f"the group has {len(members)} notes from {len(others) + 1} accounts",
                ],
                f"duplicates:{original}",
            )
    return found


def load_activity(session: Session) -> rings.Activity:
    """Every account's sign-up time, likes and saves, reviews (notes on products) and follows."""
    users = session.execute(select(User.id, User.created_at).order_by(User.id)).all()
    user_ids = np.array([u.id for u in users], dtype=np.int64)
    position = {int(u): i for i, u in enumerate(user_ids)}
    created = np.array([u.created_at.timestamp() for u in users], dtype=float)
    actor, target, at = [], [], []
    for user_id, note_id, created_at in session.execute(
        select(Reaction.user_id, Reaction.note_id, Reaction.created_at)
    ):
        actor.append(position[user_id])
        target.append(int(target_key(NOTE, note_id)))
        at.append(created_at.timestamp())
    for author_id, product_id, created_at in session.execute(
        select(Note.author_id, NoteProduct.product_id, Note.created_at).join(
            NoteProduct, NoteProduct.note_id == Note.id
        )
    ):
        actor.append(position[author_id])
        target.append(int(target_key(PRODUCT, product_id)))
        at.append(created_at.timestamp())
    follows = session.execute(select(Follow.follower_id, Follow.followee_id)).all()
    return rings.Activity(
        user_ids=user_ids,
        created=created,
        actor=np.array(actor, dtype=np.int64),
        target=np.array(target, dtype=np.int64),
        at=np.array(at, dtype=float),
        follower=np.array([position[f] for f, _ in follows], dtype=np.int64),
        followee=np.array([position[f] for _, f in follows], dtype=np.int64),
    )


def ring_flags(found: list[rings.Ring]) -> dict[int, Found]:
    """One flag per ring member, keyed by the ring's first account."""
    out = {}
    for ring in found:
        key = f"ring:{ring.user_ids[0]}"
        for user_id in ring.user_ids:
            out[user_id] = Found(ring.score, ring.reasons, key)
    return out


# -- scoring from the store --------------------------------------------------------------------------


def _counts(session: Session, stmt) -> dict[int, int]:  # type: ignore[no-untyped-def]
    return {int(k): int(n) for k, n in session.execute(stmt)}


def score_users(
    session: Session, user_ids: Sequence[int] | None = None, now: datetime | None = None
) -> dict[int, float]:
    """Score people (all, or `user_ids`) from the store and write their scores."""
    now = now or utcnow()
    stmt = select(User.id, User.created_at, User.status)
    if user_ids is not None:
        stmt = stmt.where(User.id.in_(list(user_ids)))
    people = session.execute(stmt).all()
    ids = [p.id for p in people]
    scope = (lambda col: col.in_(ids)) if user_ids is not None else (lambda col: col.isnot(None))
    delivered = _counts(
        session,
        select(Order.customer_id, func.count())
        .where(Order.status == "delivered", scope(Order.customer_id))
        .group_by(Order.customer_id),
    )
    by_status: dict[tuple[int, str], int] = {}
    for author_id, status, n in session.execute(
        select(Note.author_id, Note.status, func.count())
        .where(scope(Note.author_id))
        .group_by(Note.author_id, Note.status)
    ):
        by_status[(author_id, status)] = n
    warnings = _counts(
        session,
        select(ModerationAction.user_id, func.count())
        .where(ModerationAction.action == "warn", scope(ModerationAction.user_id))
        .group_by(ModerationAction.user_id),
    )
    ledger: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for user_id, points, at in session.execute(
        select(Violation.user_id, Violation.points, Violation.created_at).where(
            Violation.voided.is_(False), scope(Violation.user_id)
        )
    ):
        ledger[user_id].append((points, (now - at).total_seconds() / 86400))
    ring_of: dict[int, tuple[float, str]] = {}
    for user_id, score, key in session.execute(
        select(TrustFlag.subject_id, TrustFlag.score, TrustFlag.group_key).where(
            TrustFlag.kind == "ring",
            TrustFlag.subject_type == "user",
            TrustFlag.status != "cleared",
            scope(TrustFlag.subject_id),
        )
    ):
        ring_of[user_id] = (score, key or "")
    sizes: dict[str, int] = {}
    if ring_of:
        for key, n in session.execute(
            select(TrustFlag.group_key, func.count())
            .where(TrustFlag.kind == "ring")
            .group_by(TrustFlag.group_key)
        ):
            sizes[str(key)] = int(n)
    rows, out = [], {}
    for p in people:
        ring_score, key = ring_of.get(p.id, (0.0, ""))
        evidence = UserEvidence(
            p.id,
            age_days=(now - p.created_at).total_seconds() / 86400,
            status=p.status,
            verified_purchases=delivered.get(p.id, 0),
            published_notes=by_status.get((p.id, "published"), 0),
            hidden_notes=by_status.get((p.id, "hidden"), 0),
            warnings=warnings.get(p.id, 0),
            points=decayed_points(ledger.get(p.id, [])),
            ring_score=ring_score,
            ring_size=sizes.get(key, 0),
        )
        score, reasons = user_score(evidence)
        out[p.id] = score
        rows.append({"kind": "user", "ref_id": p.id, "score": score, "reasons": reasons, "computed_at": now})
    _write_scores(session, "user", rows, ids if user_ids is not None else None)
    return out


def _write_scores(session: Session, kind: str, rows: list[dict], scope: Sequence[int] | None) -> None:  # type: ignore[type-arg]
    if scope is None:
        session.execute(delete(TrustScore).where(TrustScore.kind == kind))
    else:
        for start in range(0, len(scope), BATCH):
            session.execute(
                delete(TrustScore).where(
                    TrustScore.kind == kind, TrustScore.ref_id.in_(list(scope[start : start + BATCH]))
                )
            )
    for start in range(0, len(rows), BATCH):
        session.execute(insert(TrustScore), rows[start : start + BATCH])


def _flag_index(session: Session, kind: str, note_ids: Sequence[int] | None) -> dict[int, TrustFlag]:
    stmt = select(TrustFlag).where(TrustFlag.kind == kind, TrustFlag.subject_type == "note")
    if note_ids is not None:
        stmt = stmt.where(TrustFlag.subject_id.in_(list(note_ids)))
    return {f.subject_id: f for f in session.scalars(stmt)}


def score_notes(
    session: Session,
    note_ids: Sequence[int] | None = None,
    *,
    detectors: dict[int, list[DetectorOutput]] | None = None,
    detector_note: str | None = None,
    now: datetime | None = None,
) -> dict[int, float]:
    """Score notes (all, or `note_ids`) from the store, stored flags and author scores."""
    now = now or utcnow()
    stmt = select(Note.id, Note.author_id, Note.status, Note.verified_purchase, Note.disclosure)
    if note_ids is not None:
        stmt = stmt.where(Note.id.in_(list(note_ids)))
    notes = session.execute(stmt).all()
    ids = [n.id for n in notes] if note_ids is not None else None
    ads = _flag_index(session, "undisclosed_ad", ids)
    dups = _flag_index(session, "near_duplicate", ids)
    copies: dict[int, int] = defaultdict(int)
    for f in _flag_index(session, "near_duplicate", None).values():
        if f.group_key and "same author" not in f.reasons[0]:
            copies[int(f.group_key.split(":")[1])] += 1
    reports = _counts(
        session,
        select(Report.note_id, func.count()).where(Report.status == "open").group_by(Report.note_id),
    )
    authors = trust_for_users(session, {n.author_id for n in notes})
    ring_members = set(
        session.scalars(
            select(TrustFlag.subject_id).where(TrustFlag.kind == "ring", TrustFlag.status != "cleared")
        )
    )
    rows, out = [], {}
    for n in notes:
        ad, dup = ads.get(n.id), dups.get(n.id)
        dup_of = int(dup.group_key.split(":")[1]) if dup and dup.group_key else None
        evidence = NoteEvidence(
            n.id,
            author_score=authors.get(n.author_id, NEUTRAL),
            status=n.status,
            verified_purchase=n.verified_purchase,
            disclosure=n.disclosure,
            ad_score=ad.score if ad else 0.0,
            ad_reasons=list(ad.reasons) if ad else [],
            ad_cleared=bool(ad and ad.status == "cleared"),
            duplicate_of=dup_of,
            duplicate_similarity=dup.score if dup else 0.0,
            duplicate_same_author=bool(dup and "same author" in dup.reasons[0]),
            duplicate_cleared=bool(dup and dup.status == "cleared"),
            copies=copies.get(n.id, 0),
            detectors=(detectors or {}).get(n.id, []),
            detector_note=detector_note,
            open_reports=reports.get(n.id, 0),
            ring_member=n.author_id in ring_members,
        )
        score, reasons = note_score(evidence)
        out[n.id] = score
        rows.append({"kind": "note", "ref_id": n.id, "score": score, "reasons": reasons, "computed_at": now})
    _write_scores(session, "note", rows, ids)
    return out


def run_detectors(
    session: Session, note_ids: Sequence[int] | None = None
) -> tuple[dict[int, list[DetectorOutput]], str | None]:
    """The configured text detectors' outputs per note, or why they were skipped."""
    paths = textmodels.configured_models()
    if not paths:
        return {}, textmodels.SKIPPED
    try:
        loaded = textmodels.load_with_digests(paths)
    except (OSError, ValueError) as exc:
        return {}, f"text detectors skipped: {exc}"
    stmt = select(Note.id, Note.title, Note.body).where(Note.status == "published")
    if note_ids is not None:
        stmt = stmt.where(Note.id.in_(list(note_ids)))
    models, digests = [m for m, _ in loaded], [d for _, d in loaded]
    texts = {r.id: f"{r.title}\n{r.body}" for r in session.execute(stmt)}
    hashes = {i: textmodels.text_digest(t) for i, t in texts.items()}
    kept = _kept_verdicts(session, list(texts) if note_ids is not None else None, digests)
    out: dict[int, list[DetectorOutput]] = {i: [] for i in texts}
    for detector, digest in zip(models, digests, strict=True):
        # Only notes whose text changed since this model file last read them are read again.
        stale = [i for i in texts if (i, digest) not in kept or kept[(i, digest)][0] != hashes[i]]
        fresh: dict[int, DetectorOutput] = {}
        for start in range(0, len(stale), BATCH):
            chunk = stale[start : start + BATCH]
            fresh.update(zip(chunk, textmodels.assess_with(detector, [texts[i] for i in chunk]), strict=True))
        _keep_verdicts(session, digest, fresh, hashes)
        for i in texts:
            out[i].append(fresh[i] if i in fresh else kept[(i, digest)][1])
    if note_ids is None:
        # A whole-store run forgets what model files no longer configured said.
        session.execute(delete(DetectorVerdict).where(DetectorVerdict.model.not_in(digests)))
    return out, None


def _kept_verdicts(
    session: Session, note_ids: list[int] | None, digests: Sequence[str]
) -> dict[tuple[int, str], tuple[str, DetectorOutput]]:
    """Stored outputs of these model files, by (note, model): the text hash and the output."""
    v = DetectorVerdict
    # Plain rows, not ORM objects: a whole-store run reads one row per note and model.
    stmt = select(v.note_id, v.model, v.text_hash, v.detects, v.probability, v.supported, v.reasons).where(
        v.model.in_(list(digests))
    )
    chunks = [None] if note_ids is None else [note_ids[i : i + BATCH] for i in range(0, len(note_ids), BATCH)]
    out: dict[tuple[int, str], tuple[str, DetectorOutput]] = {}
    for chunk in chunks:
        query = stmt if chunk is None else stmt.where(v.note_id.in_(chunk))
        for note_id, model, text_hash, detects, probability, supported, reasons in session.execute(query):
            out[(note_id, model)] = (
                text_hash,
                DetectorOutput(detects, probability, supported, list(reasons)),
            )
    return out


def _keep_verdicts(
    session: Session, digest: str, fresh: dict[int, DetectorOutput], hashes: dict[int, str]
) -> None:
    """Store one model file's new outputs, replacing what it said of those notes before (an upsert:
    two requests rescoring the same note at once must not collide on the key)."""
    ids = list(fresh)
    dialect = session.get_bind().dialect.name
    upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        stmt = upsert(DetectorVerdict)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["note_id", "model"],
                set_={
                    c: stmt.excluded[c]
                    for c in ("text_hash", "detects", "probability", "supported", "reasons", "computed_at")
                },
            ),
            [
                {
                    "note_id": i,
                    "model": digest,
                    "text_hash": hashes[i],
                    "detects": fresh[i].detects,
                    "probability": fresh[i].probability,
                    "supported": fresh[i].supported,
                    "reasons": fresh[i].reasons,
                    "computed_at": utcnow(),
                }
                for i in chunk
            ],
        )


# -- the full run ----------------------------------------------------------------------------------


@dataclass
class Summary:
    """What a full run found and scored."""

    notes: int = 0
    users: int = 0
    duplicate_groups: int = 0
    duplicate_notes: int = 0
    rings: int = 0
    ring_accounts: int = 0
    undisclosed_ads: int = 0
    detector_note: str | None = None


def score_all(db: Database, progress: Progress | None = None) -> Summary:
    """Recompute every flag and score from the store in one transaction."""
    say = progress or (lambda _step, _done, _total: None)
    summary = Summary()
    with db.write() as session:
        say("near-duplicates", 0, 1)
        rebuilt = duplicates.rebuild(session, lambda done, total: say("near-duplicates", done, total))
        groups = [([rebuilt.note_ids[i] for i in g.members], g.similarity) for g in rebuilt.groups]
        sync_flags(session, "near_duplicate", "note", duplicate_flags(session, groups))
        summary.duplicate_groups = len(groups)
        summary.duplicate_notes = sum(len(m) - 1 for m, _ in groups)

        say("rings", 0, 1)
        found_rings = rings.find_rings(load_activity(session))
        sync_flags(session, "ring", "user", ring_flags(found_rings))
        summary.rings = len(found_rings)
        summary.ring_accounts = sum(len(r.user_ids) for r in found_rings)

        say("undisclosed ads", 0, 1)
        ctx = ad_context(session)
        ads: dict[int, Found] = {}
        last = 0
        while True:
            chunk = session.execute(
                select(Note.id, Note.author_id, Note.title, Note.body, Note.disclosure)
                .where(Note.status == "published", Note.id > last)
                .order_by(Note.id)
                .limit(BATCH)
            ).all()
            if not chunk:
                break
            ads.update(check_ads(session, chunk, ctx))
            last = chunk[-1].id
        sync_flags(session, "undisclosed_ad", "note", ads)
        summary.undisclosed_ads = len(ads)

        say("text detectors", 0, 1)
        outputs, note = run_detectors(session)
        summary.detector_note = note

        say("scores", 0, 2)
        summary.users = len(score_users(session))
        say("scores", 1, 2)
        summary.notes = len(score_notes(session, detectors=outputs, detector_note=note))
        say("scores", 2, 2)
    return summary


# -- the incremental path ------------------------------------------------------------------------------


def note_created(session: Session, note_id: int) -> float:
    """Check a new (or edited) note for ads and near-duplicates, then score it and its author."""
    note = session.get(Note, note_id)
    if note is None:
        return NEUTRAL
    if note.status != "published":
        duplicates.remove_note(session, note_id)
        return note_changed(session, note_id)
    shops = _shops_of_notes(session, [note_id]).get(note_id, set())
    ctx = ad_context(session, shops, since=note.created_at - signals.PUSH_WINDOW)
    sync_flags(session, "undisclosed_ad", "note", check_ads(session, [note], ctx), scope=[note_id])
    matches = duplicates.add_note(session, note_id, note.title, note.body)
    earlier = [m for m in matches if m.note_id < note_id]
    if earlier:
        original = min(m.note_id for m in earlier)
        root = session.scalar(
            select(TrustFlag.group_key).where(
                TrustFlag.kind == "near_duplicate",
                TrustFlag.subject_type == "note",
                TrustFlag.subject_id == original,
            )
        )
        first = int(root.split(":")[1]) if root else original
        sim = max(m.similarity for m in earlier)
        found = duplicate_flags(session, [([first, note_id], sim)])
        sync_flags(session, "near_duplicate", "note", found, scope=[note_id])
    else:
        sync_flags(session, "near_duplicate", "note", {}, scope=[note_id])
    score_users(session, [note.author_id])
    return note_changed(session, note_id)


def note_changed(session: Session, note_id: int) -> float:
    """Rescore one note from the store (after a report, a moderation decision or an edit)."""
    outputs, skipped = run_detectors(session, [note_id])
    return score_notes(session, [note_id], detectors=outputs, detector_note=skipped).get(note_id, NEUTRAL)


def user_changed(session: Session, user_id: int) -> float:
    """Rescore a person and every note they wrote (after points, a warning or a suspension)."""
    score = score_users(session, [user_id]).get(user_id, NEUTRAL)
    ids = list(session.scalars(select(Note.id).where(Note.author_id == user_id)))
    if ids:
        outputs, skipped = run_detectors(session, ids)
        score_notes(session, ids, detectors=outputs, detector_note=skipped)
    return score
