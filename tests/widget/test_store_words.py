"""The store's words in the widget: its name, its order number example, its currency."""

from __future__ import annotations

import pytest

from concierge import create_app
from concierge.config import ConfigError

from ..merchant.conftest import BOOTSTRAP, product_body

WORDS = {"CONCIERGE_STORE_NAME": "Maison Rose", "CONCIERGE_ORDER_EXAMPLE": "#1001",
         "CONCIERGE_STORE_NAME_FR": "Maison Rose Paris"}


@pytest.fixture
def config(config):
    return {**config, **WORDS, "CONCIERGE_MERCHANT_KEY": BOOTSTRAP}


def page(client, locale="en") -> str:
    return client.get("/widget", query_string={"locale": locale}).get_data(as_text=True)


def test_the_header_shows_the_stores_name(client):
    assert "<h1>Maison Rose</h1>" in page(client)
    assert "Aurora Concierge" not in page(client)


def test_the_stores_name_per_locale_wins_in_that_locale(client):
    assert "<h1>Maison Rose Paris</h1>" in page(client, "fr")
    assert "<h1>Maison Rose</h1>" in page(client, "de")  # none given in German


def test_the_ask_box_is_named_by_the_stores_launcher_label(config):
    app = create_app({**config, "CONCIERGE_LAUNCHER_LABEL": "Ask Maison Rose"})
    assert '<label for="ask-text">Ask Maison Rose</label>' in page(app.test_client(), "fr")
    assert "Aurora" not in page(app.test_client())


def test_the_ask_box_keeps_our_translated_label_when_the_store_kept_the_default(client):
    assert '<label for="ask-text">Demander à Aurora</label>' in page(client, "fr")


@pytest.mark.parametrize(("locale", "hint"), [
    ("en", "For example #1001"), ("fr", "Par exemple #1001"), ("de", "Zum Beispiel #1001")])
def test_the_order_number_hint_shows_the_stores_example(client, locale, hint):
    html = page(client, locale)
    assert hint in html
    assert "GG-11982" not in html


def test_the_demo_catalogue_gets_dollar_price_filters(client):
    assert "Min price (USD)" in page(client)


def test_a_euro_catalogue_gets_euro_price_filters(client):
    client.put("/api/concierge/merchant/products/EU-1", headers={
        "Authorization": f"Bearer {BOOTSTRAP}"}, json=product_body(
            rank=0, price={"amount": 9900, "currency": "EUR"}))
    html = page(client, "fr")
    assert "Prix min. (EUR)" in html
    assert "USD" not in html
    assert 'data-currency="EUR"' in html


@pytest.mark.parametrize(("name", "raw"), [
    ("CONCIERGE_STORE_NAME", ""),
    ("CONCIERGE_STORE_NAME", "x" * 61),
    ("CONCIERGE_STORE_NAME_FR", "\u0007"),
    ("CONCIERGE_ORDER_EXAMPLE", ""),
    ("CONCIERGE_ORDER_EXAMPLE", "GG/11982"),
    ("CONCIERGE_ORDER_EXAMPLE", "#"),
    ("CONCIERGE_ORDER_EXAMPLE_ES", "<b>1001</b>"),
    ("CONCIERGE_ORDER_EXAMPLE", "A" * 33),
])
def test_a_bad_store_word_refuses_to_start_and_names_the_variable(config, name, raw):
    with pytest.raises(ConfigError, match=name):
        create_app({**config, name: raw})


@pytest.mark.parametrize(("name", "raw"), [
    ("CONCIERGE_STORE_NAME", "Maison Rose"), ("CONCIERGE_ORDER_EXAMPLE", "#1001"),
    ("CONCIERGE_ORDER_EXAMPLE", "A 2231"), ("CONCIERGE_ORDER_EXAMPLE_FR", "FR-1001")])
def test_a_good_store_word_starts(config, name, raw):
    assert create_app({**config, name: raw}) is not None


def test_the_loader_names_its_panel_and_frame_after_the_store(client):
    script = client.get("/static/aurora-embed.js", headers={"Accept-Language": "fr"})
    assert script.get_data(as_text=True).endswith(',"title":"Maison Rose Paris"});')
