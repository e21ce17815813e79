"""Languages: which locale a request gets, /config's answer, and complete catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from concierge.i18n import LOCALES, negotiate, request_locale

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "concierge" / "translations"
# The keywords `make messages` extracts (Makefile): lazy _l, and t/tn/nt in the widget script.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "t": None, "tn": None, "nt": (1, 2)}
TRANSLATED = [locale for locale in LOCALES if locale != "en"]
# The widget script's placeholders, t("Order {order}", {order: …}); Babel checks only %(x)s ones.
BRACES = re.compile(r"\{\w+\}")


@pytest.mark.parametrize(("asked", "accepted", "expected"), [
    ("fr", [], "fr"),
    ("de-AT", ["es"], "de"),           # the page's wish beats the browser's
    ("es_ES", [], "es"),
    ("FR-ca", [], "fr"),
    ("pt", ["de-CH", "en"], "de"),     # unknown wish: the browser's first known language
    ("", ["es-MX", "en"], "es"),       # a regional tag beats a lower-quality exact one
    (None, ["it", "nl"], "en"),
    (None, [], "en"),
    ("x" * 35, ["*"], "en"),
])
def test_a_locale_is_negotiated_from_the_wish_then_the_browser_then_english(
        asked, accepted, expected):
    assert negotiate(asked, accepted) == expected


@pytest.mark.parametrize(("query", "header", "expected"), [
    ("?locale=fr", "de", "fr"),
    ("?locale=es-419", None, "es"),
    ("", "de-DE,de;q=0.9,en;q=0.5", "de"),
    ("?locale=pt-BR", "pt-BR, fr;q=0.3", "fr"),
    ("", None, "en"),
])
def test_config_answers_the_negotiated_locale_and_every_locale(client, query, header, expected):
    headers = {"Accept-Language": header} if header else {}
    answer = client.get(f"/api/concierge/config{query}", headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["locale"] == expected
    assert answer.get_json()["locales"] == ["en", "fr", "de", "es"]
    assert "Accept-Language" in answer.headers["Vary"]


def test_config_refuses_a_locale_longer_than_any_language_tag(client):
    answer = client.get("/api/concierge/config?locale=" + "a" * 36)
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {"locale": ["Longer than maximum length 35."]}


def extracted() -> set[str]:
    """Extract every message of the sources, as `make messages` does."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {message if isinstance(message, str) else message[0]
            for _, _, message, _, _ in extract_from_dir(
                str(ROOT), method_map, options_map, keywords=KEYWORDS)}


def test_the_catalogue_template_holds_every_message_of_the_sources():
    with (TRANSLATIONS / "messages.pot").open("rb") as pot:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    sources = extracted()
    assert sorted(sources - template) == [], "run make messages"
    assert sorted(template - sources) == [], "run make messages"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_locale_translates_every_message_without_fuzzy_or_broken_placeholders(locale):
    with (TRANSLATIONS / "messages.pot").open("rb") as pot:
        template = read_po(pot)
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale=locale)
    untranslated = [m.id for m in template if m.id and (
        catalogue.get(m.id) is None or not all(_forms(catalogue.get(m.id).string)))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    broken = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()]
    broken += [(m.id, form) for m in catalogue if m.id for form in _forms(m.string)
               if set(BRACES.findall(form)) != set(BRACES.findall(" ".join(_forms(m.id))))]
    assert untranslated == []
    assert fuzzy == []
    assert broken == []


def _forms(string) -> tuple:
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def _key(msgid) -> tuple:
    return _forms(msgid)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_compiled_catalogue_is_the_one_its_source_compiles_to(locale):
    folder = TRANSLATIONS / locale / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as po:
        source = {_key(m.id): _forms(m.string) for m in read_po(po, locale=locale) if m.id}
    with (folder / "messages.mo").open("rb") as mo:
        compiled = {_key(m.id): _forms(m.string) for m in read_mo(mo) if m.id}
    assert compiled == source, "run make messages"


@pytest.mark.parametrize(("asked", "header", "expected"), [
    ("fr", "de", "fr"),
    (None, "de;q=0.5, es", "es"),     # by quality, not by order written
    ("", "en;q=0.2, fr-CA;q=0.9", "fr"),
    (None, None, "en"),
])
def test_a_request_s_locale_comes_from_its_wish_then_its_header(app, asked, header, expected):
    headers = {"Accept-Language": header} if header else {}
    for _ in range(2):  # the second time from what the first one kept
        with app.test_request_context("/", headers=headers):
            assert request_locale(asked) == expected
