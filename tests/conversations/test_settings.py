"""CONCIERGE_REPLY_TIME and CONCIERGE_OFFICE_HOURS: checked at start, said per locale."""

import pytest

from concierge import create_app
from concierge.config import ConfigError

from .conftest import URL, body


@pytest.mark.parametrize(("name", "value"), [
    ("CONCIERGE_REPLY_TIME", "it=entro un giorno"),
    ("CONCIERGE_REPLY_TIME", "x" * 81),
    ("CONCIERGE_REPLY_TIME", "fr=|within a day"),
    ("CONCIERGE_REPLY_TIME", "within a day|within two days"),
    ("CONCIERGE_REPLY_TIME", "fr=un jour|fr=deux jours"),
    ("CONCIERGE_OFFICE_HOURS", "Mon-Fri\x079-5"),
    ("CONCIERGE_OFFICE_HOURS", "y" * 121),
])
def test_a_setting_the_widget_could_not_show_stops_the_start(config, name, value):
    with pytest.raises(ConfigError, match=name):
        create_app({**config, name: value})


def test_the_store_words_are_said_in_each_locale_with_a_default(config):
    app = create_app({**config,
                      "CONCIERGE_REPLY_TIME": "within 4 hours|fr=sous 4 heures",
                      "CONCIERGE_OFFICE_HOURS": "Mon-Fri 9:00-18:00 CET"})
    client = app.test_client()
    french = client.post(URL, json=body(locale="fr")).get_json()
    german = client.post(URL, json=body(locale="de")).get_json()
    assert french["replyExpected"] == "sous 4 heures"
    assert german["replyExpected"] == "within 4 hours"
    assert french["officeHours"] == german["officeHours"] == "Mon-Fri 9:00-18:00 CET"
    config_answer = client.get("/api/concierge/config", query_string={"locale": "fr"}).get_json()
    assert config_answer["replyTime"] == "sous 4 heures"
    assert config_answer["officeHours"] == "Mon-Fri 9:00-18:00 CET"


@pytest.mark.parametrize(("locale", "words"), [
    ("en", "within one working day"), ("fr", "sous un jour ouvré"),
    ("de", "innerhalb eines Werktags"), ("es", "en un día laborable")])
def test_without_settings_our_own_reply_time_is_translated_and_no_hours_claimed(
        client, locale, words):
    answer = client.post(URL, json=body(locale=locale)).get_json()
    assert answer["replyExpected"] == words
    assert answer["officeHours"] is None
