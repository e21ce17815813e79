"""/widget.js: the widget's journey scripts joined in order under one fingerprint."""

from __future__ import annotations

import re
from pathlib import Path

import rjsmin

from concierge.widget.bundle import SCRIPTS

STATIC = Path(__file__).resolve().parents[2] / "static"
YEAR = "public, max-age=31536000, immutable"


def script_url(client) -> str:
    page = client.get("/widget").get_data(as_text=True)
    return re.search(r'<script src="(/widget\.js\?v=[0-9a-f]{12})" defer>', page).group(1)


def test_every_journey_file_is_served_once_in_order(client):
    on_disk = {f"widget/{p.name}" for p in (STATIC / "widget").glob("*.js")}
    assert set(SCRIPTS) == on_disk  # a new file must be listed, or it would never run
    assert (SCRIPTS[0], SCRIPTS[-1]) == ("widget/core.js", "widget/main.js")
    body = client.get(script_url(client)).get_data(as_text=True)
    starts = [body.index(rjsmin.jsmin((STATIC / name).read_text()).strip()) for name in SCRIPTS]
    assert starts == sorted(starts)


def test_script_is_cached_a_year_under_its_fingerprint(client):
    with client.get(script_url(client)) as answer:
        assert answer.status_code == 200
        assert answer.mimetype == "text/javascript"
        assert answer.headers["Cache-Control"] == YEAR


def test_an_older_fingerprint_is_answered_but_not_cached_long(client):
    with client.get("/widget.js?v=000000000000") as answer:
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "no-cache"


def test_fingerprint_follows_the_content(app, client, tmp_path):
    before = script_url(client)
    app.static_folder = str(tmp_path)
    for name in SCRIPTS:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text((STATIC / name).read_text())
    (tmp_path / "widget.css").write_text((STATIC / "widget.css").read_text())
    (tmp_path / SCRIPTS[-1]).write_text("/* changed */")
    assert script_url(client) != before
