"""/demo?locale= shows the widget and the loader's words in that language."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(("query", "locale"), [
    ("?locale=fr", "fr"), ("?locale=de-DE", "de"), ("?locale=xx", "en")])
def test_demo_with_a_locale_puts_it_on_the_loader_tag_and_its_url(client, query, locale):
    page = client.get("/demo" + query).get_data(as_text=True)
    assert f'data-locale="{locale}"' in page
    assert f'aurora-embed.js?locale={locale}"' in page


def test_demo_without_a_locale_leaves_both_to_the_browser(client):
    page = client.get("/demo").get_data(as_text=True)
    assert "data-locale" not in page
    assert re.search(r'aurora-embed\.js"', page)
