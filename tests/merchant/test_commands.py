"""flask concierge import …: refuses the embedded default, pushes through a running server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from ..support.live import gunicorn
from .conftest import BOOTSTRAP
from .shopify_export import write as write_export

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
CSV, ORDERS = str(SAMPLES / "shopify-products.csv"), str(SAMPLES / "orders.jsonl")


@pytest.mark.parametrize(("kind", "path"), [("products", CSV), ("orders", ORDERS)])
def test_import_refuses_the_embedded_default_without_a_server(runner, kind, path):
    result = runner.invoke(args=["concierge", "import", kind, path])
    assert result.exit_code == 2
    assert "--url" in result.output
    assert "MONGO_URI" in result.output
    assert "created" not in result.output


@pytest.mark.parametrize(("options", "message"), [
    (["--url", "http://127.0.0.1:9"], "--url needs --key"),
    (["--key", "k"], "--key goes with --url"),
])
def test_url_and_key_go_together(runner, options, message):
    result = runner.invoke(args=["concierge", "import", "products", CSV, *options])
    assert result.exit_code == 2
    assert message in result.output


def test_an_unreachable_server_is_said_plainly(runner):
    result = runner.invoke(args=["concierge", "import", "products", CSV, "--url",
                                 "http://127.0.0.1:9", "--key", "k"])
    assert result.exit_code == 1
    assert "Cannot reach http://127.0.0.1:9" in result.output


def _found_within_5_seconds(server, q: str) -> list[str]:
    """Search until the product shows (each worker refreshes its index within 5 s)."""
    deadline = time.monotonic() + 5
    while True:
        found = requests.get(server.api("/products"), timeout=5,
                             params={"q": q, "pageSize": 50}).json()
        skus = [p["sku"] for p in found["items"]]
        if "LINEN-SHIRT-DRESS" in skus or time.monotonic() > deadline:
            return skus
        time.sleep(0.2)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real gunicorn server on the embedded default with a bootstrap merchant key."""
    with gunicorn(tmp_path_factory.mktemp("merchant"), CONCIERGE_MERCHANT_KEY=BOOTSTRAP) as live:
        yield live


@pytest.mark.live
def test_products_pushed_through_a_running_server_are_found(runner, server):
    result = runner.invoke(args=["concierge", "import", "products", CSV,
                                 "--url", server.url, "--key", BOOTSTRAP,
                                 "--store-url", "https://shop.example"])
    assert result.exit_code == 1, result.output  # the sample has one bad product
    assert ("products: 4 created, 0 updated, 0 unchanged, 1 rejected, "
            "2 skipped (draft or archived)") in result.output
    assert "line 18: mystery-box: Variant Price 'free' is not a number" in result.output
    assert "LINEN-SHIRT-DRESS" in _found_within_5_seconds(server, "linen shirt dress")
    page = requests.get(server.api("/products/LINEN-SHIRT-DRESS"), timeout=5).json()
    assert page["url"] == "https://shop.example/products/linen-shirt-dress"
    again = runner.invoke(args=["concierge", "import", "products", CSV,
                                "--url", server.url, "--key", BOOTSTRAP])
    # Without --store-url the links change back to the default: every product is rewritten.
    assert "products: 0 created, 4 updated, 0 unchanged, 1 rejected" in again.output


@pytest.mark.live
def test_orders_pushed_through_a_running_server_can_be_tracked(runner, server):
    result = runner.invoke(args=["concierge", "import", "orders", ORDERS,
                                 "--url", server.url, "--key", BOOTSTRAP])
    assert result.exit_code == 1
    assert "orders: 3 created, 0 updated, 0 unchanged, 1 rejected" in result.output
    assert "line 4: GG-20004: email: Not a valid email address." in result.output
    tracked = requests.post(server.api("/orders/lookup"), timeout=5, json={
        "orderNumber": "GG-20001", "email": "maya.chen@example.com"})
    assert tracked.status_code == 200
    assert tracked.json()["status"] == "shipped"


@pytest.mark.live
def test_a_clean_import_exits_0_and_a_wrong_key_is_refused(runner, server, tmp_path):
    path = tmp_path / "export.csv"
    write_export(path, 40)
    ok = runner.invoke(args=["concierge", "import", "products", str(path),
                             "--url", server.url, "--key", BOOTSTRAP])
    assert ok.exit_code == 0, ok.output
    assert "products: 4 created" in ok.output
    refused = runner.invoke(args=["concierge", "import", "products", str(path),
                                  "--url", server.url, "--key", "wrong"])
    assert refused.exit_code == 1
    assert "answered 401" in refused.output


def test_the_commands_are_registered(runner):
    listed = runner.invoke(args=["concierge", "--help"]).output
    assert "api-keys" in listed
    assert "import" in listed
    keys = runner.invoke(args=["concierge", "api-keys", "--help"]).output
    assert {"create", "list", "revoke"} <= set(keys.split())
