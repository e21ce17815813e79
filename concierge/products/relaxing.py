"""When a search finds nothing, find what it would without one of its conditions."""

from __future__ import annotations

from dataclasses import replace

from .engine import Engine, Plan

# Conditions given up first to last: availability and size before colour and category,
# which say more about what the shopper wants; the words she searched go last.
ORDER = (("inStock", "in_stock"), ("sizes", "sizes"), ("minPrice", "min_price"),
         ("maxPrice", "max_price"), ("colors", "colors"), ("category", "category"))


def relax(engine: Engine, plan: Plan) -> tuple[dict, list[dict]]:
    """Give up the plan's conditions one at a time, in ORDER then its words from the last,
    until something is found; return that search and what was given up, in order (no
    condition the plan did not have is ever named)."""
    relaxed: list[dict] = []
    plan = replace(plan, offset=0, exact=None)
    for field, attribute in ORDER:
        value = getattr(plan, attribute)
        if value is None:
            continue
        plan = replace(plan, **{attribute: None})
        relaxed.append({"field": field, "value": value})
        found = engine.search(plan) if _narrows(plan) else None
        if found and found["total"]:
            return found, relaxed
    while len(plan.terms) > 1:  # one word alone is no search to widen
        *kept, dropped = plan.terms
        plan = replace(plan, terms=kept)
        relaxed.append({"field": "terms", "value": dropped.word})
        found = engine.search(plan)
        if found["total"]:
            return found, relaxed
    return {"items": [], "total": 0, "facets": {}}, []


def _narrows(plan: Plan) -> bool:
    """Tell whether a plan still asks for something (else it would list everything)."""
    return bool(plan.terms) or any(getattr(plan, attribute) is not None
                                   for _, attribute in ORDER)
