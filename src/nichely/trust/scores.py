"""Trust scores for people and notes, 0..1, as small pure functions with their reasons.

Every score starts from a neutral prior and moves by named, bounded amounts; each move is kept as
a sentence, so a moderator (or the author, on appeal) can see exactly why a score is what it is.
Notes blend their own evidence with their author's trust, so an account's violations reduce the
reach of everything it writes until the points decay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NEUTRAL = 0.5
USER_PRIOR = 0.5
NOTE_PRIOR = 0.6
AUTHOR_SHARE = 0.3
HALF_LIFE_DAYS = 30.0
SUSPEND_AT = 10.0


def decayed_points(points: list[tuple[float, float]], half_life_days: float = HALF_LIFE_DAYS) -> float:
    """Violation points now, from (points, age in days) pairs: each halves every `half_life_days`."""
    return sum(p * 0.5 ** (max(age, 0.0) / half_life_days) for p, age in points)


def _clip(x: float) -> float:
    return round(min(1.0, max(0.0, x)), 4)


@dataclass
class UserEvidence:
    """What is known about one person when scoring them."""

    user_id: int
    age_days: float
    status: str = "active"
    verified_purchases: int = 0
    published_notes: int = 0
    hidden_notes: int = 0
    warnings: int = 0
    points: float = 0.0  # decayed violation points
    ring_score: float = 0.0
    ring_size: int = 0


def user_score(e: UserEvidence) -> tuple[float, list[str]]:
    """A person's trust and the reasons for it."""
    if e.status == "suspended":
        return 0.0, ["account suspended"]
    score, why = USER_PRIOR, []
    if e.age_days < 7:
        score -= 0.1
        why.append(f"new account ({e.age_days:.0f} days old): -0.10")
    elif e.age_days >= 90:
        score += 0.1
        why.append(f"account {e.age_days / 30:.0f} months old: +0.10")
    if e.verified_purchases:
        bonus = min(0.2, 0.05 * e.verified_purchases)
        score += bonus
        why.append(f"{e.verified_purchases} verified purchase(s) behind their notes: +{bonus:.2f}")
    if e.published_notes:
        bonus = min(0.1, 0.01 * e.published_notes)
        score += bonus
        why.append(f"{e.published_notes} published notes: +{bonus:.2f}")
    if e.hidden_notes:
        cost = min(0.3, 0.1 * e.hidden_notes)
        score -= cost
        why.append(f"{e.hidden_notes} note(s) hidden by moderators: -{cost:.2f}")
    if e.warnings:
        cost = min(0.1, 0.05 * e.warnings)
        score -= cost
        why.append(f"{e.warnings} moderator warning(s): -{cost:.2f}")
    if e.points >= 0.05:
        cost = min(0.5, 0.08 * e.points)
        score -= cost
        why.append(
            f"{e.points:.1f} violation points (half-life {HALF_LIFE_DAYS:.0f} days; suspension at "
            f"{SUSPEND_AT:.0f}): -{cost:.2f}"
        )
    if e.ring_score > 0:
        cost = 0.5 * e.ring_score
        score -= cost
        why.append(f"member of a coordinated group of {e.ring_size} accounts: -{cost:.2f}")
    return _clip(score), why


@dataclass
class DetectorOutput:
    """One text detector's verdict on a note."""

    detects: str
    probability: float
    supported: bool
    reasons: list[str] = field(default_factory=list)


@dataclass
class NoteEvidence:
    """What is known about one note when scoring it."""

    note_id: int
    author_score: float = NEUTRAL
    status: str = "published"
    verified_purchase: bool = False
    disclosure: str = "none"
    ad_score: float = 0.0
    ad_reasons: list[str] = field(default_factory=list)
    ad_cleared: bool = False
    duplicate_of: int | None = None  # the earlier note this one copies
    duplicate_similarity: float = 0.0
    duplicate_same_author: bool = False
    duplicate_cleared: bool = False
    copies: int = 0  # later notes by other accounts that copy this one
    detectors: list[DetectorOutput] = field(default_factory=list)
    detector_note: str | None = None  # why the text detectors did not run
    open_reports: int = 0
    ring_member: bool = False


def note_score(e: NoteEvidence) -> tuple[float, list[str]]:
    """A note's trust and the reasons for it."""
    if e.status == "hidden":
        return 0.0, ["hidden by a moderator"]
    if e.status == "deleted":
        return 0.0, ["deleted by its author"]
    score, why = NOTE_PRIOR, []
    if e.verified_purchase:
        score += 0.2
        why.append("verified purchase (buyer show): +0.20")
    if e.disclosure != "none":
        why.append(f"{e.disclosure} and declared: no penalty")
    if e.ad_score > 0 and e.ad_reasons:
        if e.ad_cleared:
            why.append("undisclosed-ad flag cleared by a moderator")
        elif e.ad_score >= 0.6:
            cost = 0.45 * e.ad_score
            score -= cost
            why.append(f"looks like an undisclosed ad ({'; '.join(e.ad_reasons)}): -{cost:.2f}")
    if e.duplicate_of is not None:
        if e.duplicate_cleared:
            why.append("near-duplicate flag cleared by a moderator")
        else:
            cost = 0.15 if e.duplicate_same_author else 0.35
            whose = "the same author" if e.duplicate_same_author else "another account"
            score -= cost
            why.append(
                f"near-duplicate ({e.duplicate_similarity:.0%} similar) of earlier note #{e.duplicate_of} "
                f"by {whose}: -{cost:.2f}"
            )
    if e.copies:
        why.append(f"copied by {e.copies} later note(s) from other accounts: no penalty to the original")
    for d in e.detectors:
        if not d.supported:
            why.extend(f"{d.detects} detector: {r}; skipped" for r in d.reasons[:1])
            continue
        if d.probability > 0.5:
            cost = 0.3 * (d.probability - 0.5) * 2
            score -= cost
            why.append(f"{d.detects} detector {d.probability:.2f}: -{cost:.2f}")
    if e.detector_note:
        why.append(e.detector_note)
    if e.open_reports:
        cost = min(0.15, 0.05 * e.open_reports)
        score -= cost
        why.append(f"{e.open_reports} open report(s): -{cost:.2f}")
    if e.ring_member:
        why.append("written by a member of a coordinated group (see the author's trust)")
    blended = (1 - AUTHOR_SHARE) * _clip(score) + AUTHOR_SHARE * e.author_score
    why.append(f"author trust {e.author_score:.2f} counts {AUTHOR_SHARE:.0%}")
    return _clip(blended), why
