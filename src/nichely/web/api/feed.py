"""The discovery feed, people like you and related notes (`nichely.recommend.feed`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from nichely.accounts import service as accounts
from nichely.community import service as community
from nichely.recommend import feed
from nichely.recommend.explain import Reason
from nichely.recommend.feedstate import FeedState, state_path
from nichely.recommend.online import RankingCache, StateHolder
from nichely.web import i18n
from nichely.web.api.notes import NoteCard, note_card
from nichely.web.deps import CurrentUser, DbDep, OptionalUser
from nichely.web.schemas import UserPublic, user_public

router = APIRouter(tags=["feed"])


def state_holder(request: Request) -> StateHolder:
    """The app's feed state holder, made on first use from the settings' data directory."""
    holder = getattr(request.app.state, "feed_holder", None)
    if holder is None:
        data_dir = request.app.state.settings.data_dir
        holder = StateHolder(state_path(data_dir) if data_dir is not None else None)
        request.app.state.feed_holder = holder
    return holder


def feed_state(request: Request) -> FeedState | None:
    return state_holder(request).get()


def ranking_cache(request: Request) -> RankingCache:
    """This worker's cache of people's ranked feeds, made on first use."""
    cache = getattr(request.app.state, "feed_rankings", None)
    if cache is None:
        cache = RankingCache()
        request.app.state.feed_rankings = cache
    return cache


def request_language(request: Request) -> str:
    """The language explanations are written in: `lang` cookie, then Accept-Language."""
    return i18n.choose_language(request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language"))


StateDep = Annotated[FeedState | None, Depends(feed_state)]
CacheDep = Annotated[RankingCache, Depends(ranking_cache)]
LanguageDep = Annotated[str, Depends(request_language)]


class ReasonOut(BaseModel):
    code: str
    params: dict[str, str]
    text: str


class FeedItemOut(BaseModel):
    note: NoteCard
    source: str
    score: float
    reason: ReasonOut


class FeedPageOut(BaseModel):
    items: list[FeedItemOut]
    next_cursor: str | None


class SuggestionOut(BaseModel):
    user: UserPublic
    score: float
    reason: ReasonOut


class RelatedOut(BaseModel):
    notes: list[FeedItemOut]
    product_ids: list[int]


def reason_out(reason: Reason, lang: str) -> ReasonOut:
    return ReasonOut(code=reason.code, params=reason.params, text=reason.text(i18n.gettext_for(lang)))


def _items(session, ranked: list, lang: str) -> list[FeedItemOut]:  # type: ignore[type-arg,no-untyped-def]
    notes, authors = feed.load_notes(session, [item.note_id for item in ranked])
    by_id = {item.note_id: item for item in ranked}
    return [
        FeedItemOut(
            note=note_card(note, authors[note.author_id]),
            source=by_id[note.id].source,
            score=round(by_id[note.id].score, 6),
            reason=reason_out(by_id[note.id].reason, lang),
        )
        for note in notes
    ]


@router.get("/feed")
def get_feed(
    user: CurrentUser,
    db: DbDep,
    state: StateDep,
    cache: CacheDep,
    lang: LanguageDep,
    cursor: str | None = None,
    limit: int = 20,
) -> FeedPageOut:
    """Your discovery feed, best first, each item with a reason; pass `next_cursor` for more."""
    with db.read() as session:
        me = accounts.require_user(session, user.id)
        page = feed.feed_page(session, state, me, cursor=cursor, limit=limit, cache=cache)
        return FeedPageOut(items=_items(session, page.items, lang), next_cursor=page.next_cursor)


@router.get("/users/{user_id}/similar")
def similar_users(
    user_id: int, viewer: OptionalUser, db: DbDep, state: StateDep, lang: LanguageDep, limit: int = 10
) -> list[SuggestionOut]:
    """People like this person (for yourself: people you do not follow yet)."""
    with db.read() as session:
        person = accounts.require_user(session, user_id)
        mine = viewer is not None and viewer.id == user_id
        found = feed.similar_people(session, state, person, limit=limit, exclude_followed=mine)
        return [
            SuggestionOut(
                user=user_public(s.user), score=round(s.score, 6), reason=reason_out(s.reason, lang)
            )
            for s in found
        ]


@router.get("/notes/{note_id}/related")
def related_notes(
    note_id: int, viewer: OptionalUser, db: DbDep, state: StateDep, lang: LanguageDep, limit: int = 8
) -> RelatedOut:
    """Notes that go with this one, and the products they link."""
    with db.read() as session:
        note = community.require_visible_note(session, note_id, viewer)
        related = feed.related_to_note(session, state, note, viewer, limit=limit)
        return RelatedOut(notes=_items(session, related.notes, lang), product_ids=related.product_ids)
