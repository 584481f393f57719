"""The discovery feed, people to follow, onboarding, and related notes and products as htmx fragments."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from nichely.accounts import service as accounts
from nichely.catalog.models import Product
from nichely.community import people
from nichely.community import service as community
from nichely.community.service import normalise_tag
from nichely.recommend import feed
from nichely.recommend.explain import REASONS
from nichely.recommend.feedstate import FeedState
from nichely.recommend.ranking import Ranked
from nichely.web.api.feed import CacheDep, feed_state
from nichely.web.deps import DbDep
from nichely.web.i18n import N_
from nichely.web.pages.cards import note_cards, product_cards
from nichely.web.pages.forms import FormDep, texts
from nichely.web.pages.rendering import Page, PageDep

router = APIRouter()
PAGE_SIZE = 12
PEOPLE_PAGE = 12
MAX_INTERESTS = 30

# The feed's explanations (nichely.recommend.explain.REASONS), listed so the catalogues translate them.
REASON_MESSAGES = [
    N_("You follow %(name)s"),
    N_("People who bought %(name)s saved this"),
    N_("People who bought %(name)s liked this"),
    N_("People like you saved this"),
    N_("People like you liked this"),
    N_("People like you commented on this"),
    N_("Because you liked “%(name)s”"),
    N_("Because you saved “%(name)s”"),
    N_("Similar to “%(name)s”"),
    N_("From a community you are in: %(name)s"),
    N_("Trending in %(name)s"),
    N_("Matches your interest: %(name)s"),
    N_("New creator"),
    N_("New creator in %(name)s"),
    N_("Popular on Nichely"),
    N_("About the same product"),
    N_("Likes what you like"),
    N_("In your community: %(name)s"),
    N_("Followed by people you follow"),
]
assert sorted(REASON_MESSAGES) == sorted(REASONS.values()), "every reason needs its sentence listed here"


def _state(page: Page) -> FeedState | None:
    return feed_state(page.request)


def _feed_cards(page: Page, session: Session, ranked: list[Ranked]) -> list[dict[str, Any]]:
    notes, authors = feed.load_notes(session, [item.note_id for item in ranked])
    by_id = {item.note_id: item for item in ranked}
    return [
        {
            "card": card,
            "reason": by_id[card.note.id].reason.text(page.gettext),
            "source": by_id[card.note.id].source,
        }
        for card in note_cards(session, notes, authors)
    ]


@router.get("/feed")
def feed_page(page: PageDep, db: DbDep, cache: CacheDep, cursor: str | None = None) -> Response:
    """The person's discovery feed; the htmx request for the next page gets only the new cards."""
    user = page.require_user()
    with db.read() as session:
        me = accounts.require_user(session, user.id)
        result = feed.feed_page(session, _state(page), me, cursor=cursor, limit=PAGE_SIZE, cache=cache)
        items = _feed_cards(page, session, result.items)
        needs_onboarding = not me.interests and not result.items
    template = "_feed_items.html" if page.is_htmx and cursor else "feed.html"
    return page.render(
        template, items=items, next_cursor=result.next_cursor, needs_onboarding=needs_onboarding
    )


@router.get("/people")
def people_page(page: PageDep, db: DbDep, limit: int = PEOPLE_PAGE) -> Response:
    """People like you to follow; scrolling asks for a longer list and swaps in the rest."""
    user = page.require_user()
    limit = max(1, min(limit, 96))
    with db.read() as session:
        me = accounts.require_user(session, user.id)
        found = feed.similar_people(session, _state(page), me, limit=limit + 1)
    suggestions = [{"user": s.user, "reason": s.reason.text(page.gettext)} for s in found[:limit]]
    shown = int(page.request.query_params.get("shown", "0") or 0)
    more = len(found) > limit
    if page.is_htmx and shown:
        return page.render("_people_items.html", suggestions=suggestions[shown:], more=more, limit=limit)
    return page.render("people.html", suggestions=suggestions, more=more, limit=limit)


@router.get("/onboarding")
def onboarding_form(page: PageDep, db: DbDep) -> Response:
    """Pick communities and needs, so the first feed is about what matters to you."""
    user = page.require_user()
    with db.read() as session:
        communities, needs = feed.onboarding_choices(session, _state(page))
        me = accounts.require_user(session, user.id)
        chosen = set(me.interests or [])
    return page.render("onboarding.html", communities=communities, needs=needs, chosen=chosen)


@router.post("/onboarding")
def onboarding(page: PageDep, db: DbDep, data: FormDep) -> Response:
    """Save the picks as the person's interests (tags) and open their feed."""
    user = page.require_user()
    picked: list[str] = []
    for value in texts(data, "interests") + texts(data, "needs"):
        for tag in value.split(","):
            tag = normalise_tag(tag)
            if tag and tag not in picked:
                picked.append(tag)
    with db.write() as session:
        people.update_my_profile(session, user, interests=picked[:MAX_INTERESTS])
    return page.redirect("/feed")


def _related(page: Page, session: Session, related: feed.Related) -> Response:
    notes, authors = feed.load_notes(session, [item.note_id for item in related.notes])
    products = (
        list(
            session.scalars(
                select(Product).where(Product.id.in_(related.product_ids), Product.status == "active")
            )
        )
        if related.product_ids
        else []
    )
    order = {pid: i for i, pid in enumerate(related.product_ids)}
    products.sort(key=lambda p: order[p.id])
    return page.render(
        "_related.html", cards=note_cards(session, notes, authors), products=product_cards(products[:4])
    )


@router.get("/notes/{note_id}/related")
def note_related(note_id: int, page: PageDep, db: DbDep) -> Response:
    """Related notes and products under a note (loaded by htmx after the page)."""
    with db.read() as session:
        note = community.require_visible_note(session, note_id, page.user)
        return _related(page, session, feed.related_to_note(session, _state(page), note, page.user, limit=6))


@router.get("/products/{product_id}/related")
def product_related(product_id: int, page: PageDep, db: DbDep, request: Request) -> Response:
    """Notes about similar things and other products, under a product (loaded by htmx)."""
    with db.read() as session:
        return _related(
            page, session, feed.related_to_product(session, _state(page), product_id, page.user, limit=6)
        )
