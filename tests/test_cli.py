"""The data-changing commands refuse the embedded store and report MongoDB in one line."""

import pytest

from concierge import create_app

from .live import free_port


@pytest.mark.parametrize(("command", "instead"), [
    (["flags"], "staff console (/console on the running server)"),
    (["flags", "--enable", "--canary", "10"], "or set MONGO_URI"),
    (["seed"], "seeds the embedded store itself at start-up"),
    (["init-db"], "creates its indexes"),
])
def test_without_mongo_uri_the_command_refuses_and_says_what_to_do(runner, db, command,
                                                                   instead):
    before = db.featureFlags.find_one({})
    result = runner.invoke(args=["concierge", *command])
    assert result.exit_code == 1
    assert result.output.startswith("Error: No MONGO_URI: the embedded store lives in the "
                                    "memory of the running server")
    assert instead in result.output
    assert db.featureFlags.find_one({}) == before


@pytest.mark.parametrize("command", [["flags", "--disable"], ["seed"], ["init-db"]])
def test_an_unreachable_mongo_uri_is_one_line_without_credentials(config, command):
    port = free_port()
    app = create_app({**config, "MONGO_URI": f"mongodb://admin:s3cret@127.0.0.1:{port}/"})
    try:
        result = app.test_cli_runner().invoke(args=["concierge", *command])
    finally:
        app.extensions["concierge_store"].close()
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"Error: MongoDB at mongodb://127.0.0.1:{port}/ did not "
                                    "answer: ")
    assert "Connection refused" in result.output
    assert "s3cret" not in result.output
