"""How the demo community responds to notes: likes, saves, comments and reports.

Engagement is heavy-tailed (a few notes take most of it) and local (people of a scenario react to
its notes far more than strangers do). Every reaction and comment also lands in the event log."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from nichely.demo.context import Demo, Person
from nichely.demo.notes import NoteSpec


class Reactions:
    """Collects reaction rows once per (user, note, kind) and keeps the note counters in step."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.seen: set[tuple[int, int, str]] = set()

    def add(self, user_id: int, note_id: int, kind: str, moment: datetime) -> bool:
        key = (user_id, note_id, kind)
        if key in self.seen:
            return False
        self.seen.add(key)
        moment = min(moment, self.demo.now)
        self.demo.link(
            "reactions", {"user_id": user_id, "note_id": note_id, "kind": kind, "created_at": moment}
        )
        note = self.demo.rows["notes"][note_id - 1]
        note["like_count" if kind == "like" else "save_count"] += 1
        self.demo.add(
            "events",
            {
                "user_id": user_id,
                "kind": kind,
                "target_type": "note",
                "target_id": note_id,
                "context": {},
                "created_at": moment,
            },
        )
        return True


def ring_engagement(
    demo: Demo, reactions: Reactions, ring_ids: list[int], ring_note_ids: list[int], shop_note_ids: list[int]
) -> None:
    """Within minutes of each burst every ring account likes and saves the others' reviews."""
    notes = demo.rows["notes"]
    for note_id in ring_note_ids:
        posted = notes[note_id - 1]["created_at"]
        for user_id in ring_ids:
            if user_id == notes[note_id - 1]["author_id"]:
                continue
            moment = posted + timedelta(seconds=demo.rng.randint(30, 40 * 60))
            reactions.add(user_id, note_id, "like", moment)
            if demo.chance(0.7):
                reactions.add(user_id, note_id, "save", moment + timedelta(seconds=demo.rng.randint(1, 20)))
    for note_id in shop_note_ids:
        posted = notes[note_id - 1]["created_at"]
        for user_id in ring_ids:
            if demo.chance(0.6):
                reactions.add(
                    user_id,
                    note_id,
                    "like",
                    max(posted, demo.now - timedelta(days=40)) + timedelta(minutes=demo.rng.randint(1, 600)),
                )


def organic_engagement(demo: Demo, reactions: Reactions, specs: list[NoteSpec], note_ids: list[int]) -> None:
    """Likes, saves, comments and views from the community around each note's scenario."""
    community: dict[str, list[Person]] = {}
    everyone = [p for p in demo.people if p.kind in ("shopper", "creator", "buyer", "manager")]
    for person in everyone:
        for scenario in person.scenarios:
            community.setdefault(scenario, []).append(person)
    for spec, note_id in zip(specs, note_ids, strict=True):
        if spec.kind == "ring":
            continue
        text = demo.text[spec.lang]
        pull = {"creator": 2.5, "buyer": 1.8}.get(spec.author.kind, 1.0) * (
            1.4 if spec.kind == "buyer_show" else 1.0
        )
        likes = min(120, int(math.exp(demo.rng.gauss(1.0, 1.05)) * pull))
        local = community.get(spec.scenario, everyone)
        likers = demo.rng.sample(local, min(len(local), likes))
        if demo.chance(0.3):
            likers += demo.rng.sample(everyone, min(len(everyone), demo.rng.randint(1, 4)))
        age = max(60.0, (demo.now - spec.created_at).total_seconds())
        for person in likers:
            if person.id == spec.author.id:
                continue
            moment = spec.created_at + timedelta(seconds=int(age * demo.rng.random() ** 2.5))
            if demo.chance(0.4):
                demo.add(
                    "events",
                    {
                        "user_id": person.id,
                        "kind": "view",
                        "target_type": "note",
                        "target_id": note_id,
                        "context": {},
                        "created_at": moment - timedelta(seconds=demo.rng.randint(5, 300)),
                    },
                )
            reactions.add(person.id, note_id, "like", moment)
            if demo.chance(0.3):
                reactions.add(person.id, note_id, "save", moment + timedelta(seconds=demo.rng.randint(1, 30)))
        _comments(
            demo, spec, note_id, local, likes, age, text.scenarios[spec.scenario].questions, text.replies
        )


def _comments(
    demo: Demo,
    spec: NoteSpec,
    note_id: int,
    local: list[Person],
    likes: int,
    age: float,
    questions: list[str],
    replies: list[str],
) -> None:
    count = min(25, int(likes * demo.rng.uniform(0.1, 0.4)) + (1 if demo.chance(0.4) else 0))
    moments = sorted(
        spec.created_at + timedelta(seconds=int(age * demo.rng.random() ** 2)) for _ in range(count)
    )
    for moment in moments:
        commenter = demo.pick(local)
        asked = demo.chance(0.4)
        body = demo.pick(questions) if asked else demo.pick(replies)
        _comment(demo, note_id, commenter.id, body, moment)
        if asked and demo.chance(0.5):
            answer = min(demo.now, moment + timedelta(minutes=demo.rng.randint(5, 600)))
            _comment(demo, note_id, spec.author.id, demo.pick(replies), answer)


def _comment(demo: Demo, note_id: int, author_id: int, body: str, moment: datetime) -> None:
    demo.add(
        "comments",
        {
            "note_id": note_id,
            "author_id": author_id,
            "body": body,
            "status": "published",
            "created_at": moment,
        },
    )
    demo.rows["notes"][note_id - 1]["comment_count"] += 1
    demo.add(
        "events",
        {
            "user_id": author_id,
            "kind": "comment",
            "target_type": "note",
            "target_id": note_id,
            "context": {},
            "created_at": moment,
        },
    )


def reports(demo: Demo, note_ids: list[int]) -> None:
    """A few readers flag the planted promotional notes, as real readers would."""
    reasons = ["Looks like an undisclosed ad", "Spam / coupon code", "Seems fake"]
    readers = demo.people_of("shopper")
    for note_id in note_ids:
        if demo.chance(0.5):
            posted = demo.rows["notes"][note_id - 1]["created_at"]
            demo.add(
                "reports",
                {
                    "reporter_id": demo.pick(readers).id,
                    "note_id": note_id,
                    "reason": demo.pick(reasons),
                    "status": "open",
                    "created_at": min(demo.now, posted + timedelta(hours=demo.rng.randint(1, 72))),
                },
            )
