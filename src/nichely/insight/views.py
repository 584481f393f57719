"""The insight results as plain JSON-ready dicts, the one shape the API and the CLI print."""

from __future__ import annotations

from typing import Any

from nichely.insight.needs import Need
from nichely.insight.skus import AttributeFit

__all__ = ["fit_out", "need_out"]


def need_out(need: Need) -> dict[str, Any]:
    """One need as JSON (rates rounded to 4 places)."""
    supply = need.supply
    return {
        "query": need.query,
        "terms": list(need.terms),
        "wordings": need.wordings,
        "language": need.language,
        "long_tail": need.long_tail,
        "searches": need.searches,
        "searchers": need.searchers,
        "anonymous_searches": need.anonymous,
        "no_result_rate": round(need.no_result_rate, 4),
        "click_rate": round(need.click_rate, 4),
        "searches_last_week": need.recent,
        "searches_week_before": need.previous,
        "rising": need.rising,
        "supply": None
        if supply is None
        else {
            "products": supply.products,
            "proven_products": supply.proven_products,
            "notes": supply.notes,
            "buyer_shows": supply.buyer_shows,
            "top_product_ids": supply.top_product_ids,
        },
        "gap": need.gap,
        "reasons": need.reasons,
    }


def fit_out(fit: AttributeFit) -> dict[str, Any]:
    """One segment x SKU attribute finding as JSON."""
    return {
        "segment": fit.segment,
        "attribute": fit.attribute,
        "value": fit.value,
        "units": fit.units,
        "segment_share": round(fit.segment_share, 4),
        "overall_share": round(fit.overall_share, 4),
        "lift": round(fit.lift, 3),
        "refund_rate": round(fit.refund_rate, 4),
        "overall_refund_rate": round(fit.overall_refund_rate, 4),
        "p_value": fit.p_value,
        "products": fit.products,
        "reason": fit.reason,
    }
