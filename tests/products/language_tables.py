"""The language tables of tests/products/languages/: which products each query must find,
and the precision and recall of what the search found (the tests and the bench use it)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from concierge.text import fold

TABLES = Path(__file__).with_name("languages")
LOCALES = ("en", "fr", "de", "es")
URL = "/api/concierge/products"
PAGE = 50


def table(locale: str) -> list[dict]:
    """Return the rows of a locale's table."""
    return tomllib.loads((TABLES / f"{locale}.toml").read_text("utf-8"))["query"]


def _starts_a_word(words: list[str], text: str) -> bool:
    return any(re.search(r"\b" + re.escape(fold(w)), text) for w in words)


def _variants(product: dict) -> list[dict]:
    """Return a product's variants (one per colour and size when it lists none)."""
    if product.get("variants"):
        return product["variants"]
    return [{"color": c, "size": s, "stock": product.get("stock", 0)}
            for c in product.get("colors") or [None] for s in product.get("sizes") or [None]]


def relevant(row: dict, product: dict) -> bool:
    """Tell whether a row's query must find this stored product."""
    if "category" in row and product["category"] != row["category"]:
        return False
    price = product["price"]["amount"]
    if price < row.get("min_price", 0) or price > row.get("max_price", price):
        return False
    text = fold(" ".join([product["name"], product["description"], *product["tags"]]))
    if not all(_starts_a_word(group, text) for group in row.get("text", [])):
        return False
    if not all(_starts_a_word(group, fold(product["name"])) for group in row.get("name", [])):
        return False
    if not {"colors", "sizes", "in_stock"} & set(row):
        return True
    return any((not row.get("colors") or v.get("color") in row["colors"])
               and (not row.get("sizes") or v.get("size") in row["sizes"])
               and (not row.get("in_stock") or v.get("stock", 0) > 0)
               for v in _variants(product))


def found(client, locale: str, q: str) -> tuple[list[dict], dict]:
    """Return every product a query finds (all pages) and the first page's answer."""
    items, page, first = [], 1, None
    while True:
        response = client.get(URL, query_string={"q": q, "locale": locale, "page": page,
                                                 "pageSize": PAGE})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        first = first or body
        if body["total"] == 0:
            return [], first  # items, if any, are what relaxing found, not matches
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            return items, first
        page += 1


@dataclass
class Score:
    """How one query did: precision, recall and what went wrong."""

    q: str
    precision: float
    recall: float
    found: int
    wanted: int
    missed: list[str]
    extra: list[str]
    ordered: bool


def score(client, locale: str, row: dict, catalogue: dict[str, dict]) -> Score:
    """Search a row's query and compare what it found with what it must find."""
    items, _ = found(client, locale, row["q"])
    skus = [p["sku"] for p in items]
    wanted = {sku for sku, p in catalogue.items() if relevant(row, p)}
    right = wanted & set(skus)
    precision = len(right) / len(skus) if skus else float(not wanted)
    recall = len(right) / len(wanted) if wanted else float(not skus)
    prices = [p["price"]["amount"] for p in items]
    ordered = row.get("sort") != "price_asc" or prices == sorted(prices)
    return Score(row["q"], precision, recall, len(skus), len(wanted),
                 sorted(catalogue[s]["name"] for s in wanted - right),
                 sorted(catalogue[s]["name"] for s in set(skus) - wanted), ordered)


def means(scores: list[Score]) -> tuple[float, float]:
    """Return the mean precision and recall of a table."""
    return (sum(s.precision for s in scores) / len(scores),
            sum(s.recall for s in scores) / len(scores))
