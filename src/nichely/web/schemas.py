"""Public API shapes shared by several routers."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from nichely.accounts.models import User
from nichely.community.models import Note


class UserPublic(BaseModel):
    id: int
    username: str
    display_name: str
    roles: list[str]
    bio: str
    languages: list[str]
    interests: list[str]
    follower_count: int
    following_count: int
    created_at: datetime


class UserBrief(BaseModel):
    id: int
    username: str
    display_name: str


def user_public(user: User) -> UserPublic:
    return UserPublic(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=list(user.roles or []),
        bio=user.bio,
        languages=list(user.languages or []),
        interests=list(user.interests or []),
        follower_count=user.follower_count,
        following_count=user.following_count,
        created_at=user.created_at,
    )


def user_brief(user: User) -> UserBrief:
    return UserBrief(id=user.id, username=user.username, display_name=user.display_name)


class NoteBrief(BaseModel):
    """A note as it appears inside other resources (a product's notes, search evidence, feeds)."""

    id: int
    title: str
    excerpt: str
    language: str
    author: UserBrief
    verified_purchase: bool
    disclosure: str
    sponsor_shop_id: int | None
    like_count: int
    save_count: int
    comment_count: int
    tags: list[str]
    created_at: datetime


def note_brief(note: Note, author: User) -> NoteBrief:
    body = note.body.strip()
    return NoteBrief(
        id=note.id,
        title=note.title,
        excerpt=body if len(body) <= 160 else body[:159].rstrip() + "…",
        language=note.language,
        author=user_brief(author),
        verified_purchase=note.verified_purchase,
        disclosure=note.disclosure,
        sponsor_shop_id=note.sponsor_shop_id,
        like_count=note.like_count,
        save_count=note.save_count,
        comment_count=note.comment_count,
        tags=[t.tag for t in note.tags],
        created_at=note.created_at,
    )
