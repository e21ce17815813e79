"""/console/search: what shoppers search and miss; the store's synonyms and rules."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from ..analytics.service import search_report
from ..errors import flatten
from ..i18n import LOCALES
from ..products import steer
from ..products.search_schemas import RuleBodySchema, SynonymsBodySchema
from . import audit, auth, hooks

bp = Blueprint("console_search", __name__, url_prefix="/console/search")
hooks.install(bp)
LANGUAGES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish"}
ARROW = re.compile(r"\s*(?:->|=>|\u2192)\s*")


@bp.context_processor
def _section() -> dict:
    return {"section": "console_search.page", "languages": LANGUAGES}


@bp.app_template_filter("first_word")
def first_word(text: str) -> str:
    """Return the first word of a text ("pin 0" -> "pin")."""
    return text.split(" ", 1)[0]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",") if word.strip()]


def synonyms_body(form: dict) -> dict:
    """Turn the form's text into a PUT body: a group per line, words split by commas;
    a one-way entry per line, "tee -> t-shirt, tshirt"."""
    one_way = []
    for line in _lines(form.get("oneWay", "")):
        source, *targets = ARROW.split(line, maxsplit=1)
        one_way.append({"from": source, "to": _words(targets[0] if targets else "")})
    groups = [_words(line) for line in _lines(form.get("groups", ""))]
    if form.get("addQuery", "").strip():  # "Add a synonym" from a query that found nothing
        groups.append([form["addQuery"].strip(), *_words(form.get("addWords", ""))])
    body = {"groups": groups, "oneWay": one_way}
    if form.get("locale"):
        body["locale"] = form["locale"]
    return body


def synonym_values(sets: list[dict], locale: str | None, add: str = "") -> dict:
    """Return a stored synonym set as the form shows it, and the query to add a group for."""
    stored = next((s for s in sets if s["locale"] == locale), {})
    return {"locale": locale or "", "addQuery": add, "addWords": "",
            "groups": "\n".join(", ".join(group) for group in stored.get("groups") or ()),
            "oneWay": "\n".join(f"{entry['from']} -> {', '.join(entry['to'])}"
                                for entry in stored.get("oneWay") or ())}


def rule_body(form: dict) -> dict:
    """Turn the form's text into a PUT body: skus one per line or comma, UTC times."""
    body = {"query": form.get("query", "")}
    for name in ("pin", "hide"):
        body[name] = [s for s in re.split(r"[\s,]+", form.get(name, "")) if s]
    for name in ("startsAt", "endsAt"):
        value = form.get(name, "").strip()
        if value:  # a datetime-local input sends 2027-01-01T10:00, read as UTC
            body[name] = f"{value}:00Z" if len(value) == 16 else value
    return body


def rule_values(rule: dict | None) -> dict:
    """Return a stored rule as the form shows it."""
    if not rule:
        return {}
    values = {k: rule.get(k) or "" for k in ("ruleId", "query")}
    values |= {name: "\n".join(rule.get(name) or ()) for name in ("pin", "hide")}
    for name in ("startsAt", "endsAt"):
        values[name] = rule[name].strftime("%Y-%m-%dT%H:%M") if rule.get(name) else ""
    return values


def _page(status: int = 200, **context):
    lang = request.args.get("lang") if request.args.get("lang") in LOCALES else None
    sets = steer.synonym_sets()
    add = request.args.get("add", "").strip()[:60]
    locale = request.args.get("syn") if request.args.get("syn") in LOCALES else None
    rules = steer.rules()
    rule = next((r for r in rules if r["ruleId"] == request.args.get("rule")), None)
    context = {"lang": lang, "report": search_report(lang), "sets": sets,
               "rules": rules, "synonym_errors": {}, "rule_errors": {},
               "synonyms": synonym_values(sets, locale, add),
               "rule": rule_values(rule), **context}
    return render_template("console/search.html", **context), status


@bp.get("")
@auth.staff_only
def page():
    """Show the top and zero-result searches, the synonyms and the rules."""
    return _page()


@bp.post("/synonyms")
@auth.staff_only
def save_synonyms():
    """Replace the synonyms of one language (or of all) from the form."""
    form = request.form.to_dict()
    try:
        saved = steer.put_synonyms(SynonymsBodySchema().load(synonyms_body(form)))
    except ValidationError as error:
        return _page(422, synonyms=form, synonym_errors=flatten(error.messages))
    audit.record("search.synonyms_saved", saved["locale"] or "all",
                 groups=len(saved["groups"]), oneWay=len(saved["oneWay"]))
    flash(f"Synonyms for {LANGUAGES.get(saved['locale'], 'every language')} saved; "
          "searches use them within a few seconds.")
    return redirect(url_for("console_search.page", _anchor="synonyms"), 303)


@bp.post("/rules")
@auth.staff_only
def save_rule():
    """Create or replace a rule from the form."""
    form = request.form.to_dict()
    rule_id = form.get("ruleId", "").strip()
    try:
        rule, created = steer.put_rule(rule_id, RuleBodySchema().load(rule_body(form)))
    except ValidationError as error:
        return _page(422, rule=form, rule_errors=flatten(error.messages))
    status = "created" if created else "updated"
    audit.record(f"search.rule_{status}", rule_id, query=rule["query"], pin=rule["pin"],
                 hide=rule["hide"])
    flash(f"Rule {rule_id} {status}; searches use it within a few seconds.")
    return redirect(url_for("console_search.page", _anchor="rules"), 303)


@bp.post("/rules/<rule_id>/delete")
@auth.staff_only
def delete_rule(rule_id):
    """Delete a rule."""
    steer.delete_rule(rule_id)
    audit.record("search.rule_deleted", rule_id)
    flash(f"Rule {rule_id} deleted.")
    return redirect(url_for("console_search.page", _anchor="rules"), 303)
