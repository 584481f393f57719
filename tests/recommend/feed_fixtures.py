"""A planted community: two groups whose answer is known, written through the platform's services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from nichely.accounts.models import User
from nichely.community import engagement
from nichely.community.models import Note
from nichely.recommend.feedstate import FeedState
from nichely.recommend.training import TrainSettings, build_state, read_store
from nichely.storage.engine import Database

GROUPS = {"dorm": ["dorm", "desk lamp"], "trail": ["trail running", "wide feet"]}


@dataclass
class Planted:
    """Creators, readers and notes per group; `train()` fits the feed state on the store as it is now."""

    db: Database
    creators: dict[str, list[User]] = field(default_factory=dict)
    readers: dict[str, list[User]] = field(default_factory=dict)
    notes: dict[str, list[Note]] = field(default_factory=dict)

    def group_of(self, note_id: int) -> str | None:
        return next((g for g, notes in self.notes.items() if note_id in {n.id for n in notes}), None)

    def like(self, user: User, note: Note, kind: str = "like") -> None:
        with self.db.write() as session:
            engagement.react(session, user, note.id, kind)

    def train(self) -> FeedState:
        with self.db.read() as session:
            return build_state(read_store(session), TrainSettings())


@pytest.fixture
def planted(db: Database, make_user: Callable[..., User], make_note: Callable[..., Note]) -> Planted:
    # given two groups of people: each group's readers like most of their own group's notes
    site = Planted(db)
    for group, tags in GROUPS.items():
        site.creators[group] = [
            make_user(roles=["creator"], display_name=f"{group} creator {i}") for i in range(4)
        ]
        site.readers[group] = [make_user(display_name=f"{group} reader {i}") for i in range(8)]
        site.notes[group] = [
            make_note(
                author=creator,
                title=f"{tags[0]} note {i} by {creator.username}",
                tags=tags,
                body=f"All about {tags[0]} and {tags[1]}.",
            )
            for creator in site.creators[group]
            for i in range(3)
        ]
    for group, readers in site.readers.items():
        notes = site.notes[group]
        for r, reader in enumerate(readers):
            for n, note in enumerate(notes):
                if (r + n) % 3 != 0:  # each reader leaves a third unread, so the feed has something to show
                    site.like(reader, note, "save" if (r + n) % 2 else "like")
    return site
