"""Links the widget opens in the top window: http(s) or a path on the store, never elsewhere."""

from __future__ import annotations

import pytest

from .conftest import API, order_body, product_body

PROTOCOL_RELATIVE = ["//evil.test/phish", "/\\evil.test/phish", "//evil.test", "/\\/evil.test"]


@pytest.mark.parametrize("link", PROTOCOL_RELATIVE)
@pytest.mark.parametrize("field", ["url", "imageUrl"])
def test_a_product_link_to_another_site_by_a_protocol_relative_path_is_refused(
        client, auth, field, link):
    answer = client.put(f"{API}/products/AUR-LK-0001", json=product_body(**{field: link}),
                        headers=auth)
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]


@pytest.mark.parametrize("link", PROTOCOL_RELATIVE)
def test_an_order_tracking_link_to_another_site_by_a_protocol_relative_path_is_refused(
        client, auth, link):
    answer = client.put(f"{API}/orders/GG-40001", json=order_body(trackingUrl=link),
                        headers=auth)
    assert answer.status_code == 422
    assert "trackingUrl" in answer.get_json()["errors"]


@pytest.mark.parametrize("link", ["/", "/products/linen-dress", "/a//b", "https://shop.example/p"])
def test_paths_on_the_store_and_absolute_links_are_kept(client, auth, link):
    answer = client.put(f"{API}/products/AUR-LK-0002", json=product_body(url=link),
                        headers=auth)
    assert answer.status_code in (200, 201)
    assert answer.get_json()["url"] == link


def test_the_openapi_pattern_refuses_them_too(spec):
    import re

    pattern = spec["components"]["schemas"]["ProductBody"]["properties"]["url"]["pattern"]
    for link in PROTOCOL_RELATIVE:
        assert not re.search(pattern, link)
    assert re.search(pattern, "/products/linen-dress")
