"""The four language tables: every query finds what it must, precision and recall >= 0.9."""

from __future__ import annotations

import pytest

from concierge import create_app
from tests.products.language_tables import LOCALES, means, score, table

MIN_PRECISION = MIN_RECALL = 0.9
ROWS = [(locale, row) for locale in LOCALES for row in table(locale)]


@pytest.fixture(scope="module")
def app():
    """One seeded app for every table: the rows only read."""
    return create_app({"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": False,
                       "LOG_LEVEL": "WARNING"})


@pytest.fixture(scope="module")
def catalogue(app) -> dict[str, dict]:
    products = app.extensions["concierge_store"].database().products
    return {p["sku"]: p for p in products.find({}, {"_id": 0})}


@pytest.mark.parametrize("locale", LOCALES)
def test_each_language_has_a_table_of_at_least_forty_queries(locale):
    rows = table(locale)
    assert len(rows) >= 40
    assert len({row["q"] for row in rows}) == len(rows)


@pytest.mark.parametrize(("locale", "row"), ROWS,
                         ids=[f"{loc}-{ascii(row['q']).strip(chr(39))}" for loc, row in ROWS])
def test_a_query_finds_products_it_must_and_keeps_the_order_asked(app, catalogue, locale,
                                                                   row):
    result = score(app.test_client(), locale, row, catalogue)
    assert result.wanted > 0, "a row must name products to find"
    assert result.recall > 0, result.missed
    assert result.ordered


@pytest.mark.parametrize("locale", LOCALES)
def test_precision_and_recall_of_a_language_table_are_at_least_ninety_percent(
        app, catalogue, locale, capsys):
    scores = [score(app.test_client(), locale, row, catalogue) for row in table(locale)]
    precision, recall = means(scores)
    with capsys.disabled():
        print(f"\n{locale}: {len(scores)} queries, precision {precision:.3f}, "
              f"recall {recall:.3f}")
    assert precision >= MIN_PRECISION, [(s.q, s.extra) for s in scores if s.precision < 1]
    assert recall >= MIN_RECALL, [(s.q, s.missed) for s in scores if s.recall < 1]
