"""GET /products: keywords, filters, sort, pages, validation."""

import pytest

from concierge import flags

URL = "/api/concierge/products"


def search(client, **params):
    response = client.get(URL, query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def all_pages(client, **params):
    items, page = [], 1
    while True:
        body = search(client, page=page, pageSize=50, **params)
        items += body["items"]
        if len(body["items"]) < 50:
            return items, body["total"]
        page += 1


def test_every_word_of_q_must_match_the_stored_keywords(client, db):
    items, total = all_pages(client, q="silk dress")
    assert total == len(items) > 0
    expected = db.products.count_documents({"keywords": {"$all": ["silk", "dress"]}})
    assert total == expected
    assert total < db.products.count_documents({"keywords": "dress"})


def test_q_ignores_case_and_accents(client):
    plain, _ = all_pages(client, q="crepe blouse")
    shouted, _ = all_pages(client, q="  CRÊPE   Blouse ")
    assert plain
    assert [p["sku"] for p in plain] == [p["sku"] for p in shouted]
    assert all("blouse" in p["name"].lower() for p in plain)


def test_q_without_any_word_lists_everything(client, db):
    assert search(client, q="!!")["total"] == db.products.count_documents({})


def test_q_matching_nothing_answers_an_empty_page(client):
    body = search(client, q="spacesuit")
    assert {k: body[k] for k in ("items", "page", "pageSize", "total")} == {
        "items": [], "page": 1, "pageSize": 12, "total": 0}
    assert body["facets"] == {"category": {}, "colors": {}, "sizes": {}}
    assert body["interpretation"]["terms"] == ["spacesuit"]


@pytest.mark.parametrize(("params", "check"), [
    ({"category": "Shoes"}, lambda p: p["category"] == "shoes"),
    ({"color": "Denim Blue"}, lambda p: "denim blue" in p["colors"]),
    ({"size": "One Size"}, lambda p: "One Size" in p["sizes"]),
    ({"inStock": "true"}, lambda p: p["inStock"] is True),
    ({"inStock": "false"}, lambda p: p["inStock"] is False),
    ({"minPrice": 10000, "maxPrice": 15000},
     lambda p: 10000 <= p["price"]["amount"] <= 15000),
    ({"minPrice": 12600, "maxPrice": 12600}, lambda p: p["price"]["amount"] == 12600),
    ({"q": "dress", "color": "navy", "maxPrice": 20000},
     lambda p: p["category"] == "dresses" and "navy" in p["colors"]
     and p["price"]["amount"] <= 20000),
])
def test_filters_keep_only_matching_products(client, db, params, check):
    items, total = all_pages(client, **params)
    assert items
    assert total == len(items) < db.products.count_documents({})
    assert all(check(p) for p in items)


def test_products_carry_the_contract_fields(client):
    product = search(client, pageSize=1)["items"][0]
    assert set(product) == {"sku", "name", "category", "price", "colors", "sizes",
                            "imageUrl", "url", "inStock", "variants"}
    assert set(product["price"]) == {"amount", "currency"}
    for variant in product["variants"]:
        assert set(variant) == {"sku", "size", "color", "available", "lowStock"}


def test_relevance_orders_by_popularity_rank(client, db):
    items, _ = all_pages(client)
    ranks = {p["sku"]: p["rank"] for p in db.products.find({}, {"rank": 1, "sku": 1})}
    order = [(ranks[p["sku"]], p["sku"]) for p in items]
    assert order == sorted(order)
    searched, _ = all_pages(client, q="dress", sort="relevance")
    assert [ranks[p["sku"]] for p in searched] == sorted(ranks[p["sku"]] for p in searched)


@pytest.mark.parametrize(("sort", "key", "reverse"), [
    ("price_asc", lambda p, db: p["price"]["amount"], False),
    ("price_desc", lambda p, db: p["price"]["amount"], True),
    ("newest", lambda p, db: db.products.find_one({"sku": p["sku"]})["createdAt"], True),
])
def test_sort_orders_every_page(client, db, sort, key, reverse):
    items, _ = all_pages(client, sort=sort, category="bags")
    values = [key(p, db) for p in items]
    assert values == sorted(values, reverse=reverse)
    assert len(set(values)) > 1


def test_pages_split_the_results_without_overlap(client, db):
    first = search(client, q="dress", pageSize=5, page=1)
    second = search(client, q="dress", pageSize=5, page=2)
    everything, total = all_pages(client, q="dress")
    assert first["total"] == second["total"] == total > 10
    assert (first["page"], first["pageSize"], second["page"]) == (1, 5, 2)
    skus = [p["sku"] for p in first["items"] + second["items"]]
    assert skus == [p["sku"] for p in everything[:10]]
    assert len(set(skus)) == 10


def test_page_size_defaults_to_twelve(client):
    body = search(client)
    assert (body["pageSize"], len(body["items"])) == (12, 12)


def test_a_page_past_the_end_is_empty_with_the_total(client):
    body = search(client, q="dress", page=40)
    assert body["items"] == []
    assert body["total"] > 0


@pytest.mark.parametrize(("query", "field"), [
    ("page=0", "page"),
    ("page=abc", "page"),
    ("page=1001", "page"),
    ("pageSize=0", "pageSize"),
    ("pageSize=51", "pageSize"),
    ("pageSize=1.5", "pageSize"),
    ("minPrice=-1", "minPrice"),
    ("maxPrice=ten", "maxPrice"),
    ("minPrice=500&maxPrice=100", "minPrice"),
    ("inStock=yes", "inStock"),
    ("inStock=1", "inStock"),
    ("sort=cheapest", "sort"),
    ("category=", "category"),
    ("q=" + "x" * 201, "q"),
    ("colour=red", "colour"),
    ("q[$ne]=x", "q[$ne]"),
])
def test_bad_query_values_answer_422_per_field(client, query, field):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["code"] == "validation_error"
    assert list(body["errors"]) == [field]


def test_search_records_its_event_with_session_and_request(client, db, session_headers,
                                                           session_id):
    response = client.get(URL, query_string={"q": "silk"},
                          headers={**session_headers, "X-Request-ID": "req-search-0001"})
    assert response.status_code == 200
    event = db.analyticsEvents.find_one({"requestId": "req-search-0001"})
    assert event["name"] == "aurora_products_searched"
    assert event["sessionId"] == session_id
    assert event["props"]["q"] == "silk"
    assert event["props"]["total"] == response.get_json()["total"]


def test_search_is_off_outside_the_feature_flag(client, db):
    flags.set_flag(db, False, 0)
    response = client.get(URL)
    assert response.status_code == 503
    assert response.get_json()["code"] == "concierge_disabled"
