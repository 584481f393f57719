"""A note's page (photos, text, products, reactions, comments) and the form to post one."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy.orm import Session

from nichely.catalog import service as catalog
from nichely.catalog.models import Product
from nichely.community import engagement, moderation, people, photos
from nichely.community import service as community
from nichely.errors import InvalidInput, NichelyError
from nichely.search import picker
from nichely.text.language import LANGUAGES
from nichely.trust import review
from nichely.trust import service as trust
from nichely.web.deps import DbDep, SettingsDep
from nichely.web.i18n import N_
from nichely.web.pages.cards import product_cards, shop_names
from nichely.web.pages.forms import (
    FormDep,
    files,
    message,
    optional_id,
    read_upload,
    text,
    texts,
    whole_number,
)
from nichely.web.pages.rendering import Page, PageDep, safe_next

router = APIRouter()
COMMENTS_SHOWN = 50
PICKER_RESULTS = 8
_TAG_SPLIT = re.compile(r"[,，、#＃\n]+")
MESSAGES = [
    N_("title must not be empty"),
    N_("body must not be empty"),
    N_("reason must not be empty"),
    N_("this decision has already been appealed"),
]


def split_tags(raw: str) -> list[str]:
    """Tags as typed in one box: separated by commas (also Chinese ones), '#' or new lines."""
    return [t.strip() for t in _TAG_SPLIT.split(raw) if t.strip()]


# -- reading -----------------------------------------------------------------------------------


def _comments(session: Session, note_id: int, viewer: Any) -> engagement.CommentPage:
    return engagement.list_comments(session, note_id, viewer, limit=COMMENTS_SHOWN)


@router.get("/notes/new")
def new_note_form(page: PageDep, db: DbDep, product: int | None = None) -> Response:
    """The form to post a note; `?product=` links a product from the start."""
    page.require_user()
    with db.read() as session:
        picked = _products(session, [product] if product else [])
        return _render_form(page, session, _blank_form(), picked, None)


@router.get("/notes/new/products")
def pick_products(page: PageDep, db: DbDep, q: str = "") -> Response:
    """Products matching what the author typed, as checkboxes for the note form (an htmx fragment)."""
    page.require_user()
    with db.read() as session:
        found = picker.find_products(session, q, limit=PICKER_RESULTS)
    return page.render("_product_picker_results.html", found=found, q=q)


def _render_note(
    page: Page,
    session: Session,
    note_id: int,
    comment_error: str | None = None,
    status: int = 200,
    appeal_error: str | None = None,
) -> Response:
    view = community.note_view(session, note_id, page.user)
    # Only the author sees the decision about their note, its reason and their appeal.
    decision = review.decision_on_note(session, page.user, note_id) if page.user is not None else None
    sponsor = shop_names(session, [view.note.sponsor_shop_id]).get(view.note.sponsor_shop_id or 0)
    following = page.user is not None and people.profile(session, view.author.id, page.user).followed_by_me
    return page.render(
        "note.html",
        status=status,
        view=view,
        note=view.note,
        sponsor_name=sponsor,
        products=product_cards(catalog.get_product(session, p.id) or p for p in view.products),
        comments=_comments(session, note_id, page.user),
        following=following,
        comment_error=comment_error,
        decision=decision,
        appeal_error=appeal_error,
    )


@router.get("/notes/{note_id}")
def note_page(note_id: int, page: PageDep, db: DbDep) -> Response:
    with db.read() as session:
        response = _render_note(page, session, note_id)
    if page.user is not None:
        with db.write() as session:
            community.record_view(session, note_id, page.user)
    return response


# -- engaging ----------------------------------------------------------------------------------


@router.post("/notes/{note_id}/react")
def react(note_id: int, page: PageDep, db: DbDep, data: FormDep) -> Response:
    """Like or save (or take it back); htmx swaps the action bar, plain forms come back to the note."""
    user = page.require_user()
    kind = text(data, "kind")
    with db.write() as session:
        if text(data, "undo") == "1":
            engagement.unreact(session, user, note_id, kind)
        else:
            engagement.react(session, user, note_id, kind)
        view = community.note_view(session, note_id, user)
        if page.is_htmx:
            return page.render("_note_actions.html", note=view.note, view=view)
    return page.redirect(f"/notes/{note_id}")


@router.post("/notes/{note_id}/comments")
def comment(note_id: int, page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    error = None
    try:
        with db.write() as session:
            engagement.add_comment(session, user, note_id, text(data, "body"))
    except InvalidInput as exc:
        error = message(page.gettext, exc)
    if not page.is_htmx and error is None:
        return page.redirect(f"/notes/{note_id}#comments")
    status = 422 if error else 200
    with db.read() as session:
        if not page.is_htmx:
            return _render_note(page, session, note_id, comment_error=error, status=status)
        note = community.require_visible_note(session, note_id, user)
        comments = _comments(session, note_id, user)
        return page.render("_comments.html", note=note, comments=comments, comment_error=error, status=status)


@router.post("/notes/{note_id}/report")
def report(note_id: int, page: PageDep, db: DbDep, data: FormDep) -> Response:
    user = page.require_user()
    with db.write() as session:
        moderation.report_note(session, user, note_id, text(data, "reason"))
        trust.note_changed(session, note_id)
    if page.is_htmx:
        return page.render("_reported.html")
    return page.redirect(f"/notes/{note_id}")


@router.post("/notes/{note_id}/appeal")
def appeal(note_id: int, page: PageDep, db: DbDep, data: FormDep) -> Response:
    """The author asks moderators to look again at the hide or warning on their note."""
    user = page.require_user()
    try:
        with db.write() as session:
            review.appeal(session, user, note_id, text(data, "reason"))
    except NichelyError as exc:
        if exc.status == 404:
            raise
        with db.read() as session:
            return _render_note(
                page, session, note_id, status=exc.status, appeal_error=message(page.gettext, exc)
            )
    return page.redirect(safe_next(text(data, "next"), f"/notes/{note_id}#moderation"))


# -- writing -----------------------------------------------------------------------------------


def _blank_form() -> dict[str, Any]:
    return {
        "title": "",
        "body": "",
        "language": "auto",
        "tags": "",
        "disclosure": "none",
        "sponsor_shop_id": "",
    }


def _products(session: Session, ids: list[int]) -> list[Product]:
    found = [catalog.get_product(session, i) for i in dict.fromkeys(ids)]
    return [p for p in found if p is not None and p.status == "active"]


def _render_form(
    page: Page,
    session: Session,
    form: dict[str, Any],
    picked: list[Product],
    error: str | None,
    status: int = 200,
) -> Response:
    shops, _ = catalog.list_shops(session, limit=100)
    return page.render(
        "note_form.html",
        status=status,
        form=form,
        picked=picked,
        shops=shops,
        languages_written=LANGUAGES,
        error=error,
    )


@router.post("/notes/new")
def create_note(page: PageDep, db: DbDep, settings: SettingsDep, data: FormDep) -> Response:
    """Publish a note with its photos in one transaction: a bad photo leaves no half-made note."""
    user = page.require_user()
    form = {
        "title": text(data, "title"),
        "body": text(data, "body"),
        "language": text(data, "language", "auto"),
        "tags": text(data, "tags"),
        "disclosure": text(data, "disclosure", "none"),
        "sponsor_shop_id": text(data, "sponsor_shop_id"),
    }
    try:
        product_ids = [whole_number(v, "product_ids") for v in texts(data, "product_ids")]
        with db.write() as session:
            note = community.create_note(
                session,
                user,
                title=form["title"],
                body=form["body"],
                language=form["language"],
                tags=split_tags(form["tags"]),
                product_ids=product_ids,
                disclosure=form["disclosure"],
                sponsor_shop_id=optional_id(form["sponsor_shop_id"], "sponsor_shop_id")
                if form["disclosure"] != "none"
                else None,
            )
            for upload in files(data, "photos"):
                photos.add_photo(
                    session,
                    user,
                    note.id,
                    read_upload(upload, settings.max_upload_bytes),
                    settings.media_dir,
                    settings.max_upload_bytes,
                )
            trust.note_created(session, note.id)
            note_id = note.id
    except NichelyError as exc:
        with db.read() as session:
            ids = [int(v) for v in texts(data, "product_ids") if v.strip().isdigit()]
            return _render_form(
                page, session, form, _products(session, ids), message(page.gettext, exc), status=exc.status
            )
    return page.redirect(f"/notes/{note_id}")
