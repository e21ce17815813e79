"""Set the store's search synonyms and rules (merchant API and console); list them."""

from __future__ import annotations

import re

from marshmallow import ValidationError

from ..clock import now
from ..errors import NotFound
from . import repository
from .search_schemas import RULE_ID_PATTERN
from .service import by_skus, normal_sku, steering_changed
from .steering import in_force


class RuleNotFound(NotFound):
    """No search rule has this id."""

    code, title = "search_rule_not_found", "Search rule not found"


def put_synonyms(data: dict) -> dict:
    """Replace the store's synonyms of the body's locale (absent: of every locale)."""
    fields = {"groups": data["groups"], "oneWay": data["oneWay"]}
    saved = repository.save_synonyms(data.get("locale"), fields, now())
    steering_changed()
    return saved


def synonym_sets() -> list[dict]:
    """Return every synonym set, the one for every locale first."""
    return sorted(repository.all_synonyms(), key=lambda s: (s["locale"] is not None,
                                                            s["locale"] or ""))


def rule_id_of(value: str) -> str:
    """Return a rule id from a path, else raise a 422."""
    if not re.match(RULE_ID_PATTERN, value):
        raise ValidationError({"ruleId": [
            "Must be 1-64 characters of a-z 0-9 -, such as wedding-guest."]})
    return value


def _products(skus: list[str], field: str, on_sale: bool) -> list[str]:
    """Return the products' own skus these skus name (a variant's names its product),
    each once; raise a 422 naming every sku that names none (or an archived one)."""
    wanted = [normal_sku(sku) for sku in skus]
    found = by_skus(wanted)
    errors = {}
    for n, sku in enumerate(wanted):
        product = found.get(sku)
        if product is None:
            errors[f"{field}.{n}"] = [f"No product or variant has the sku {sku}."]
        elif on_sale and product.get("archived"):
            errors[f"{field}.{n}"] = [f"The product {product['sku']} ({sku}) is archived: "
                                      "only a product on sale can be pinned."]
    if errors:
        raise ValidationError(errors)
    return list(dict.fromkeys(found[sku]["sku"] for sku in wanted))


def rule_fields(data: dict) -> dict:
    """Turn a validated body into the stored rule: skus as the products' own."""
    pin = _products(data["pin"], "pin", on_sale=True)
    hide = _products(data["hide"], "hide", on_sale=False)
    both = set(pin) & set(hide)
    if both:
        n = next(n for n, sku in enumerate(hide) if sku in both)
        raise ValidationError({f"hide.{n}": [
            f"{hide[n]} is also pinned: a product is pinned or hidden, not both."]})
    return {"query": data["query"], "pin": pin, "hide": hide,
            "startsAt": data["startsAt"], "endsAt": data["endsAt"]}


def shown(rule: dict) -> dict:
    """Return a stored rule as answered: with whether it is in force now."""
    return {**rule, "active": in_force(rule, now())}


def put_rule(rule_id: str, data: dict) -> tuple[dict, bool]:
    """Create or replace a rule; return it and whether it is new."""
    rule_id = rule_id_of(rule_id)
    created = repository.save_rule(rule_id, rule_fields(data), now())
    steering_changed()
    return shown(repository.find_rule(rule_id)), created


def rules() -> list[dict]:
    """Return every rule, by id."""
    return [shown(rule) for rule in repository.all_rules()]


def get_rule(rule_id: str) -> dict:
    """Return one rule, else raise RuleNotFound."""
    found = repository.find_rule(rule_id)
    if found is None:
        raise RuleNotFound(f"No search rule has the id {rule_id[:64]!r}.")
    return shown(found)


def delete_rule(rule_id: str) -> dict:
    """Delete a rule, else raise RuleNotFound."""
    if not repository.delete_rule(rule_id):
        raise RuleNotFound(f"No search rule has the id {rule_id[:64]!r}.")
    steering_changed()
    return {"ruleId": rule_id, "deleted": True}
