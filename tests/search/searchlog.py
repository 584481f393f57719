"""A search in the platform's log that led to a click, the raw material of log-trained ranking."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from nichely.activity.models import SearchClick, SearchLog
from nichely.catalog.models import Product
from nichely.search.index import index_product


def clicked_search(
    session: Session, user_id: int, query: str, products: Sequence[Product], clicked: Product, position: int
) -> SearchLog:
    """Index `products`, then log `query` by `user_id` and a click on `clicked` at `position`."""
    for product in products:
        index_product(session, product.id)
    search = SearchLog(user_id=user_id, query=query, language="en")
    session.add(search)
    session.flush()
    session.add(
        SearchClick(search_id=search.id, target_type="product", target_id=clicked.id, position=position)
    )
    return search
