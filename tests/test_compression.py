"""Text answers travel compressed (brotli or gzip, as accepted); small or binary ones do not."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

LOOKUP = {"orderNumber": "GG-11982", "email": "avery.stone@example.com"}


def decoded(response) -> bytes:
    """Return the body as the client reads it after undoing Content-Encoding."""
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    return {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](data)


def static_urls(client) -> dict[str, str]:
    """Return the fingerprinted widget CSS and JS URLs as the page links them.

    The script is the journey files joined, served at /widget.js (docs/widget.md).
    """
    page = client.get("/widget").get_data(as_text=True)
    return {kind: re.search(rf'"({path}\?v=[0-9a-f]{{12}})"', page).group(1)
            for kind, path in (("css", "/static/widget\\.css"), ("js", "/widget\\.js"))}


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_widget_page_is_compressed_with_what_the_client_accepts(client, encoding):
    plain = client.get("/widget").get_data()
    packed = client.get("/widget", headers={"Accept-Encoding": encoding})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert decoded(packed) == plain
    assert len(packed.get_data()) < len(plain) / 3


def test_brotli_is_chosen_when_the_browser_offers_both(client):
    answer = client.get("/widget", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert answer.headers["Content-Encoding"] == "br"


@pytest.mark.parametrize("kind", ["css", "js"])
def test_static_scripts_and_styles_are_compressed(client, kind):
    url = static_urls(client)[kind]
    with client.get(url) as plain:
        raw = plain.get_data()
    with client.get(url, headers={"Accept-Encoding": "br"}) as packed:
        assert packed.headers["Content-Encoding"] == "br"
        assert packed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert decoded(packed) == raw
        assert len(packed.get_data()) < len(raw) / 2


def test_the_loader_is_compressed_and_still_cached_briefly(client):
    with client.get("/static/aurora-embed.js") as plain:
        raw = plain.get_data()
    with client.get("/static/aurora-embed.js", headers={"Accept-Encoding": "gzip"}) as packed:
        assert packed.headers["Content-Encoding"] == "gzip"
        assert packed.headers["Cache-Control"] == "public, max-age=300"
        assert decoded(packed) == raw


def test_json_answers_are_compressed(client):
    answer = client.post("/api/concierge/orders/lookup", json=LOOKUP,
                         headers={"Accept-Encoding": "br"})
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] == "br"
    assert b'"orderNumber":"GG-11982"' in decoded(answer).replace(b" ", b"")


def test_small_answers_and_clients_that_ask_for_nothing_stay_plain(client):
    small = client.get("/api/concierge/config", headers={"Accept-Encoding": "br"})
    assert len(small.get_data()) < 500
    assert "Content-Encoding" not in small.headers
    plain = client.post("/api/concierge/orders/lookup", json=LOOKUP)
    assert "Content-Encoding" not in plain.headers


def kept(app) -> dict[tuple[str, str], bytes]:
    """Return the compressed bodies kept, by algorithm and ETag."""
    return app.extensions["concierge_kept_bodies"].bodies


def test_a_repeated_search_is_compressed_once_and_kept(app, client):
    url, headers = "/api/concierge/products?q=coat", {"Accept-Encoding": "br"}
    first, second = client.get(url, headers=headers), client.get(url, headers=headers)
    plain = client.get(url).get_data()
    assert first.get_data() == second.get_data()
    assert decoded(second) == plain
    assert list(kept(app).values()) == [first.get_data()]


def test_a_kept_answer_is_tagged_with_its_content_so_a_client_may_revalidate(client):
    url = "/api/concierge/products?q=coat"
    first = client.get(url, headers={"Accept-Encoding": "br"})
    etag = first.headers["ETag"]
    assert etag.endswith(':br"')
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert (again.status_code, again.get_data()) == (304, b"")


def test_answers_sent_once_are_compressed_but_not_kept(app, client):
    answer = client.post("/api/concierge/orders/lookup", json=LOOKUP,
                         headers={"Accept-Encoding": "br"})
    assert answer.headers["Content-Encoding"] == "br"
    assert decoded(answer) == client.post("/api/concierge/orders/lookup", json=LOOKUP).get_data()
    assert kept(app) == {}


def test_files_and_pages_are_kept_at_the_best_ratio(app, client):
    url = static_urls(client)["js"]
    with client.get(url) as plain:
        raw = plain.get_data()
    with client.get(url, headers={"Accept-Encoding": "br"}) as packed:
        body = packed.get_data()
    assert body == brotli.compress(raw, quality=11, mode=brotli.MODE_TEXT)
    assert body in kept(app).values()


def test_a_kept_answer_leaves_the_date_header_to_the_server(client):
    # gunicorn sends Date on every answer; a second one from the app would be a duplicate.
    answer = client.get("/api/concierge/products?q=coat", headers={"Accept-Encoding": "br"})
    assert answer.headers["Content-Encoding"] == "br"
    assert "Date" not in answer.headers


@pytest.mark.parametrize("condition", ["If-Match", "If-Modified-Since", "If-Unmodified-Since"])
def test_a_kept_answer_still_evaluates_every_condition(client, condition):
    url, headers = "/api/concierge/products?q=coat", {"Accept-Encoding": "br"}
    etag = client.get(url, headers=headers).headers["ETag"]
    value = {"If-Match": '"another"', "If-Modified-Since": "Sat, 05 Dec 2026 00:00:00 GMT",
             "If-Unmodified-Since": "Sat, 05 Dec 2026 00:00:00 GMT"}[condition]
    answer = client.get(url, headers={**headers, condition: value})
    # make_conditional ran: it adds its Date; If-Match on another tag fails with 412.
    assert "Date" in answer.headers
    assert answer.headers["ETag"] == etag
    assert answer.status_code == (412 if condition == "If-Match" else 200)
