"""A person's profile (notes, followers, their shops and storefront), following them, and one's own
profile and moderation decisions."""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.datastructures import FormData

from nichely.accounts.models import User
from nichely.catalog import repo as catalog_repo
from nichely.community import people
from nichely.community import service as community
from nichely.errors import NichelyError
from nichely.storage.engine import Database
from nichely.trust import review
from nichely.web.deps import DbDep
from nichely.web.i18n import LANGUAGES, N_
from nichely.web.pages.cards import note_cards
from nichely.web.pages.forms import FormDep, message, text, texts
from nichely.web.pages.rendering import Page, PageDep, safe_next

router = APIRouter()
PROFILE_NOTES = 24
FOLLOWERS_SHOWN = 12
DECISIONS_SHOWN = 20
_INTEREST_SPLIT = re.compile(r"[,，、;；#＃\n]+")
MESSAGES = [
    N_("display_name must have 1-80 characters"),
    N_("bio must have at most 2000 characters"),
]


def split_interests(raw: str) -> list[str]:
    """Interests typed in one box, separated by commas (also Chinese ones), '#' or new lines."""
    return [i.strip() for i in _INTEREST_SPLIT.split(raw) if i.strip()]


def _profile_form(user: User) -> dict[str, object]:
    return {
        "display_name": user.display_name,
        "bio": user.bio,
        "languages": list(user.languages or []),
        "interests": ", ".join(user.interests or []),
    }


@router.get("/me/edit")
def edit_profile_form(page: PageDep) -> Response:
    """The visitor's own profile: display name, bio, the languages they read, their interests."""
    user = page.require_user()
    return page.render("profile_form.html", form=_profile_form(user), all_languages=LANGUAGES, error=None)


@router.post("/me/edit")
def save_profile(page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    form: dict[str, object] = {
        "display_name": text(data, "display_name"),
        "bio": text(data, "bio"),
        "languages": texts(data, "languages"),
        "interests": text(data, "interests"),
    }
    try:
        with db.write() as session:
            people.update_my_profile(
                session,
                user,
                display_name=text(data, "display_name"),
                bio=text(data, "bio").strip(),
                languages=texts(data, "languages"),
                interests=split_interests(text(data, "interests")),
            )
    except NichelyError as exc:
        return page.render(
            "profile_form.html",
            status=exc.status,
            form=form,
            all_languages=LANGUAGES,
            error=message(page.gettext, exc),
        )
    return page.redirect(f"/users/{user.id}")


@router.get("/me/decisions")
def my_decisions(page: PageDep, db: DbDep, cursor: str | None = None) -> Response:
    """Hides and warnings moderators gave about the visitor's notes, with their appeals."""
    user = page.require_user()
    with db.read() as session:
        decisions = review.my_decisions(session, user, limit=DECISIONS_SHOWN, cursor=cursor)
        return page.render("my_decisions.html", decisions=decisions, appeal_error=None)


@router.get("/users/{user_id}")
def profile_page(user_id: int, page: PageDep, db: DbDep, cursor: str | None = None) -> Response:
    with db.read() as session:
        profile = people.profile(session, user_id, page.user)
        notes = community.list_notes(session, author_id=user_id, limit=PROFILE_NOTES, cursor=cursor)
        return page.render(
            "profile.html",
            profile=profile,
            author=profile.user,
            following=profile.followed_by_me,
            cards=note_cards(session, notes.items, notes.authors),
            next_cursor=notes.next_cursor,
            followers=people.list_followers(session, user_id, limit=FOLLOWERS_SHOWN).items,
            shops=catalog_repo.shops_of(session, user_id),
            storefront=catalog_repo.storefront_of(session, user_id),
            is_me=page.user is not None and page.user.id == user_id,
        )


def _follow_response(page: Page, db: Database, user_id: int, data: FormData, following: bool) -> Response:
    if not page.is_htmx:
        return page.redirect(safe_next(text(data, "next"), f"/users/{user_id}"))
    with db.read() as session:
        author = people.profile(session, user_id, page.user).user
        return page.render("_follow_button.html", author=author, following=following)


@router.post("/users/{user_id}/follow")
def follow(user_id: int, page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    with db.write() as session:
        people.follow_user(session, user, user_id)
    return _follow_response(page, db, user_id, data, following=True)


@router.post("/users/{user_id}/unfollow")
def unfollow(user_id: int, page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    with db.write() as session:
        people.unfollow_user(session, user, user_id)
    return _follow_response(page, db, user_id, data, following=False)
