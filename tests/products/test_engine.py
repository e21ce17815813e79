"""The tantivy engine on its own: ties, sort keys, archived products, facets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from concierge.products.engine import Engine, Plan
from concierge.products.words import Term

START = datetime(2026, 1, 1, tzinfo=UTC)


def item(sku: str, rank: int, price: int = 5000, name: str = "Linen Shirt", **extra) -> dict:
    return {"sku": sku, "name": name, "description": f"{name}.", "category": "tops",
            "price": {"amount": price, "currency": "USD"}, "colors": ["white"],
            "sizes": ["M"], "tags": [], "stock": 1, "rank": rank,
            "createdAt": START + timedelta(days=rank % 7), **extra}


def term(word: str) -> Term:
    return Term(word, word, (word,))


def order(engine: Engine, **plan) -> list[str]:
    return [p["sku"] for p in engine.search(Plan(limit=50, **plan))["items"]]


@pytest.fixture
def engine() -> Engine:
    # Written in an order that is neither rank nor sku order.
    return Engine([item("C", 30), item("A", 10, price=7000), item("D", 40),
                   item("B", 20, price=7000)])


def test_equal_scores_are_ordered_by_catalogue_rank(engine):
    assert order(engine, terms=[term("linen")]) == ["A", "B", "C", "D"]


@pytest.mark.parametrize(("offset", "expected"), [(0, ["A", "B"]), (1, ["B", "C"]),
                                                  (2, ["C", "D"])])
def test_pages_of_tied_results_follow_rank_too(engine, offset, expected):
    page = engine.search(Plan(terms=[term("linen")], offset=offset, limit=2))
    assert ([p["sku"] for p in page["items"]], page["total"]) == (expected, 4)


@pytest.mark.parametrize(("sort", "expected"), [
    ("relevance", ["A", "B", "C", "D"]),
    ("price_asc", ["C", "D", "A", "B"]),
    ("price_desc", ["A", "B", "C", "D"]),
])
def test_sorts_break_ties_by_rank(engine, sort, expected):
    assert order(engine, sort=sort) == expected


def test_a_better_match_outranks_a_better_rank():
    engine = Engine([item("TOP", 1, name="Cotton Shirt", description="Linen look."),
                     item("LOW", 900, name="Linen Shirt")])
    assert order(engine, terms=[term("linen")]) == ["LOW", "TOP"]


def test_archived_products_are_never_indexed_and_leave_when_archived(engine):
    engine.apply([item("E", 5, archived=True), item("A", 10, archived=True)])
    assert order(engine) == ["B", "C", "D"]
    assert engine.search(Plan())["facets"]["category"] == {"tops": 3}


def test_filters_do_not_change_scores(engine):
    with_filter = order(engine, terms=[term("linen")], min_price=6000, in_stock=True)
    assert with_filter == ["A", "B"]


def test_catalogue_lists_what_the_index_holds(engine):
    catalogue = engine.catalogue()
    assert catalogue.categories == {"tops"}
    assert catalogue.sizes == {"m": "M"}
    assert catalogue.words["linen"] == 4
    assert catalogue.has_prefix("lin")
    assert not catalogue.has_prefix("wool")


def test_summaries_hold_every_searchable_product_asked_for():
    engine = Engine([item(f"S{n:02}", n) for n in range(15)] + [item("GONE", 99, archived=True)])
    asked = [f"S{n:02}" for n in range(15)] + ["GONE", "NOPE"]
    found = engine.summaries(asked)
    assert sorted(found) == asked[:15]
    assert found["S03"] == {"sku": "S03", "name": "Linen Shirt", "category": "tops",
                            "price": {"amount": 5000, "currency": "USD"}, "colors": ["white"],
                            "sizes": ["M"], "imageUrl": None, "url": None, "inStock": True}
