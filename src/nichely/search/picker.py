"""Finding a product to link or shelve: the note form's product links and the storefront editor.

The platform search (`search.service`) ranks, so a picker gains what search gained (spelling,
stems, synonyms, Chinese segmentation, products named by their notes). Its index holds whole
words, though, and a picker asks while the author is still typing ("tra" on the way to "trail"),
so the title and description substring matches of `search.simple` top the list up: every product
the picker found before is still found, after the ranked ones.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from nichely.catalog.models import Product
from nichely.errors import InvalidInput
from nichely.search import service, simple

PICKER_RESULTS = 8


def find_products(session: Session, query: str, limit: int = PICKER_RESULTS) -> list[Product]:
    """Active products for `query`: the platform search's ranking, then substring matches."""
    if not query.strip():
        return []
    try:
        found = [r.product for r in service.search(session, query, type="products", limit=limit).products]
    except InvalidInput:
        found = []
    if len(found) < limit:
        try:
            partial = simple.search(session, query, type="products", limit=limit).products
        except InvalidInput:
            partial = []
        seen = {p.id for p in found}
        found += [p for p in partial if p.id not in seen][: limit - len(found)]
    return found


__all__ = ["PICKER_RESULTS", "find_products"]
