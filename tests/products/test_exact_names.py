"""A product's exact name finds it first: seed catalogue, 10x catalogue, random names."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concierge import create_app
from concierge.products.engine import Engine, index_tokens
from concierge.products.query_parser import parse, tokenize
from concierge.products.service import plan
from concierge.text import normal_name
from tests.bench.search import grown, seed_products

URL = "/api/concierge/products"
# Words the parser reads as filters, prices, sizes or filler: names are made of them too.
READ_AS_FILTERS = ["black", "Noir", "dress", "Knit", "boots", "under", "100", "$40", "40",
                   "size", "M", "XL", "in", "stock", "the", "for", "red", "Cashmere",
                   "501", "MA-1", "T-Shirt", "one size", "sold out", "between", "and"]
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèêëàâäöüïçñßøæÉÖÜ"


def first_names(client, name: str) -> list[str]:
    body = client.get(URL, query_string={"q": name, "pageSize": 50}).get_json()
    return [item["name"] for item in body["items"]]


def exact_first(names: list[str], wanted: str) -> bool:
    """Tell whether the results open with every product of this name, and hold one."""
    exact = [normal_name(n) == normal_name(wanted) for n in names]
    return bool(exact) and exact[0] and exact == sorted(exact, reverse=True)


@pytest.fixture(scope="module")
def seed_app():
    return create_app({"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": False,
                       "LOG_LEVEL": "WARNING"})


def test_every_seed_product_is_found_first_by_its_exact_name(seed_app):
    client = seed_app.test_client()
    products = seed_app.extensions["concierge_store"].database().products
    names = [p["name"] for p in products.find({}, {"name": 1})]
    assert len(names) >= 200
    missed = [n for n in names if not exact_first(first_names(client, n), n)]
    assert missed == []


def test_every_product_of_the_tenfold_catalogue_is_found_first_by_its_exact_name():
    app = create_app({"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": False,
                      "LOG_LEVEL": "WARNING"})
    client, db = app.test_client(), app.extensions["concierge_store"].database()
    db.products.insert_many(grown(list(db.products.find({}, {"_id": 0})), 10,
                                  datetime.now(UTC)))
    names = sorted({p["name"] for p in db.products.find({}, {"name": 1})})
    assert len(names) > 224
    assert client.get(URL).get_json()["total"] == db.products.count_documents({})
    missed = [n for n in names if not exact_first(first_names(client, n), n)]
    assert missed == []


@pytest.mark.parametrize("name", ["Acceptance Zephyrine971 Kaftan", "501 Original",
                                  "MA-1 Bomber", "Levi's 501s", "Size 40 Boot"])
def test_a_name_with_numbers_is_found_first_by_itself(catalogue_engine, name):
    engine, model = catalogue_engine
    engine.apply([{**model, "sku": "AUR-ZZ-0001", "name": name}])
    for query in (name, name.lower(), name.replace("-", " ")):
        found = engine.search(plan(params(query), parse(query, engine.catalogue())))
        assert found["items"][0]["sku"] == "AUR-ZZ-0001"


def params(q: str) -> dict:
    return {"q": q, "page": 1, "pageSize": 50, "sort": "relevance"}


words = st.one_of(
    st.sampled_from(READ_AS_FILTERS),
    st.text(LETTERS, min_size=1, max_size=12),
    st.from_regex(r"[A-Za-z]{1,8}[0-9]{1,4}", fullmatch=True),
    st.from_regex(r"[0-9]{1,4}", fullmatch=True),
)
names = st.lists(words, min_size=1, max_size=5).map(" ".join).filter(normal_name)


@settings(deadline=None)  # a loaded machine may take long over one example
@given(names)
def test_query_and_index_split_a_name_into_the_same_tokens(name):
    from_query = [t for token in tokenize(name) if token.kind != "sym"
                  for t in index_tokens(token.value)]
    assert from_query == index_tokens(name)


@pytest.fixture(scope="module")
def catalogue_engine():
    products = seed_products(1)
    return Engine(products), products[0]


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names)
def test_a_product_of_any_name_is_found_first_by_it(catalogue_engine, name):
    engine, model = catalogue_engine
    engine.apply([{**model, "sku": "AUR-ZZ-0001", "name": name}])
    found = engine.search(plan(params(name), parse(name, engine.catalogue())))
    names_found = [p["name"] for p in found["items"]]
    assert exact_first(names_found, name), names_found
    assert "AUR-ZZ-0001" in [p["sku"] for p in found["items"]]


@pytest.mark.parametrize(("query", "first"), [
    ("black oxford shirts", "Black Oxford Shirt"),
    ("blush cashmere glove", "Blush Cashmere Gloves"),
    ("burgundy fisherman sweaters", "Burgundy Fisherman Sweater"),
])
def test_a_colour_word_of_the_name_counts_toward_the_name_while_it_filters(
        seed_app, query, first):
    body = seed_app.test_client().get(URL, query_string={"q": query}).get_json()
    assert body["items"][0]["name"] == first
    assert body["interpretation"]["colors"]
