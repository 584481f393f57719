"""Sign-up, tokens and who-am-I."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from nichely.accounts import service as accounts
from nichely.web.deps import CurrentUser, DbDep, SettingsDep
from nichely.web.schemas import UserPublic, user_public

router = APIRouter(tags=["auth"])


class SignupIn(BaseModel):
    username: str = Field(max_length=40)
    password: str = Field(max_length=200)
    display_name: str = Field(max_length=80)
    roles: list[str] = Field(default_factory=lambda: ["shopper"])
    bio: str = Field(default="", max_length=2000)
    languages: list[str] = Field(default_factory=list)
    interests: list[str] = Field(default_factory=list)


class TokenIn(BaseModel):
    username: str = Field(max_length=40)
    password: str = Field(max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post("/auth/signup", status_code=201)
def signup(body: SignupIn, db: DbDep) -> UserPublic:
    """Create an account. Moderator and admin roles cannot be claimed here."""
    roles = [r for r in body.roles if r in accounts.SELF_SERVICE_ROLES] or ["shopper"]
    with db.write() as session:
        user = accounts.create_user(
            session,
            username=body.username,
            password=body.password,
            display_name=body.display_name,
            roles=roles,
            bio=body.bio,
            languages=body.languages,
            interests=body.interests,
        )
        return user_public(user)


@router.post("/auth/token")
def token(body: TokenIn, db: DbDep, settings: SettingsDep) -> TokenOut:
    """Exchange a username and password for a bearer token."""
    with db.write() as session:
        user = accounts.authenticate(session, body.username, body.password)
        return TokenOut(access_token=accounts.issue_token(session, user, "api", settings.token_days))


@router.post("/auth/logout", status_code=204)
def logout(request: Request, user: CurrentUser, db: DbDep) -> None:
    """Revoke the bearer token used for this call."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        with db.write() as session:
            accounts.revoke_token(session, header[7:].strip())


@router.get("/me")
def me(user: CurrentUser) -> UserPublic:
    """The person behind the token or session."""
    return user_public(user)
