"""The shopper query table: what each first page must and must not show, and its precision."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from concierge import create_app
from concierge.text import fold

TABLE = tomllib.loads((Path(__file__).with_name("shopper_queries.toml")).read_text("utf-8"))
QUERIES = TABLE["query"]
URL = "/api/concierge/products"
MIN_MEAN_PRECISION = 0.9


def first_page(client, q: str) -> dict:
    response = client.get(URL, query_string={"q": q})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _has(haystack: str, needles: list[str]) -> bool:
    return any(fold(n) in fold(haystack) for n in needles)


def meets(product: dict, stored: dict, every: dict) -> bool:
    """Tell whether a result meets every condition of a row."""
    text = " ".join([stored["name"], stored["description"], *stored["tags"]])
    price = product["price"]["amount"]
    checks = {
        "category": lambda v: product["category"] == v,
        "colors": lambda v: bool(set(product["colors"]) & set(v)),
        "sizes": lambda v: bool(set(product["sizes"]) & set(v)),
        "min_price": lambda v: price >= v,
        "max_price": lambda v: price <= v,
        "in_stock": lambda v: product["inStock"] is v,
        "name_any": lambda v: _has(product["name"], v),
        "text_any": lambda v: _has(text, v),
    }
    return all(checks[name](value) for name, value in every.items())


def precision(items: list[dict], stored: dict, every: dict) -> float:
    """Return the share of first-page results that meet the row's conditions."""
    if not items:
        return 1.0
    return sum(meets(p, stored[p["sku"]], every) for p in items) / len(items)


def test_the_table_holds_at_least_forty_queries_some_held_out():
    assert len(QUERIES) >= 40
    assert sum(bool(row.get("heldout")) for row in QUERIES) >= 15


@pytest.fixture(scope="module")
def app():
    """One seeded app for the whole table: every row only reads."""
    return create_app({"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": False,
                       "LOG_LEVEL": "WARNING"})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def stored(app) -> dict:
    products = app.extensions["concierge_store"].database().products
    return {p["sku"]: p for p in products.find({}, {"_id": 0})}


# ASCII ids: pytest cannot select an escaped id such as "CR\\xcaPE" (mutmut selects by id).
@pytest.mark.parametrize("row", QUERIES, ids=[ascii(row["q"]).strip("'").replace("\\", "")
                                              for row in QUERIES])
def test_first_page_shows_what_the_shopper_asked_for(client, stored, row):
    body = first_page(client, row["q"])
    items, names = body["items"], [p["name"] for p in body["items"]]
    if row.get("empty"):
        assert body["total"] == 0, names
        return
    assert body["total"] >= row.get("min_total", 1), body["interpretation"]
    for name in row.get("includes", []):
        assert any(fold(name) in fold(n) for n in names), (name, names)
    for name in row.get("excludes", []):
        assert not any(fold(name) in fold(n) for n in names), (name, names)
    failing = [p["name"] for p in items if not meets(p, stored[p["sku"]], row["every"])]
    assert failing == [], body["interpretation"]


def test_precision_of_the_first_page_is_measured_and_printed(client, stored, capsys):
    scores = {}
    for row in QUERIES:
        body = first_page(client, row["q"])
        scores[row["q"]] = (precision(body["items"], stored, row.get("every", {})),
                            len(body["items"]), bool(row.get("heldout")))
    lines = [f"{p:5.2f}  {n:2d} results  {'held out ' if h else 'tuned    '} {q}"
             for q, (p, n, h) in scores.items()]
    mean = {group: _mean([p for p, _, h in scores.values() if h == group])
            for group in (False, True)}
    overall = _mean([p for p, _, _ in scores.values()])
    with capsys.disabled():
        print("\nFirst-page precision per query (share of results meeting the row):")
        print("\n".join(lines))
        print(f"mean precision: {overall:.3f} over {len(scores)} queries "
              f"(tuned {mean[False]:.3f}, held out {mean[True]:.3f})")
    assert overall >= MIN_MEAN_PRECISION


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 1.0
