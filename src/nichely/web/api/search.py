"""Search over products, notes and people, and logging which result was clicked."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from nichely.activity import searchlog
from nichely.catalog.models import Product
from nichely.search import simple
from nichely.web.api.notes import note_cards
from nichely.web.deps import DbDep, OptionalUser
from nichely.web.schemas import user_public

router = APIRouter(tags=["search"])


class ProductHit(BaseModel):
    id: int
    shop_id: int
    title: str
    category: str
    note_count: int
    buyer_show_count: int
    sold_count: int


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


def _product_hit(p: Product) -> ProductHit:
    return ProductHit(
        id=p.id,
        shop_id=p.shop_id,
        title=p.title,
        category=p.category,
        note_count=p.note_count,
        buyer_show_count=p.buyer_show_count,
        sold_count=p.sold_count,
    )


@router.get("/search")
def search(
    db: DbDep,
    user: OptionalUser,
    q: str = "",
    type: str = "all",
    limit: int = 10,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Search; type=all gives the top of each kind, a single type gives a page with next_cursor.

    Only the first page of a search is logged; keep its search_id to log clicks on later pages.
    """
    with db.read() as session:
        result = simple.search(session, q, type=type, limit=limit, cursor=cursor)
        shaped: dict[str, list[Any]] = {
            "products": [_product_hit(p) for p in result.products],
            "notes": list(note_cards(result.notes, result.note_authors)),
            "people": [user_public(u) for u in result.people],
        }
    search_id = None
    if not cursor:
        with db.write() as session:
            search_id = searchlog.log_search(session, user, result.query, result.language, result.total).id
    body: dict[str, Any] = {
        "query": result.query,
        "language": result.language,
        "terms": result.terms,
        "search_id": search_id,
        "total": result.total,
    }
    if type == "all":
        return {**body, **shaped}
    return {**body, "type": type, "items": shaped[type], "next_cursor": result.next_cursor}


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
