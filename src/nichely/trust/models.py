"""Tables of the authenticity layer: scores, automatic flags, violation points, appeals, LSH state.

Scores and flags are derived state (`nichely trust score` rebuilds them from the store); violation
points and appeals are decisions people made, so they are never rebuilt, only read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from nichely.storage.base import Base, utcnow

SUBJECTS = ("note", "user")
FLAG_KINDS = ("undisclosed_ad", "near_duplicate", "ring")
FLAG_STATUSES = ("open", "cleared", "actioned")
APPEAL_STATUSES = ("open", "accepted", "rejected")


class TrustScore(Base):
    """How much to trust one note or one person, 0..1, with the reasons that moved it."""

    __tablename__ = "trust_scores"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class TrustFlag(Base):
    """An automatic flag on a note or an account, for moderators; one per subject and kind."""

    __tablename__ = "trust_flags"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", "kind", name="uq_trust_flags_subject_kind"),
        Index("ix_trust_flags_status_subject", "status", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(8))
    subject_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    # Flags found together share a key ("ring:17", "duplicates:42"), so moderators see the group.
    group_key: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Violation(Base):
    """Points a moderator gave a person; they decay with a half-life, so good behaviour recovers."""

    __tablename__ = "trust_violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    points: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")
    action_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_actions.id", ondelete="SET NULL"))
    # An accepted appeal voids the points instead of deleting them: the record stays.
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Appeal(Base):
    """An author asking moderators to look again at a hidden note or a warning."""

    __tablename__ = "trust_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id", ondelete="SET NULL"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("moderation_actions.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()


class NoteSignature(Base):
    """A note's MinHash signature (uint32 per permutation), kept so new notes compare without rehashing."""

    __tablename__ = "trust_note_signatures"

    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class LshBand(Base):
    """One LSH band key of one note: notes sharing a key in any band are near-duplicate candidates."""

    __tablename__ = "trust_lsh_bands"
    __table_args__ = (Index("ix_trust_lsh_bands_note", "note_id"),)

    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )


class DetectorVerdict(Base):
    """A text detector's output on one note, kept so that a full rescore runs a detector again only
    on notes whose text changed since (or when the model file itself changed).

    A detector costs tens of milliseconds a note (its parse and sentence embedding), which over a
    whole store is hours; what it says about an unchanged text with an unchanged model is the same.
    """

    __tablename__ = "trust_detector_verdicts"

    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True)
    # Digest of the model file's bytes: a refitted model scores every note again.
    model: Mapped[str] = mapped_column(String(32), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(32))
    detects: Mapped[str] = mapped_column(String(60))
    probability: Mapped[float] = mapped_column(Float)
    supported: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
