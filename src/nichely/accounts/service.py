"""Rules for accounts: sign-up, log-in, sessions and tokens, profiles, follows."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from nichely.accounts.models import ROLES, AuthToken, Follow, User
from nichely.accounts.passwords import hash_password, verify_password
from nichely.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from nichely.search import index as search_index
from nichely.storage.base import utcnow
from nichely.storage.ids import get_by_id
from nichely.text.normalize import without_nul

USERNAME = re.compile(r"^[a-z0-9_]{3,40}$")
# Roles a person may give themselves at sign-up; moderator and admin are granted, never claimed.
SELF_SERVICE_ROLES = {"shopper", "creator", "manager", "buyer"}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_display_name(value: str) -> str:
    value = without_nul(value).strip()
    if not value or len(value) > 80:
        raise InvalidInput("display_name must have 1-80 characters", field="display_name")
    return value


def _check_bio(value: str) -> str:
    value = without_nul(value)
    if len(value) > 2000:
        raise InvalidInput("bio must have at most 2000 characters", field="bio")
    return value


def _clean_interests(interests: list[str]) -> list[str]:
    return sorted({clean for i in interests if (clean := without_nul(i).strip().lower())})[:30]


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    display_name: str,
    roles: list[str] | None = None,
    bio: str = "",
    languages: list[str] | None = None,
    interests: list[str] | None = None,
    password_hash: str | None = None,
) -> User:
    """Sign a person up; usernames are lower-case and unique."""
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput("username must be 3-40 characters of a-z, 0-9 or _", field="username")
    if password_hash is None and len(password or "") < 8:
        raise InvalidInput("password must have at least 8 characters", field="password")
    display_name = _check_display_name(display_name or "")
    bio = _check_bio(bio or "")
    roles = sorted(set(roles or ["shopper"]))
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise InvalidInput(f"unknown roles {sorted(unknown)}; choose from {list(ROLES)}", field="roles")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"username {username!r} is taken", field="username")
    user = User(
        username=username,
        password_hash=password_hash or hash_password(password),
        display_name=display_name,
        roles=roles,
        bio=bio,
        languages=languages or [],
        interests=_clean_interests(interests or []),
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"username {username!r} is taken", field="username") from None
    search_index.index_user(session, user.id)
    return user


def authenticate(session: Session, username: str, password: str) -> User:
    """The user with these credentials; the error does not say which part was wrong."""
    user = session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None or not verify_password(user.password_hash, password or ""):
        raise NotAuthenticated("wrong username or password")
    if user.status == "suspended":
        raise NotAuthenticated("this account is suspended")
    return user


def issue_token(session: Session, user: User, kind: str, days: int) -> str:
    """Create a session or API token; only its hash is stored, the secret is returned once."""
    secret = secrets.token_urlsafe(32)
    session.add(
        AuthToken(
            user_id=user.id,
            token_hash=_digest(secret),
            kind=kind,
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    session.flush()
    return secret


def user_for_token(session: Session, secret: str, kind: str) -> User | None:
    """The active user behind a token, or None if it is unknown, expired or the user is suspended."""
    if not secret:
        return None
    row = session.execute(
        select(User, AuthToken.expires_at)
        .join(AuthToken, AuthToken.user_id == User.id)
        .where(AuthToken.token_hash == _digest(secret), AuthToken.kind == kind)
    ).first()
    if row is None or row.expires_at < utcnow() or row.User.status == "suspended":
        return None
    return row.User


def revoke_token(session: Session, secret: str) -> None:
    """End a session or API token."""
    session.execute(delete(AuthToken).where(AuthToken.token_hash == _digest(secret)))


def get_user(session: Session, user_id: int) -> User | None:
    return get_by_id(session, User, user_id)


def require_user(session: Session, user_id: int) -> User:
    user = get_by_id(session, User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def update_profile(
    session: Session,
    user: User,
    *,
    display_name: str | None = None,
    bio: str | None = None,
    languages: list[str] | None = None,
    interests: list[str] | None = None,
) -> User:
    """Change what a person says about themselves."""
    if display_name is not None:
        user.display_name = _check_display_name(display_name)
    if bio is not None:
        user.bio = _check_bio(bio)
    if languages is not None:
        user.languages = [code for code in languages if code in ("zh", "en", "es")]
    if interests is not None:
        user.interests = _clean_interests(interests)
    session.flush()
    search_index.index_user(session, user.id)
    return user


def follow(session: Session, follower: User, followee_id: int) -> bool:
    """Follow someone; returns False when already following."""
    if follower.id == followee_id:
        raise InvalidInput("you cannot follow yourself")
    require_user(session, followee_id)
    if session.get(Follow, (follower.id, followee_id)) is not None:
        return False
    session.add(Follow(follower_id=follower.id, followee_id=followee_id))
    session.execute(update(User).where(User.id == followee_id).values(follower_count=User.follower_count + 1))
    session.execute(
        update(User).where(User.id == follower.id).values(following_count=User.following_count + 1)
    )
    session.flush()
    return True


def unfollow(session: Session, follower: User, followee_id: int) -> bool:
    """Stop following someone; returns False when not following."""
    removed = session.execute(
        delete(Follow).where(Follow.follower_id == follower.id, Follow.followee_id == followee_id)
    ).rowcount  # type: ignore[attr-defined]
    if removed:
        session.execute(
            update(User).where(User.id == followee_id).values(follower_count=User.follower_count - 1)
        )
        session.execute(
            update(User).where(User.id == follower.id).values(following_count=User.following_count - 1)
        )
    return bool(removed)


def is_following(session: Session, follower_id: int, followee_id: int) -> bool:
    return session.get(Follow, (follower_id, followee_id)) is not None
