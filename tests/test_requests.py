"""Request ids, the session header, security headers and JSON logs."""

import io
import json
import logging
import os
import subprocess
import sys
import threading
import time

import pytest

from concierge import create_app
from concierge.requests import BatchedStreamHandler, JSONFormatter

HEALTH = "/api/concierge/health"


def test_valid_request_id_is_echoed(client):
    response = client.get(HEALTH, headers={"X-Request-ID": "abc-123_DEF.45"})
    assert response.headers["X-Request-ID"] == "abc-123_DEF.45"


@pytest.mark.parametrize("sent", ["short", "has space in it", "x" * 129, "semi;colon1"])
def test_invalid_request_id_is_replaced(client, sent):
    response = client.get(HEALTH, headers={"X-Request-ID": sent})
    assert response.headers["X-Request-ID"] != sent
    assert len(response.headers["X-Request-ID"]) == 24


def test_every_response_has_a_request_id(client):
    assert client.get("/api/concierge/missing").headers["X-Request-ID"]


@pytest.mark.parametrize("session", ["short", "has spaces in the id!", "a" * 65, "é" * 20])
def test_malformed_session_header_is_422(client, session):
    response = client.get("/api/concierge/config", headers={"X-Concierge-Session": session})
    assert response.status_code == 422
    assert "X-Concierge-Session" in response.get_json()["errors"]


def test_well_formed_session_header_is_accepted(client, session_headers):
    assert client.get("/api/concierge/config", headers=session_headers).status_code == 200


def test_api_responses_are_not_cached_and_not_sniffed(client):
    response = client.get(HEALTH)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_logs_are_json_lines_carrying_the_request_id(client):
    logger = logging.getLogger("concierge")
    logger.setLevel(logging.INFO)
    stream = io.StringIO()
    previous = logger.handlers[0].setStream(stream)
    try:
        client.get(HEALTH, headers={"X-Request-ID": "log-line-test-1"})
    finally:
        logger.handlers[0].setStream(previous)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    access = [entry for entry in lines if entry["logger"] == "concierge.access"]
    assert access[-1]["requestId"] == "log-line-test-1"
    assert access[-1]["status"] == 200
    assert access[-1]["path"] == HEALTH


def test_generated_request_ids_are_distinct_and_well_formed(client):
    ids = {client.get(HEALTH).headers["X-Request-ID"] for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 24 and int(i, 16) >= 0 for i in ids)


def test_the_json_body_is_parsed_once_for_the_limits_and_the_view(config, monkeypatch):
    client = create_app({**config, "RATELIMIT_ENABLED": True,
                         "ORDER_LOOKUP_LIMIT_PER_CLIENT_ORDER": "1/minute"}).test_client()
    parsed = []
    real_loads = json.loads
    monkeypatch.setattr("concierge.api.json.loads",
                        lambda raw: parsed.append(raw) or real_loads(raw))
    wrong = {"orderNumber": "GG-11982", "email": "wrong@example.com"}
    assert client.post("/api/concierge/orders/lookup", json=wrong).status_code == 404
    assert len(parsed) == 1  # the order-guess limits' keys and the schema share one parse
    assert client.post("/api/concierge/orders/lookup", json=wrong).status_code == 429


def _handler(seconds: float) -> tuple[BatchedStreamHandler, io.StringIO]:
    stream = io.StringIO()
    handler = BatchedStreamHandler(stream, seconds)
    handler.setFormatter(JSONFormatter())
    return handler, stream


def _record(level: int, message: str) -> logging.LogRecord:
    return logging.makeLogRecord({"name": "concierge.test", "levelno": level,
                                  "levelname": logging.getLevelName(level), "msg": message})


def test_info_lines_wait_for_the_batch_and_warnings_go_at_once_with_them():
    handler, stream = _handler(seconds=60)
    handler.handle(_record(logging.INFO, "first"))
    assert stream.getvalue() == ""  # written with the next batch
    handler.handle(_record(logging.WARNING, "careful"))
    messages = [json.loads(line)["message"] for line in stream.getvalue().splitlines()]
    assert messages == ["first", "careful"]  # in order, nothing lost


def test_a_full_batch_is_written_without_waiting():
    handler, stream = _handler(seconds=60)
    for n in range(BatchedStreamHandler.BATCH):
        handler.handle(_record(logging.INFO, f"line {n}"))
    assert len(stream.getvalue().splitlines()) == BatchedStreamHandler.BATCH


def test_lines_from_many_threads_are_all_written_once_while_batches_go_out():
    handler, stream = _handler(seconds=60)
    threads = [threading.Thread(target=lambda t=t: [handler.handle(
        _record(logging.INFO, f"{t}-{n}")) for n in range(1000)]) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    handler.flush()
    messages = [json.loads(line)["message"] for line in stream.getvalue().splitlines()]
    assert sorted(messages) == sorted(f"{t}-{n}" for t in range(8) for n in range(1000))
    for t in range(8):  # each thread's lines in the order it logged them
        mine = [m for m in messages if m.startswith(f"{t}-")]
        assert mine == [f"{t}-{n}" for n in range(1000)]


def test_a_record_the_handlers_filter_refuses_is_not_written():
    handler, stream = _handler(seconds=0)
    handler.addFilter(lambda record: record.getMessage() != "secret")
    handler.handle(_record(logging.INFO, "secret"))
    handler.handle(_record(logging.INFO, "shown"))
    assert [json.loads(line)["message"] for line in stream.getvalue().splitlines()] == ["shown"]


def test_with_no_delay_every_line_is_written_at_once():
    handler, stream = _handler(seconds=0)
    handler.handle(_record(logging.INFO, "now"))
    assert json.loads(stream.getvalue())["message"] == "now"


def test_the_flusher_writes_pending_lines_within_its_interval():
    handler, stream = _handler(seconds=0.05)
    handler.handle(_record(logging.INFO, "later"))
    flusher = [t for t in threading.enumerate() if t.name == "log-flusher"]
    assert flusher
    deadline = time.monotonic() + 10
    while not stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert json.loads(stream.getvalue())["message"] == "later"


def test_a_line_pending_at_a_fork_is_written_once(tmp_path):
    out = (tmp_path / "log").open("w")
    handler = BatchedStreamHandler(out, seconds=60)
    handler.setFormatter(JSONFormatter())
    logger = logging.getLogger("concierge")
    previous = logger.handlers[:]
    logger.handlers[:] = [handler]
    try:
        handler.handle(_record(logging.INFO, "before the fork"))
        child = os.fork()
        if child == 0:  # the child writes what it has pending, as at its exit
            handler.flush()
            os._exit(0)
        os.waitpid(child, 0)
        handler.flush()
    finally:
        logger.handlers[:] = previous
        out.close()
    assert (tmp_path / "log").read_text().count("before the fork") == 1


def test_log_lines_are_written_at_exit(tmp_path):
    script = ("import logging, sys; from concierge.requests import configure_logging; "
              "configure_logging('INFO', 60); logging.getLogger('concierge.x').info('bye')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=True)
    assert json.loads(done.stderr)["message"] == "bye"
