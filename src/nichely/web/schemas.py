"""Public API shapes shared by several routers."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from nichely.accounts.models import User


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
