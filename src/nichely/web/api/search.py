"""Search over products, notes and people; autocomplete; search statistics; logging clicks."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from nichely.activity import searchlog
from nichely.errors import InvalidInput
from nichely.search import service
from nichely.search.evidence import Passage, fragments
from nichely.search.suggest import suggest as suggest_queries
from nichely.web.api.notes import note_cards
from nichely.web.deps import DbDep, ModeratorUser, OptionalUser
from nichely.web.schemas import user_brief, user_public

router = APIRouter(tags=["search"])


class ClickIn(BaseModel):
    target_type: str = Field(max_length=20)
    target_id: int
    position: int


class ClickOut(BaseModel):
    id: int
    search_id: int
    target_type: str
    target_id: int
    position: int


def _price(value: str | None, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        price = Decimal(value)
    except InvalidOperation:
        raise InvalidInput(f"{name} must be a number such as 49.90", field=name) from None
    if not price.is_finite() or price < 0:
        raise InvalidInput(f"{name} must be a number of 0 or more", field=name)
    return price


def passage_out(passage: Passage) -> dict[str, Any]:
    """A passage as JSON: the text, highlight offsets, and the same cut into marked fragments."""
    return {
        "text": passage.text,
        "highlights": [list(span) for span in passage.highlights],
        "fragments": [{"text": t, "mark": m} for t, m in fragments(passage.text, passage.highlights)],
        "aspects": list(passage.aspects),
    }


def product_out(r: service.ProductResult) -> dict[str, Any]:
    p = r.product
    return {
        "id": p.id,
        "shop_id": p.shop_id,
        "title": p.title,
        "category": p.category,
        "note_count": p.note_count,
        "buyer_show_count": p.buyer_show_count,
        "sold_count": p.sold_count,
        "min_price": str(r.min_price) if r.min_price is not None else None,
        "in_stock": r.in_stock,
        "score": round(r.score, 6),
        "evidence": [
            {
                "note_id": e.note.id,
                "title": e.note.title,
                "language": e.note.language,
                "author": user_brief(e.author).model_dump() if e.author else None,
                "buyer_show": e.buyer_show,
                "sponsored": e.sponsored,
                "trust": round(e.trust, 3),
                "passage": passage_out(e.passage),
            }
            for e in r.evidence
        ],
    }


def parsed_out(result: service.SearchResult) -> dict[str, Any]:
    p = result.parsed
    return {
        "corrected": p.corrected,
        "did_you_mean": result.did_you_mean,
        "sku_attributes": p.sku_attributes,
        "aspects": p.aspects,
        "is_long_tail": p.is_long_tail,
        "tokens": p.tokens,
    }


@router.get("/search")
def search(
    db: DbDep,
    user: OptionalUser,
    q: str = "",
    type: str = "all",
    limit: int = 10,
    cursor: str | None = None,
    category: str | None = None,
    price_min: str | None = None,
    price_max: str | None = None,
    in_stock: bool | None = None,
    language: str | None = None,
    size: Annotated[str | None, Query(max_length=40)] = None,
    width: Annotated[str | None, Query(max_length=40)] = None,
    color: Annotated[str | None, Query(max_length=40)] = None,
    sort: str = "relevance",
) -> dict[str, Any]:
    """Search; type=all gives the top of each kind, a single type gives a page with next_cursor.

    Any query text is answered: an empty or punctuation-only one finds nothing (and is not logged),
    a long one is cut to 200 characters (`truncated`). Only the first page of a search is logged;
    keep its search_id to log clicks on later pages.
    """
    filters = service.Filters(
        category=category or None,
        price_min=_price(price_min, "price_min"),
        price_max=_price(price_max, "price_max"),
        in_stock=in_stock or None,
        language=language or None,
        size=size or None,
        width=width or None,
        color=color or None,
    )
    with db.read() as session:
        result = service.search(session, q, type=type, limit=limit, cursor=cursor, filters=filters, sort=sort)
        shaped: dict[str, list[Any]] = {
            "products": [product_out(r) for r in result.products],
            "notes": [
                {
                    **card.model_dump(mode="json"),
                    "passage": passage_out(result.note_passages[card.id])
                    if card.id in result.note_passages
                    else None,
                }
                for card in note_cards(result.notes, result.note_authors)
            ],
            "people": [user_public(u) for u in result.people],
        }
        suggestions: list[str] = []
        if not result.total:
            words = [t for t in result.parsed.tokens if len(t) > 1][:6]
            suggestions = searchlog.popular_queries(session, containing=words) if words else []
            if not suggestions:
                suggestions = searchlog.popular_queries(session)
    search_id = None
    if not cursor and result.query:
        with db.write() as session:
            search_id = searchlog.log_search(
                session, user, result.query, result.language, result.total, result.parsed.is_long_tail
            ).id
    body: dict[str, Any] = {
        "query": result.query,
        "language": result.language,
        "terms": result.parsed.tokens,
        "search_id": search_id,
        "total": result.total,
        "truncated": result.truncated,
        "sort": result.sort,
        "parsed": parsed_out(result),
        "facets": result.facets,
        "suggestions": suggestions,
    }
    if type == "all":
        return {**body, **shaped}
    return {**body, "type": type, "items": shaped[type], "next_cursor": result.next_cursor}


@router.get("/search/suggest")
def suggest(db: DbDep, q: str = "", limit: int = 8) -> dict[str, Any]:
    """Autocomplete: popular past queries, product titles and tags starting with `q`."""
    if not 1 <= limit <= 20:
        raise InvalidInput("limit must be between 1 and 20", field="limit")
    with db.read() as session:
        return {"query": q, "suggestions": suggest_queries(session, q, limit)}


@router.get("/search/stats")
def stats(db: DbDep, _moderator: ModeratorUser, days: int = searchlog.STATS_DAYS) -> dict[str, Any]:
    """Search analytics for moderators and admins: long-tail share per day, top queries, top
    no-result queries, click-through rate. Not public: queries are what people typed."""
    with db.read() as session:
        s = searchlog.search_stats(session, days=days)
    return {
        "days": days,
        "searches": s.searches,
        "long_tail_share": round(s.long_tail_share, 4),
        "click_through_rate": round(s.click_through_rate, 4),
        "per_day": [
            {"day": d.day, "searches": d.searches, "long_tail": d.long_tail, "share": round(d.share, 4)}
            for d in s.days
        ],
        "top_queries": [{"query": q, "count": n} for q, n in s.top_queries],
        "no_result_queries": [{"query": q, "count": n} for q, n in s.no_result_queries],
    }


@router.post("/search/{search_id}/click", status_code=201)
def click(search_id: int, body: ClickIn, user: OptionalUser, db: DbDep) -> ClickOut:
    """Log that a search result was opened."""
    with db.write() as session:
        entry = searchlog.log_click(session, user, search_id, body.target_type, body.target_id, body.position)
        return ClickOut(
            id=entry.id,
            search_id=entry.search_id,
            target_type=entry.target_type,
            target_id=entry.target_id,
            position=entry.position,
        )
