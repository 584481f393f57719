"""Undisclosed-ad detection: notes that look commercial but declare no sponsorship.

Each signal is a weight in 0..1 and a sentence a moderator can read. Signals combine by a noisy-OR
(1 - prod(1 - w)): independent pieces of evidence add up, none can push the score past 1, and a
single weak hint (a shop name, a price) stays below the flag threshold.

Two kinds of signal:

* relationship: the author manages the linked product's shop, or has declared sponsorship by
  that shop on another note, or the shop is pushed by many new accounts in a short window;
* language: coupon codes (``CODE20``), discount and coupon words, "link in bio", URLs, in Chinese,
  English and Spanish (patterns for all three are applied to every note, whatever its language).

A note that declares its sponsorship (disclosure ``sponsored`` or ``gifted``) is never flagged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

FLAG_AT = 0.6
NEW_ACCOUNT_DAYS = 30
PUSH_WINDOW = timedelta(hours=48)
PUSH_MIN_ACCOUNTS = 5

# A standalone run of capitals followed by digits: OTTERRUN20, SAVE15. Lookarounds rather than \b,
# because CJK characters are word characters and "优惠码OTTER20" has no \b before the code.
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{3,16}[0-9]{1,3}(?![A-Za-z0-9])")
_URL = re.compile(
    r"(?i)\bhttps?://\S+|\bwww\.[a-z0-9-]+\.[a-z]{2,}\S*|\b[a-z0-9-]+\.(?:com|shop|store|link|ly)/\S*"
)

# (signal name, weight, pattern, what the reason says it found)
_PHRASES: list[tuple[str, float, re.Pattern[str], str]] = [
    (
        "coupon_words",
        0.35,
        re.compile(
            r"(?i)\b(?:promo|discount|coupon|voucher)\s*codes?\b|\buse (?:my )?code\b|\bcode\s+[A-Z0-9]{4,}"
            r"|c[óo]digo(?:\s+de\s+descuento)?\b|\bcup[óo]n\b|优惠码|折扣码|优惠券|券码|输码|用我的码|领券"
        ),
        "coupon or discount-code wording",
    ),
    (
        "discount",
        0.25,
        re.compile(
            r"(?i)\d{1,2}\s?%\s?off\b|\b\d{1,2}\s?%\s?de\s+descuento|立减|打[一二三四五六七八九\d]折|满减"
            r"|\bfree shipping\b|env[íi]o gratis|包邮"
        ),
        "a discount offer",
    ),
    (
        "urgency",
        0.2,
        re.compile(
            r"(?i)\bflash sale\b|\blimited time\b|\bonly this week\b|\bdon'?t miss\b|oferta flash"
            r"|solo esta semana|por tiempo limitado|no te (?:lo )?pierdas|闪购|限时|仅限本周|别错过|手慢无"
        ),
        "sales urgency",
    ),
    (
        "link_in_bio",
        0.35,
        re.compile(
            r"(?i)\blink in (?:my )?bio\b|enlace en (?:la|mi) bio|link en (?:la|mi) bio|链接在主页|主页有链接|主页链接"
        ),
        '"link in bio"',
    ),
]


@dataclass(frozen=True)
class Signal:
    """One piece of evidence: a name, how strongly it points to an ad (0..1), and why."""

    name: str
    weight: float
    reason: str


@dataclass(frozen=True)
class NoteFacts:
    """What the ad check needs to know about one note."""

    note_id: int
    author_id: int
    text: str
    disclosure: str = "none"
    shop_ids: frozenset[int] = frozenset()
    created_at: datetime | None = None


@dataclass
class AdContext:
    """Relationships between people and shops, read once for many notes."""

    managers: dict[int, int] = field(default_factory=dict)  # shop id -> manager id
    shop_names: dict[int, str] = field(default_factory=dict)
    declared: dict[int, set[int]] = field(default_factory=dict)  # author id -> shops they disclosed
    pushed: dict[int, str] = field(default_factory=dict)  # note id -> why its shop looks pushed


@dataclass(frozen=True)
class AdVerdict:
    """The ad score of one note, whether it is flagged, and the reasons in order of weight."""

    note_id: int
    score: float
    flagged: bool
    signals: list[Signal]

    @property
    def reasons(self) -> list[str]:
        return [s.reason for s in self.signals]


def noisy_or(weights: Iterable[float]) -> float:
    """1 - prod(1 - w): the chance that at least one of several independent hints is right."""
    miss = 1.0
    for w in weights:
        miss *= 1.0 - max(0.0, min(1.0, w))
    return 1.0 - miss


def text_signals(text: str) -> list[Signal]:
    """Promotional-language signals found in a note's title and body (zh, en and es patterns)."""
    found: list[Signal] = []
    codes = sorted(set(_CODE.findall(text)))
    if codes:
        found.append(Signal("coupon_code", 0.5, f"coupon-code pattern {', '.join(codes[:3])}"))
    for name, weight, pattern, what in _PHRASES:
        match = pattern.search(text)
        if match:
            found.append(Signal(name, weight, f"{what}: “{match.group(0).strip()}”"))
    urls = _URL.findall(text)
    if urls:
        found.append(Signal("url", 0.3, f"a link to {urls[0][:60]}"))
    return found


