"""The OpenAPI document is generated from the schemas and covers every endpoint."""

import re

from openapi_spec_validator import validate


def test_document_is_valid_openapi_3(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_every_api_route_is_documented(app, spec):
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/concierge") or rule.rule.endswith("openapi.json"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([A-Za-z_]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, f"{method} {rule.rule} undocumented"


def test_request_bodies_come_from_the_marshmallow_schemas(spec):
    lookup = spec["paths"]["/api/concierge/orders/lookup"]["post"]
    schema = lookup["requestBody"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    properties = spec["components"]["schemas"][name]["properties"]
    assert {"orderNumber", "email", "postalCode"} <= set(properties)
    assert spec["components"]["schemas"][name].get("additionalProperties") is False


def test_error_answers_are_problem_documents(spec):
    lookup = spec["paths"]["/api/concierge/orders/lookup"]["post"]["responses"]
    assert "order_not_found" in lookup["404"]["description"]
    assert "application/problem+json" in lookup["422"]["content"]
    assert "rate_limited" in lookup["429"]["description"]


def test_each_endpoint_documents_its_rate_limit(app, spec):
    lookup = spec["paths"]["/api/concierge/orders/lookup"]["post"]
    settings = {limit["setting"] for limit in lookup["x-rate-limits"]}
    assert settings == {"ORDER_LOOKUP_LIMIT_PER_CLIENT", "ORDER_LOOKUP_LIMIT_PER_CLIENT_ORDER",
                        "ORDER_LOOKUP_LIMIT_PER_ORDER"}
    assert app.config["ORDER_LOOKUP_LIMIT_PER_ORDER"] in lookup["description"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if path.rsplit("/", 1)[-1] not in {"health", "config"}:
                assert operation.get("x-rate-limits"), f"{method} {path} has no limit"


def _operations(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def test_admin_and_merchant_credentials_are_bearer_security_schemes(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["adminToken"] == {**schemes["adminToken"], "type": "http",
                                     "scheme": "bearer"}
    admin = spec["paths"]["/api/concierge/admin/inspiration"]["get"]
    assert admin["security"] == [{"adminToken": []}]
    assert "Authorization" not in {p["name"] for p in admin["parameters"]}
    assert "401" in admin["responses"]


def test_every_operation_documents_the_422_of_a_malformed_session_header(spec):
    for method, path, operation in _operations(spec):
        assert "validation_error" in operation["responses"]["422"]["x-codes"], (method, path)


def test_problems_may_carry_members_and_the_known_ones_are_declared(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["Problem"]["additionalProperties"] is True
    hold = spec["paths"]["/api/concierge/capsule-holds"]["post"]["responses"]["409"]
    ref = hold["content"]["application/problem+json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "hold" in schemas[ref]["properties"]
    existing = schemas[ref]["properties"]["hold"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    assert "holdId" not in schemas[existing]["properties"]
    unknown = spec["paths"]["/api/concierge/shortlists"]["post"]["responses"]["422"]
    ref = unknown["content"]["application/problem+json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "unknownSkus" in schemas[ref]["properties"]


def test_rules_across_fields_are_stated_or_documented(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["OrderFactors"]["anyOf"] == [{"required": ["email"]},
                                                {"required": ["postalCode"]}]
    sms = next(b for b in schemas["SubscriptionIn"]["oneOf"]
               if b["properties"]["channel"]["enum"] == ["sms"])
    assert sms["properties"]["destination"]["pattern"].startswith("^\\+")
    phone = next(b for b in schemas["StylistTicketIn"]["oneOf"]
                 if b["properties"]["preferredContact"]["enum"] == ["phone"])
    assert "phone" in phone["required"]
    search = spec["paths"]["/api/concierge/products"]["get"]
    assert "minPrice" in search["x-rules"]
    assert "maxPrice" in search["description"]


def test_a_dict_keyed_by_a_list_of_choices_states_those_keys_and_no_others(spec):
    translations = spec["components"]["schemas"]["ProductBody"]["properties"]["translations"]
    assert set(translations["properties"]) == {"en", "fr", "de", "es"}
    assert translations["additionalProperties"] is False
