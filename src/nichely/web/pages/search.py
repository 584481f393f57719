"""Search page: tabs, facets and filters, sorting, autocomplete, evidence; search statistics."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nichely.activity import searchlog
from nichely.errors import Forbidden, InvalidInput
from nichely.search import service
from nichely.search.evidence import fragments
from nichely.search.suggest import suggest
from nichely.web.deps import DbDep
from nichely.web.i18n import N_
from nichely.web.pages.cards import note_cards, product_card, shop_names
from nichely.web.pages.forms import message
from nichely.web.pages.rendering import PageDep

router = APIRouter()
TABS = [("all", N_("All")), ("products", N_("Products")), ("notes", N_("Notes")), ("people", N_("People"))]
PER_KIND = {"all": 8, "products": 24, "notes": 24, "people": 24}
SORT_LABELS = [
    ("relevance", N_("Relevance")),
    ("price_asc", N_("Price: low to high")),
    ("price_desc", N_("Price: high to low")),
    ("newest", N_("Newest")),
    ("popular", N_("Popular")),
]
FACET_LABELS = {
    "category": N_("Category"),
    "price": N_("Price"),
    "size": N_("Size"),
    "width": N_("Width"),
    "color": N_("Colour"),
    "language": N_("Language"),
}
LANGUAGE_NAMES = {"zh": N_("Chinese"), "en": N_("English"), "es": N_("Spanish")}
MESSAGES = [N_("q must not be empty; type what you are looking for")]
# The query parameters a search page keeps from one link to the next.
PARAMS = (
    "q",
    "type",
    "sort",
    "category",
    "price_min",
    "price_max",
    "in_stock",
    "language",
    "size",
    "width",
    "color",
)


def _decimal(value: str | None) -> Decimal | None:
    try:
        price = Decimal(value) if value else None
    except InvalidOperation:
        return None
    return price if price is not None and price.is_finite() and price >= 0 else None


def _url(current: dict[str, str], **changes: str | None) -> str:
    """The search page with `changes` applied to the current parameters (None removes one)."""
    values = {**current, **changes}
    return "/search?" + urlencode({k: v for k, v in values.items() if v})


def _facet_links(result: service.SearchResult, current: dict[str, str], gettext: Any) -> list[dict[str, Any]]:
    groups = []
    for name, label in FACET_LABELS.items():
        values = result.facets.get(name) or []
        if not values:
            continue
        items = []
        for v in values:
            if name == "price":
                chosen = current.get("price_min") == v["min"] and current.get("price_max", "") == (
                    v["max"] or ""
                )
                href = _url(
                    current, price_min=None if chosen else v["min"], price_max=None if chosen else v["max"]
                )
                text = f"{v['min']}+" if v["max"] is None else f"{v['min']}–{v['max']}"
            else:
                chosen = current.get(name) == v["value"]
                href = _url(current, **{name: None if chosen else v["value"]})
                text = v["value"]
                if name == "language" and text in LANGUAGE_NAMES:
                    text = gettext(LANGUAGE_NAMES[text])
            items.append({"text": text, "count": v["count"], "href": href, "chosen": chosen})
        groups.append({"name": name, "label": gettext(label), "items": items})
    return groups


@router.get("/search")
def search_page(
    request: Request, page: PageDep, db: DbDep, q: str = "", cursor: str | None = None
) -> Response:
    params = {k: v for k in PARAMS if (v := request.query_params.get(k, "").strip())}
    tab = params.get("type", "all")
    tab = tab if tab in PER_KIND else "all"
    sort = params.get("sort", "relevance")
    sort = sort if sort in service.SORTS else "relevance"
    params["type"], params["sort"] = tab, sort
    current = {
        k: v
        for k, v in params.items()
        if not (k == "type" and v == "all") and not (k == "sort" and v == "relevance")
    }
    tabs = [
        (key, page.gettext(label), _url(current, type=None if key == "all" else key)) for key, label in TABS
    ]
    sorts = [
        (key, page.gettext(label), _url(current, sort=None if key == "relevance" else key))
        for key, label in SORT_LABELS
    ]
    common: dict[str, Any] = {
        "q": q,
        "tab": tab,
        "tabs": tabs,
        "sorts": sorts,
        "sort": sort,
        "current": current,
    }
    if not q.strip():
        with db.read() as session:
            popular = searchlog.popular_queries(session)
        return page.render("search.html", result=None, error=None, popular=popular, **common)
    filters = service.Filters(
        category=params.get("category"),
        price_min=_decimal(params.get("price_min")),
        price_max=_decimal(params.get("price_max")),
        in_stock=params.get("in_stock") == "true" or None,
        language=params.get("language"),
        size=params.get("size"),
        width=params.get("width"),
        color=params.get("color"),
    )
    with db.read() as session:
        try:
            result = service.search(
                session, q, type=tab, limit=PER_KIND[tab], cursor=cursor, filters=filters, sort=sort
            )
        except InvalidInput as exc:
            return page.render(
                "search.html", status=422, result=None, error=message(page.gettext, exc), popular=[], **common
            )
        popular = []
        if not result.total:
            words = [t for t in result.parsed.tokens if len(t) > 1][:6]
            popular = (searchlog.popular_queries(session, containing=words) if words else []) or (
                searchlog.popular_queries(session)
            )
        # The shops behind sponsored and gifted notes, quoted or listed, in one query for the page.
        sponsors = shop_names(
            session,
            [e.note.sponsor_shop_id for r in result.products for e in r.evidence]
            + [n.sponsor_shop_id for n in result.notes],
        )
        products = [
            {
                "card": product_card(r.product),
                "evidence": [
                    {
                        "note": e.note,
                        "author": e.author,
                        "sponsor_name": sponsors.get(e.note.sponsor_shop_id or 0),
                        "fragments": fragments(e.passage.text, e.passage.highlights),
                    }
                    for e in r.evidence
                ],
            }
            for r in result.products
        ]
        notes = note_cards(session, result.notes, result.note_authors, sponsors)
        passages = {i: fragments(p.text, p.highlights) for i, p in result.note_passages.items()}
    search_id = None
    if not cursor and result.query:
        with db.write() as session:
            search_id = searchlog.log_search(
                session, page.user, result.query, result.language, result.total, result.parsed.is_long_tail
            ).id
    chosen = [
        (name, params[name], _url(current, **{name: None}))
        for name in ("category", "size", "width", "color", "language", "in_stock", "price_min", "price_max")
        if name in params
    ]
    return page.render(
        "search.html",
        result=result,
        products=products,
        notes=notes,
        passages=passages,
        facets=_facet_links(result, current, page.gettext),
        chosen=chosen,
        in_stock_href=_url(current, in_stock=None if params.get("in_stock") == "true" else "true"),
        did_you_mean=_url({"q": result.did_you_mean}) if result.did_you_mean else None,
        more_href=_url(current, cursor=result.next_cursor) if result.next_cursor else None,
        search_id=search_id,
        popular=popular,
        error=None,
        **common,
    )


@router.get("/search/suggest")
def suggest_fragment(page: PageDep, db: DbDep, q: str = "") -> Response:
    """Autocomplete for the search box (an htmx fragment)."""
    with db.read() as session:
        items = suggest(session, q)
    return page.render("_search_suggest.html", items=items)


@router.get("/search/stats")
def stats_page(page: PageDep, db: DbDep, days: int = searchlog.STATS_DAYS) -> Response:
    """Long-tail share over time, top and no-result queries, click-through (moderators)."""
    user = page.require_user()
    if not user.has_role("moderator"):
        raise Forbidden("only moderators may see search statistics")
    days = min(max(days, 1), 365)
    with db.read() as session:
        stats = searchlog.search_stats(session, days=days)
    return page.render("search_stats.html", stats=stats, chart=share_chart(stats.days), days=days)


CHART_W, CHART_H, CHART_PAD = 640, 200, 32


def share_chart(days: list[searchlog.DayShare]) -> dict[str, Any]:
    """Points of an SVG line chart of the long-tail share per day (0..100 %), drawn server-side."""
    inner_w, inner_h = CHART_W - 2 * CHART_PAD, CHART_H - 2 * CHART_PAD
    n = len(days)
    points = []
    for i, d in enumerate(days):
        x = CHART_PAD + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)
        y = CHART_PAD + inner_h * (1 - d.share)
        points.append(
            {"x": round(x, 1), "y": round(y, 1), "day": d.day, "share": d.share, "searches": d.searches}
        )
    return {
        "width": CHART_W,
        "height": CHART_H,
        "pad": CHART_PAD,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "grid": [
            {"y": round(CHART_PAD + inner_h * (1 - f), 1), "label": f"{int(f * 100)}%"} for f in (0, 0.5, 1)
        ],
    }
