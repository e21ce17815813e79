"""PUT/GET /merchant/search/synonyms and PUT/GET/DELETE /merchant/search/rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from concierge.products.search_schemas import MAX_PINS

from ..support.queries import unserved
from ..support.spec import documented_errors
from .conftest import API

SHOP = "/api/concierge/products"
RULE = f"{API}/search/rules/silk-dress"
SYNONYMS = f"{API}/search/synonyms"


@pytest.fixture
def config(config) -> dict:
    """Look for changes on every search, so no test waits for the refresh interval."""
    return {**config, "SEARCH_REFRESH_MS": 0}


def found(client, q: str, **params) -> list[str]:
    """Return the skus a search finds ([] when it finds nothing and offers others)."""
    answer = client.get(SHOP, query_string={"q": q, "pageSize": 50, **params})
    assert answer.status_code == 200
    page = answer.get_json()
    return [p["sku"] for p in page["items"]] if page["total"] else []


def rule(**changes) -> dict:
    body = {"query": "Silk Dress", "pin": ["AUR-KN-0006", "AUR-DR-0007"],
            "hide": ["AUR-DR-0011"]}
    return {**body, **changes}


def test_pinned_products_come_first_in_order_and_hidden_ones_never_appear(client, auth):
    before = found(client, "silk dress")
    assert client.put(RULE, json=rule(), headers=auth).status_code == 201
    after = found(client, "silk dress")
    assert after[:2] == ["AUR-KN-0006", "AUR-DR-0007"]
    assert "AUR-DR-0011" not in after
    assert after.count("AUR-DR-0007") == 1
    assert set(after[2:]) == set(before) - {"AUR-DR-0011", "AUR-DR-0007", "AUR-KN-0006"}


@pytest.mark.parametrize("q", ["silk dress", "  SILK-dress!", "Sílk Dress"])
def test_a_rule_steers_the_search_whose_words_normalised_are_its_query(client, auth, q):
    client.put(RULE, json=rule(), headers=auth)
    assert found(client, q)[:2] == ["AUR-KN-0006", "AUR-DR-0007"]


def test_a_rule_leaves_other_searches_alone(client, auth):
    before = found(client, "silk dresses")
    client.put(RULE, json=rule(), headers=auth)
    assert found(client, "silk dresses") == before


def test_a_hidden_product_stays_out_of_a_relaxed_answer_too(client, auth):
    offered = client.get(SHOP, query_string={"q": "wedding guest"}).get_json()
    assert offered["total"] == 0
    first = offered["items"][0]["sku"]
    client.put(RULE, json=rule(query="wedding guest", pin=[], hide=[first]), headers=auth)
    again = client.get(SHOP, query_string={"q": "wedding guest"}).get_json()
    assert again["total"] == 0
    assert again["items"]
    assert first not in [p["sku"] for p in again["items"]]


def test_pins_span_pages_and_count_in_the_total(client, auth):
    whole = found(client, "dress")
    total = client.get(SHOP, query_string={"q": "dress"}).get_json()["total"]
    client.put(RULE, json=rule(query="dress", hide=[]), headers=auth)
    pages = [client.get(SHOP, query_string={"q": "dress", "pageSize": 3, "page": n}).get_json()
             for n in (1, 2)]
    assert [p["sku"] for p in pages[0]["items"]][:2] == ["AUR-KN-0006", "AUR-DR-0007"]
    skus = [p["sku"] for page in pages for p in page["items"]]
    assert len(set(skus)) == 6
    assert pages[0]["total"] == total + 1  # the knit was not a dress; the dress was found
    assert found(client, "dress")[2:] == [s for s in whole if s != "AUR-DR-0007"]


def test_a_pinned_product_still_obeys_the_shoppers_own_filters(client, auth):
    client.put(RULE, json=rule(query="dress", hide=[]), headers=auth)
    assert "AUR-KN-0006" not in found(client, "dress", category="dresses")


def test_a_rule_outside_its_dates_does_nothing(client, auth, clock):
    start = clock.freeze() + timedelta(days=1)
    body = rule(startsAt=start.isoformat(), endsAt=(start + timedelta(days=2)).isoformat())
    answer = client.put(RULE, json=body, headers=auth)
    assert answer.get_json()["active"] is False
    assert "AUR-DR-0011" in found(client, "silk dress")
    clock.advance(timedelta(days=1, minutes=1))
    assert found(client, "silk dress")[:2] == ["AUR-KN-0006", "AUR-DR-0007"]
    clock.advance(timedelta(days=2))
    assert "AUR-DR-0011" in found(client, "silk dress")


def test_a_replaced_rule_answers_200_and_a_deleted_one_steers_no_more(client, auth):
    assert client.put(RULE, json=rule(), headers=auth).status_code == 201
    replaced = client.put(RULE, json=rule(pin=["AUR-DR-0001"]), headers=auth)
    assert replaced.status_code == 200
    assert found(client, "silk dress")[0] == "AUR-DR-0001"
    listed = client.get(f"{API}/search/rules", headers=auth).get_json()["items"]
    assert [(r["ruleId"], r["pin"], r["active"]) for r in listed] == [
        ("silk-dress", ["AUR-DR-0001"], True)]
    deleted = client.delete(RULE, headers=auth)
    assert (deleted.status_code, deleted.get_json()) == (
        200, {"ruleId": "silk-dress", "deleted": True})
    assert "AUR-DR-0011" in found(client, "silk dress")
    again = client.delete(RULE, headers=auth)
    assert (again.status_code, again.get_json()["code"]) == (404, "search_rule_not_found")


def test_a_variants_sku_pins_its_product(client, auth):
    from .variants import DRESS, dress_body
    client.put(f"{API}/products/{DRESS}", json=dress_body(), headers=auth)
    answer = client.put(RULE, json=rule(pin=["var-blk-m"], hide=[]), headers=auth)
    assert answer.get_json()["pin"] == [DRESS]
    assert found(client, "silk dress")[0] == DRESS


def test_an_archived_product_cannot_be_pinned_and_the_sku_is_named(client, auth):
    client.delete(f"{API}/products/AUR-DR-0007", headers=auth)
    answer = client.put(RULE, json=rule(), headers=auth)
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["pin.1"]
    assert "AUR-DR-0007" in answer.get_json()["errors"]["pin.1"][0]


BAD_RULES = [
    ({"pin": ["AUR-KN-0006", "NOPE-404"]}, "pin.1", "NOPE-404"),
    ({"hide": ["NOPE-404"]}, "hide.0", "NOPE-404"),
    ({"query": "   "}, "query", "blank"),
    ({"query": "?!"}, "query", "letter or digit"),
    ({"pin": [f"AUR-DR-{n:04}" for n in range(1, MAX_PINS + 2)]}, "pin", "At most 8"),
    ({"pin": [], "hide": []}, "pin", "at least one"),
    ({"pin": ["AUR-DR-0001", "aur-dr-0001"]}, "pin.1", "Repeats pin.0"),
    ({"hide": ["AUR-KN-0006"]}, "hide.0", "pinned"),
    ({"startsAt": "2027-01-02T00:00:00Z", "endsAt": "2027-01-01T00:00:00Z"}, "endsAt",
     "later"),
    ({"pin": ["not a sku!"]}, "pin.0", "sku"),
]


@pytest.mark.parametrize(("changes", "field", "says"), BAD_RULES,
                         ids=[case[1] + ":" + case[2] for case in BAD_RULES])
def test_a_bad_rule_is_refused_naming_the_field(client, auth, changes, field, says):
    answer = client.put(RULE, json=rule(**changes), headers=auth)
    assert answer.status_code == 422
    problem = answer.get_json()
    assert problem["code"] == "validation_error"
    assert field in problem["errors"]
    assert says.lower() in " ".join(problem["errors"][field]).lower()
    assert client.get(f"{API}/search/rules", headers=auth).get_json()["items"] == []


def test_a_bad_rule_id_is_refused(client, auth):
    answer = client.put(f"{API}/search/rules/Not_An_Id", json=rule(), headers=auth)
    assert (answer.status_code, list(answer.get_json()["errors"])) == (422, ["ruleId"])


def test_a_store_synonym_group_finds_each_word_by_the_others(client, auth):
    assert found(client, "zorblat") == []
    dresses = set(found(client, "dress"))
    answer = client.put(SYNONYMS, json={"oneWay": [], "groups": [["zorblat", "dress"]]},
                        headers=auth)
    assert answer.status_code == 200
    assert answer.get_json()["locale"] is None
    assert set(found(client, "zorblat")) == dresses


@pytest.mark.parametrize(("body", "reverse"), [
    ({"groups": [], "oneWay": [{"from": "zorblat", "to": ["linen"]}]}, False),
    ({"groups": [["zorblat", "linen"]], "oneWay": []}, True)])
def test_a_one_way_synonym_leads_one_way_and_a_group_both_ways(client, auth, body, reverse):
    from .conftest import product_body
    client.put(f"{API}/products/ZOR-TP-0001", headers=auth, json=product_body(
        name="Zorblat Tunic", description="A tunic.", category="Tops", tags=[]))
    linen = found(client, "linen")
    client.put(SYNONYMS, json=body, headers=auth)
    assert set(found(client, "zorblat")) == {"ZOR-TP-0001", *linen}
    assert ("ZOR-TP-0001" in found(client, "linen")) is reverse


def test_a_word_standing_for_a_category_word_names_the_category(client, auth):
    client.put(SYNONYMS, json={"oneWay": [], "groups": [["frusque", "robe"]], "locale": "fr"},
               headers=auth)
    answer = client.get(SHOP, query_string={"q": "frusque noire", "locale": "fr"}).get_json()
    assert answer["interpretation"]["category"] == "dresses"
    assert answer["total"]
    assert all(p["category"] == "dresses" for p in answer["items"])


def test_synonyms_of_a_locale_apply_to_its_shoppers_only(client, auth):
    client.put(SYNONYMS, json={"oneWay": [], "groups": [["frusque", "robe"]], "locale": "fr"},
               headers=auth)
    assert found(client, "frusque", locale="fr")
    assert found(client, "frusque", locale="en") == []


def test_a_put_replaces_the_earlier_synonyms_of_its_locale_only(client, auth):
    client.put(SYNONYMS, json={"oneWay": [], "groups": [["zorblat", "dress"]]}, headers=auth)
    client.put(SYNONYMS, json={"oneWay": [], "groups": [["frusque", "robe"]], "locale": "fr"},
               headers=auth)
    client.put(SYNONYMS, json={"oneWay": [], "groups": [["kirtle", "dress"]]}, headers=auth)
    assert found(client, "zorblat") == []
    assert found(client, "kirtle")
    listed = client.get(SYNONYMS, headers=auth).get_json()["items"]
    assert [(s["locale"], s["groups"]) for s in listed] == [
        (None, [["kirtle", "dress"]]), ("fr", [["frusque", "robe"]])]


def test_the_built_in_synonyms_stay_beside_the_stores(client, auth):
    before = set(found(client, "jumper"))
    client.put(SYNONYMS, json={"oneWay": [], "groups": [["zorblat", "dress"]]}, headers=auth)
    assert set(found(client, "jumper")) == before


BAD_SYNONYMS = [
    ({"groups": [["jumper"]], "oneWay": []}, "groups.0", "2 to 20"),
    ({"groups": [["Jumper", "jumper "]], "oneWay": []}, "groups.0", "two different"),
    ({"groups": [["jumper", "!!"]], "oneWay": []}, "groups.0.1", "letter or digit"),
    ({"groups": [], "oneWay": [{"from": "tee", "to": ["TEE"]}]}, "oneWay.0.to", "other than"),
    ({"groups": [], "oneWay": [{"from": "tee", "to": []}]}, "oneWay.0.to", "1 to 10 words"),
    ({"groups": [["a", "b"]], "oneWay": [], "locale": "it"}, "locale", "one of"),
    ({"oneWay": []}, "groups", "missing"),
    ({"groups": []}, "oneWay", "missing"),
]


@pytest.mark.parametrize(("body", "field", "says"), BAD_SYNONYMS,
                         ids=[case[1] + ":" + case[2] for case in BAD_SYNONYMS])
def test_bad_synonyms_are_refused_naming_the_field(client, auth, body, field, says):
    answer = client.put(SYNONYMS, json=body, headers=auth)
    assert answer.status_code == 422
    assert says.lower() in " ".join(answer.get_json()["errors"][field]).lower()
    assert client.get(SYNONYMS, headers=auth).get_json()["items"] == []


@pytest.mark.parametrize(("method", "path"), [
    ("put", "/search/synonyms"), ("get", "/search/synonyms"),
    ("put", "/search/rules/silk-dress"), ("get", "/search/rules"),
    ("delete", "/search/rules/silk-dress")])
def test_the_endpoints_need_a_key_with_the_catalog_scope(client, make_key, method, path):
    assert getattr(client, method)(API + path, json={}).status_code == 401
    key, _ = make_key("orders:write")
    answer = getattr(client, method)(API + path, json={},
                                     headers={"Authorization": f"Bearer {key}"})
    assert (answer.status_code, answer.get_json()["code"]) == (403, "insufficient_scope")


def test_rules_and_synonyms_survive_a_restart(tmp_path, config, auth):
    from concierge import create_app
    durable = {**config, "CONCIERGE_DATA_DIR": str(tmp_path)}
    first = create_app(durable)
    with first.test_client() as client:
        client.put(RULE, json=rule(), headers=auth)
        client.put(SYNONYMS, json={"oneWay": [], "groups": [["zorblat", "dress"]]}, headers=auth)
    first.extensions["concierge_store"].close()
    with create_app(durable).test_client() as client:
        assert found(client, "silk dress")[:2] == ["AUR-KN-0006", "AUR-DR-0007"]
        assert found(client, "zorblat")


def test_every_query_is_index_backed(client, auth, query_log):
    client.put(RULE, json=rule(), headers=auth)
    client.put(SYNONYMS, json={"oneWay": [], "groups": [["zorblat", "dress"]], "locale": "en"},
               headers=auth)
    client.get(f"{API}/search/rules", headers=auth)
    client.get(SYNONYMS, headers=auth)
    found(client, "silk dress")
    client.delete(RULE, headers=auth)
    assert {q["collection"] for q in query_log.queries} >= {"searchRules", "searchSynonyms"}
    assert unserved(query_log) == []


def test_the_openapi_document_names_the_rules_and_errors(client):
    spec = client.get("/api/concierge/openapi.json").get_json()
    put = spec["paths"][f"{API}/search/rules/{{ruleId}}"]["put"]
    assert {"pin", "hide", "query", "endsAt"} <= set(put["x-rules"])
    assert (404, "search_rule_not_found") in documented_errors(
        spec, "delete", "/merchant/search/rules/{ruleId}")
    synonyms = spec["paths"][SYNONYMS]["put"]
    assert {"groups", "oneWay"} <= set(synonyms["x-rules"])
