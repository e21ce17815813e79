"""Byte budgets: the loader <= 2 KB gzipped, first open <= 35 KB gzipped, one origin only.

`make bench` runs this file with -s and prints the figures.
"""

from __future__ import annotations

import gzip

import pytest
import requests

from .conftest import WIDGET_FRAME, launcher

pytestmark = [pytest.mark.browser, pytest.mark.live]
LOADER_BUDGET = 2 * 1024
FIRST_OPEN_BUDGET = 35 * 1024
COUNTED = {"document", "stylesheet", "script"}
HEADINGS = {"en-US": "How can we help?", "fr-FR": "Comment pouvons-nous vous aider ?",
            "de-DE": "Wie können wir helfen?", "es-ES": "¿En qué podemos ayudarte?"}


def gzipped(data: bytes) -> int:
    """Size after gzip at level 6, what a typical server or CDN sends."""
    return len(gzip.compress(data, compresslevel=6))


def test_loader_is_under_two_kilobytes_gzipped(server):
    answer = requests.get(f"{server.url}/static/aurora-embed.js", timeout=5)
    size = gzipped(answer.content)
    print(f"\nloader aurora-embed.js: {len(answer.content)} B raw, {size} B gzipped "
          f"(budget {LOADER_BUDGET} B); Cache-Control: {answer.headers['Cache-Control']}")
    assert size <= LOADER_BUDGET


@pytest.fixture(params=["en-US", "fr-FR", "de-DE", "es-ES"])
def context_options(request) -> dict:
    """A shopper per locale: each page carries its own locale's words for the script."""
    return {"viewport": {"width": 1280, "height": 900}, "locale": request.param}


def test_first_open_loads_under_35_kilobytes_from_one_origin(page, server, context_options):
    page.goto(f"{server.url}/demo")
    launcher(page).wait_for()
    loaded: list = []
    page.on("requestfinished", lambda request: loaded.append(request))
    launcher(page).click()
    frame = page.frame_locator(WIDGET_FRAME)
    frame.get_by_role("heading", name=HEADINGS[context_options["locale"]]).wait_for()
    page.wait_for_function("() => window.dataLayer.some(e => e.event === 'aurora_widget_opened')")
    page.wait_for_timeout(500)  # let the opened event's POST finish

    foreign = [r.url for r in loaded if not r.url.startswith(server.url + "/")]
    assert foreign == []
    rows, total, api = [], 0, 0
    for request in loaded:
        body = request.response().body()
        if request.resource_type in COUNTED:
            size = gzipped(body)
            total += size
            path = request.url[len(server.url):]
            rows.append(f"  {request.resource_type:10} {size:6} B gz  {path}")
        elif "/api/" in request.url:
            api += len(body)
    print(f"\nfirst open in {context_options['locale']} (HTML, CSS, JS):\n" + "\n".join(rows))
    print(f"  total {total} B gzipped (budget {FIRST_OPEN_BUDGET} B); "
          f"API answers {api} B; {len(loaded)} requests, all same-origin")
    assert {r.resource_type for r in loaded} >= {"document", "stylesheet", "script"}
    assert total <= FIRST_OPEN_BUDGET
