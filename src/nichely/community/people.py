"""People as the community sees them: profiles with counts, follows, followers and following."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nichely.accounts import service as accounts
from nichely.accounts.models import Follow, User
from nichely.activity.service import record_event
from nichely.community.models import Note
from nichely.errors import InvalidInput
from nichely.storage.pagination import page
from nichely.text.language import LANGUAGES


@dataclass
class Profile:
    """A person's public page: who they are, their counts, and whether the viewer follows them."""

    user: User
    note_count: int
    followed_by_me: bool
    follows_me: bool


@dataclass
class PeoplePage:
    items: list[User]
    next_cursor: str | None


def profile(session: Session, user_id: int, viewer: User | None) -> Profile:
    """The public profile of a person; NotFound if there is no such person."""
    user = accounts.require_user(session, user_id)
    note_count = session.scalar(
        select(func.count(Note.id)).where(Note.author_id == user_id, Note.status == "published")
    )
    followed_by_me = viewer is not None and accounts.is_following(session, viewer.id, user_id)
    follows_me = viewer is not None and accounts.is_following(session, user_id, viewer.id)
    return Profile(user, int(note_count or 0), followed_by_me, follows_me)


def follow_user(session: Session, follower: User, followee_id: int) -> bool:
    """Follow someone and log it; False when already following."""
    added = accounts.follow(session, follower, followee_id)
    if added:
        record_event(session, follower.id, "follow", "user", followee_id)
    return added


def unfollow_user(session: Session, follower: User, followee_id: int) -> bool:
    """Stop following someone; False when not following."""
    accounts.require_user(session, followee_id)
    return accounts.unfollow(session, follower, followee_id)


def follower_count(session: Session, user_id: int) -> int:
    """How many people follow this person (the stored counter)."""
    return int(session.scalar(select(User.follower_count).where(User.id == user_id)) or 0)


def list_followers(
    session: Session, user_id: int, *, limit: int = 20, cursor: str | None = None
) -> PeoplePage:
    """People who follow this person."""
    accounts.require_user(session, user_id)
    stmt = select(User).join(Follow, Follow.follower_id == User.id).where(Follow.followee_id == user_id)
    users, next_cursor = page(session, stmt, User.id, limit, cursor)
    return PeoplePage(users, next_cursor)


def list_following(
    session: Session, user_id: int, *, limit: int = 20, cursor: str | None = None
) -> PeoplePage:
    """People this person follows."""
    accounts.require_user(session, user_id)
    stmt = select(User).join(Follow, Follow.followee_id == User.id).where(Follow.follower_id == user_id)
    users, next_cursor = page(session, stmt, User.id, limit, cursor)
    return PeoplePage(users, next_cursor)


def update_my_profile(
    session: Session,
    user: User,
    *,
    display_name: str | None = None,
    bio: str | None = None,
    languages: list[str] | None = None,
    interests: list[str] | None = None,
) -> User:
    """Change the caller's own profile (the user is re-read in this session before changing)."""
    if languages is not None:
        unknown = [code for code in languages if code not in LANGUAGES]
        if unknown:
            raise InvalidInput(
                f"unknown languages {unknown}; choose from {list(LANGUAGES)}", field="languages"
            )
    me = accounts.require_user(session, user.id)
    return accounts.update_profile(
        session, me, display_name=display_name, bio=bio, languages=languages, interests=interests
    )
