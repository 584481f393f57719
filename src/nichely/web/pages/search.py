"""Search with tabs: everything, products, notes, people (the simple search for now)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from nichely.errors import InvalidInput
from nichely.search import simple
from nichely.web.deps import DbDep
from nichely.web.i18n import N_
from nichely.web.pages.cards import note_cards, product_cards
from nichely.web.pages.forms import message
from nichely.web.pages.rendering import PageDep

router = APIRouter()
TABS = [("all", N_("All")), ("products", N_("Products")), ("notes", N_("Notes")), ("people", N_("People"))]
PER_KIND = {"all": 8, "products": 24, "notes": 24, "people": 24}
MESSAGES = [N_("q must not be empty; type what you are looking for")]


@router.get("/search")
def search_page(
    page: PageDep, db: DbDep, q: str = "", type: str = "all", cursor: str | None = None
) -> Response:
    tab = type if type in PER_KIND else "all"
    tabs = [(key, page.gettext(label)) for key, label in TABS]
    if not q.strip():
        return page.render("search.html", q=q, tab=tab, tabs=tabs, result=None, error=None)
    with db.read() as session:
        try:
            result = simple.search(session, q, type=tab, limit=PER_KIND[tab], cursor=cursor)
        except InvalidInput as exc:
            return page.render(
                "search.html",
                status=422,
                q=q,
                tab=tab,
                tabs=tabs,
                result=None,
                error=message(page.gettext, exc),
            )
        return page.render(
            "search.html",
            q=q,
            tab=tab,
            tabs=tabs,
            result=result,
            products=product_cards(result.products),
            notes=note_cards(session, result.notes, result.note_authors),
            error=None,
        )
