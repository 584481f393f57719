"""People: public profiles, their notes, follows, and editing your own profile."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from nichely.community import people
from nichely.community import service as notes
from nichely.web.api.notes import NotePageOut, note_cards
from nichely.web.deps import CurrentUser, DbDep, OptionalUser
from nichely.web.schemas import UserPublic, user_public

router = APIRouter(tags=["users"])


class ProfileOut(UserPublic):
    note_count: int
    followed_by_me: bool
    follows_me: bool


class ProfilePatch(BaseModel):
    display_name: str | None = Field(default=None, max_length=200)
    bio: str | None = Field(default=None, max_length=10_000)
    languages: list[str] | None = Field(default=None, max_length=10)
    interests: list[str] | None = Field(default=None, max_length=100)


class FollowOut(BaseModel):
    user_id: int
    following: bool
    changed: bool
    follower_count: int


class PeoplePageOut(BaseModel):
    items: list[UserPublic]
    next_cursor: str | None


@router.get("/users/{user_id}")
def get_profile(user_id: int, viewer: OptionalUser, db: DbDep) -> ProfileOut:
    """A person's public profile, with whether you follow them."""
    with db.read() as session:
        found = people.profile(session, user_id, viewer)
        return ProfileOut(
            **user_public(found.user).model_dump(),
            note_count=found.note_count,
            followed_by_me=found.followed_by_me,
            follows_me=found.follows_me,
        )


@router.get("/users/{user_id}/notes")
def user_notes(user_id: int, db: DbDep, limit: int = 20, cursor: str | None = None) -> NotePageOut:
    """A person's published notes, newest first."""
    with db.read() as session:
        people.profile(session, user_id, None)  # 404 for someone who does not exist
        found = notes.list_notes(session, limit=limit, cursor=cursor, author_id=user_id)
        return NotePageOut(items=note_cards(found.items, found.authors), next_cursor=found.next_cursor)


@router.post("/users/{user_id}/follow")
def follow(user_id: int, user: CurrentUser, db: DbDep) -> FollowOut:
    """Follow someone (following twice is still one follow)."""
    with db.write() as session:
        changed = people.follow_user(session, user, user_id)
        return FollowOut(
            user_id=user_id,
            following=True,
            changed=changed,
            follower_count=people.follower_count(session, user_id),
        )


@router.delete("/users/{user_id}/follow")
def unfollow(user_id: int, user: CurrentUser, db: DbDep) -> FollowOut:
    """Stop following someone."""
    with db.write() as session:
        changed = people.unfollow_user(session, user, user_id)
        return FollowOut(
            user_id=user_id,
            following=False,
            changed=changed,
            follower_count=people.follower_count(session, user_id),
        )


@router.get("/users/{user_id}/followers")
def followers(user_id: int, db: DbDep, limit: int = 20, cursor: str | None = None) -> PeoplePageOut:
    """People who follow this person."""
    with db.read() as session:
        found = people.list_followers(session, user_id, limit=limit, cursor=cursor)
        return PeoplePageOut(items=[user_public(u) for u in found.items], next_cursor=found.next_cursor)


@router.get("/users/{user_id}/following")
def following(user_id: int, db: DbDep, limit: int = 20, cursor: str | None = None) -> PeoplePageOut:
    """People this person follows."""
    with db.read() as session:
        found = people.list_following(session, user_id, limit=limit, cursor=cursor)
        return PeoplePageOut(items=[user_public(u) for u in found.items], next_cursor=found.next_cursor)


@router.patch("/me")
def update_me(body: ProfilePatch, user: CurrentUser, db: DbDep) -> UserPublic:
    """Change your display name, bio, languages or interests."""
    with db.write() as session:
        return user_public(people.update_my_profile(session, user, **body.model_dump(exclude_unset=True)))