def relationship_signals(facts: NoteFacts, context: AdContext) -> list[Signal]:
    """Signals that the author works for or is paid by a shop the note links."""
    found: list[Signal] = []
    for shop_id in sorted(facts.shop_ids):
        name = context.shop_names.get(shop_id, f"shop {shop_id}")
        if context.managers.get(shop_id) == facts.author_id:
            found.append(Signal("manager", 0.5, f"the author manages {name}, whose product the note links"))
        elif shop_id in context.declared.get(facts.author_id, set()):
            found.append(
                Signal("past_sponsor", 0.45, f"the author has declared sponsorship by {name} on other notes")
            )
    if facts.note_id in context.pushed:
        found.append(Signal("pushed", 0.3, context.pushed[facts.note_id]))
    return found


def assess_ad(facts: NoteFacts, context: AdContext) -> AdVerdict:
    """Whether a note reads as an undisclosed ad, with every signal that says so."""
    if facts.disclosure != "none":
        return AdVerdict(facts.note_id, 0.0, False, [])
    signals = sorted(
        relationship_signals(facts, context) + text_signals(facts.text), key=lambda s: (-s.weight, s.name)
    )
    score = round(noisy_or(s.weight for s in signals), 4)
    return AdVerdict(facts.note_id, score, score >= FLAG_AT, signals)


@dataclass(frozen=True)
class ShopPost:
    """One note linking a shop's product, with when its author signed up."""

    note_id: int
    author_id: int
    shop_id: int
    posted_at: datetime
    author_created_at: datetime


def pushed_notes(
    posts: Sequence[ShopPost],
    shop_names: Mapping[int, str] | None = None,
    *,
    window: timedelta = PUSH_WINDOW,
    min_accounts: int = PUSH_MIN_ACCOUNTS,
    new_days: int = NEW_ACCOUNT_DAYS,
) -> dict[int, str]:
    """Notes by new accounts that are part of a burst: `min_accounts` or more new accounts posting
    about the same shop within `window`. Returns note id -> reason."""
    names = shop_names or {}
    by_shop: dict[int, list[ShopPost]] = defaultdict(list)
    for post in posts:
        if post.posted_at - post.author_created_at <= timedelta(days=new_days):
            by_shop[post.shop_id].append(post)
    out: dict[int, str] = {}
    for shop_id, rows in by_shop.items():
        rows.sort(key=lambda p: p.posted_at)
        start = 0
        for end, post in enumerate(rows):
            while post.posted_at - rows[start].posted_at > window:
                start += 1
            burst = rows[start : end + 1]
            authors = {p.author_id for p in burst}
            if len(authors) >= min_accounts:
                hours = int(window.total_seconds() // 3600)
                reason = (
                    f"{len(authors)} accounts under {new_days} days old posted about "
                    f"{names.get(shop_id, f'shop {shop_id}')} within {hours} hours"
                )
                for p in burst:
                    out[p.note_id] = reason
    return out
