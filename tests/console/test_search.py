"""/console/search: top and zero-result searches; the store's synonyms and rules."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from concierge import events
from concierge.audit import recent
from concierge.console import accounts

from ..support.queries import unserved
from .conftest import Staff

SHOP = "/api/concierge/products"
RULE = {"ruleId": "silk", "query": "Silk Dress", "pin": "AUR-KN-0006\nAUR-DR-0007",
        "hide": "AUR-DR-0011", "startsAt": "", "endsAt": ""}


@pytest.fixture
def config(config) -> dict:
    """Look for changes on every search, so no test waits."""
    return {**config, "SEARCH_REFRESH_MS": 0}


def search(client, q: str, locale: str = "en") -> dict:
    return client.get(SHOP, query_string={"q": q, "locale": locale}).get_json()


def recorded(app) -> None:
    """Write the searches' queued events now."""
    with app.app_context():
        events.writer().flush()


def rows(page: str, heading: str, period: int) -> list[str]:
    """Return the query cells of one table of one period's card."""
    card = page.split(f'id="period-{period}"', 1)[1].split("</section>", 1)[0]
    table = card.split(f"<h4>{heading}</h4>", 1)[1].split("<h4>", 1)[0]
    return re.findall(r'<span class="query">([^<]*)</span>', table)


def test_top_and_zero_result_searches_of_7_and_30_days_per_language(staff, client, app,
                                                                     clock):
    start = clock.freeze()
    clock.set(start - timedelta(days=10))
    search(client, "linen")
    clock.set(start)
    for q, locale in [("Zorblat", "en"), ("zorblat!", "en"), ("dress", "en"),
                      ("frusque", "fr"), ("robe noire", "fr")]:
        search(client, q, locale)
    recorded(app)
    page = staff.get("/console/search").get_data(as_text=True)
    assert rows(page, "Top searches", 7)[0] == "zorblat"  # two spellings, counted as one
    assert "linen" not in rows(page, "Top searches", 7)
    assert "linen" in rows(page, "Top searches", 30)
    assert rows(page, "Found nothing", 7) == ["zorblat", "frusque"]
    french = staff.get("/console/search?lang=fr").get_data(as_text=True)
    assert rows(french, "Top searches", 7) == ["frusque", "robe noire"]
    assert rows(french, "Found nothing", 30) == ["frusque"]


def test_the_report_reads_only_through_an_index(staff, client, app, query_log):
    search(client, "zorblat")
    recorded(app)
    query_log.queries.clear()
    assert staff.get("/console/search?lang=en").status_code == 200
    aggregations = [q for q in query_log.queries if q["method"] == "aggregate"]
    assert len(aggregations) == 4  # top and zero-result, for 7 and 30 days
    assert unserved(query_log) == []


def test_add_a_synonym_prefills_the_form_with_the_query_and_the_languages_synonyms(
        staff, client, app):
    staff.post("/console/search/synonyms", locale="fr", groups="pull, tricot", oneWay="")
    search(client, "frusque", "fr")
    recorded(app)
    page = staff.get("/console/search?lang=fr").get_data(as_text=True)
    link = re.search(r'class="add-synonym" href="([^"]+)"', page).group(1)
    form = staff.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert '<option value="fr" selected>' in form
    assert 'name="addQuery" value="frusque"' in form
    assert "pull, tricot</textarea>" in form
    staff.post("/console/search/synonyms", locale="fr", groups="pull, tricot",
               addQuery="frusque", addWords="robe", oneWay="")
    assert search(client, "frusque", "fr")["total"]
    assert search(client, "pull", "fr")["total"] == search(client, "tricot", "fr")["total"]


def test_staff_save_synonyms_that_searches_then_use(staff, client, app):
    assert search(client, "frusque", "fr")["total"] == 0
    answer = staff.post("/console/search/synonyms", locale="fr", groups="frusque, robe",
                        oneWay="zorblat -> linen")
    assert answer.status_code == 303
    assert search(client, "frusque", "fr")["total"]
    assert search(client, "zorblat", "fr")["total"]
    assert search(client, "frusque", "en")["total"] == 0
    with app.app_context():
        entry = recent()[0]
    assert (entry["action"], entry["target"]) == ("search.synonyms_saved", "fr")


@pytest.mark.parametrize(("groups", "one_way", "says"), [
    ("solo", "", "Line 1: A group names 2 to 20 words."),
    ("jumper, Jumper", "", "Line 1: Must name at least two different words."),
    ("", "tee", "Line 1 (after the arrow): Name 1 to 10 words it leads to."),
    ("", "tee -> tee", "Line 1 (after the arrow): Must name a word other than"),
])
def test_bad_synonyms_are_shown_beside_their_field(staff, groups, one_way, says):
    answer = staff.post("/console/search/synonyms", locale="", groups=groups,
                        oneWay=one_way)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert says in page
    assert 'aria-invalid="true"' in page
    assert "None yet." in page  # nothing saved


def test_staff_create_edit_and_delete_a_rule(staff, client, app):
    assert staff.post("/console/search/rules", **RULE).status_code == 303
    skus = [p["sku"] for p in search(client, "silk dress")["items"]]
    assert skus[:2] == ["AUR-KN-0006", "AUR-DR-0007"]
    assert "AUR-DR-0011" not in skus
    form = staff.get("/console/search?rule=silk").get_data(as_text=True)
    assert "AUR-KN-0006\nAUR-DR-0007</textarea>" in form
    staff.post("/console/search/rules", **{**RULE, "pin": "AUR-DR-0001", "hide": "",
                                           "endsAt": "2090-01-01T10:00"})
    assert search(client, "silk dress")["items"][0]["sku"] == "AUR-DR-0001"
    assert staff.post("/console/search/rules/silk/delete").status_code == 303
    assert "AUR-DR-0011" in [p["sku"] for p in search(client, "silk dress")["items"]]
    with app.app_context():
        actions = [e["action"] for e in recent()]
    assert actions[:3] == ["search.rule_deleted", "search.rule_updated", "search.rule_created"]


def test_a_rule_pinning_an_unknown_sku_is_refused_naming_it(staff):
    answer = staff.post("/console/search/rules", **{**RULE, "pin": "AUR-DR-0001\nNOPE-404"})
    assert answer.status_code == 422
    assert "Line 2: No product or variant has the sku NOPE-404." in answer.get_data(
        as_text=True)


def test_forms_without_a_csrf_token_are_refused(staff):
    answer = staff.client.post("/console/search/rules", data=RULE)
    assert answer.status_code == 400


def test_agents_may_not_steer_the_search(app, client):
    with app.app_context():
        accounts.add("Sam Lee", "sam@aurora.test", "agent", "correct horse battery")
    agent = Staff(client)
    agent.client.post("/console/sign-in/account", data={
        "email": "sam@aurora.test", "password": "correct horse battery",
        "csrf_token": agent.token()})
    assert agent.get("/console/search").status_code == 403
    assert agent.post("/console/search/rules", **RULE).status_code == 403
