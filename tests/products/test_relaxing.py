"""A search that finds nothing says so and offers what it finds without one condition."""

from __future__ import annotations

import pytest

from concierge.products.engine import Engine, Plan
from concierge.products.query_parser import Term
from concierge.products.relaxing import relax

URL = "/api/concierge/products"


def dress(sku: str, color: str, sizes: list[str], price: int = 9000, **extra) -> dict:
    return {"sku": sku, "name": f"{color.title()} Slip Dress", "description": "A dress.",
            "category": "dresses", "price": {"amount": price, "currency": "USD"},
            "colors": [color], "sizes": sizes, "tags": [], "stock": 3, "rank": 1, **extra}


@pytest.fixture
def engine() -> Engine:
    return Engine([dress("DR-1", "black", ["S", "L"]), dress("DR-2", "navy", ["M"]),
                   dress("DR-3", "black", ["XS"], stock=0, price=30000)])


def skus(found: dict) -> set[str]:
    return {p["sku"] for p in found["items"]}


def test_black_dresses_in_a_missing_size_offer_black_dresses_in_other_sizes(engine):
    plan = Plan(category="dresses", colors=["black"], sizes=["M"])
    assert engine.search(plan)["total"] == 0
    found, relaxed = relax(engine, plan)
    assert relaxed == [{"field": "sizes", "value": ["M"]}]
    assert skus(found) == {"DR-1", "DR-3"}


def test_availability_is_given_up_before_the_size(engine):
    found, relaxed = relax(engine, Plan(colors=["black"], sizes=["XS"], in_stock=True))
    assert relaxed == [{"field": "inStock", "value": True}]
    assert skus(found) == {"DR-3"}


def test_conditions_are_given_up_in_order_until_something_is_found(engine):
    found, relaxed = relax(engine, Plan(category="dresses", colors=["white"], sizes=["XL"],
                                        max_price=1000))
    assert [r["field"] for r in relaxed] == ["sizes", "maxPrice", "colors"]
    assert skus(found) == {"DR-1", "DR-2", "DR-3"}


def test_nothing_is_offered_or_blamed_when_giving_up_finds_nothing_either(engine):
    found, relaxed = relax(engine, Plan(terms=[Term("kaftan", "kaftan", ("kaftan",))],
                                        colors=["black"]))
    assert (found["items"], relaxed) == ([], [])


def test_the_last_word_is_given_up_when_the_filters_were_not_enough(engine):
    terms = [Term("slip", "slip", ("slip",)), Term("kaftan", "kaftan", ("kaftan",))]
    found, relaxed = relax(engine, Plan(terms=terms))
    assert relaxed == [{"field": "terms", "value": "kaftan"}]
    assert skus(found) == {"DR-1", "DR-2", "DR-3"}


def test_one_word_alone_is_not_widened_to_the_whole_catalogue(engine):
    found, relaxed = relax(engine, Plan(terms=[Term("kaftan", "kaftan", ("kaftan",))]))
    assert (found["items"], relaxed) == ([], [])


def test_the_answer_says_nothing_matched_and_what_it_relaxed(client):
    body = client.get(URL, query_string={"q": "red dress under $100"}).get_json()
    assert body["total"] == 0
    assert body["relaxed"] == [{"field": "maxPrice", "value": 10000}]
    assert body["items"]
    assert all(p["category"] == "dresses" and {"burgundy", "rust"} & set(p["colors"])
               for p in body["items"])


def test_an_explicit_filter_is_relaxed_and_named_like_a_word(client):
    body = client.get(URL, query_string={"q": "dress", "maxPrice": 100}).get_json()
    assert body["total"] == 0
    assert body["relaxed"] == [{"field": "maxPrice", "value": 100}]


def test_an_answer_that_found_something_relaxes_nothing(client):
    body = client.get(URL, query_string={"q": "black dress"}).get_json()
    assert body["total"] > 0
    assert "relaxed" not in body
