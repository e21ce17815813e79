"""JSON log lines: what they carry, and that every line is written once."""

import io
import json
import logging
import os
import subprocess
import sys
import threading
import time

from concierge import logs

HEALTH = "/api/concierge/health"


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_logs_are_json_lines_carrying_the_request_id(client):
    stream = io.StringIO()
    logs.configure_logging("INFO", stream)
    client.get(HEALTH, headers={"X-Request-ID": "log-line-test-1"})
    logs.flush()
    access = [entry for entry in _lines(stream) if entry["logger"] == "concierge.access"]
    assert access[-1]["requestId"] == "log-line-test-1"
    assert access[-1]["status"] == 200
    assert access[-1]["path"] == HEALTH
    assert access[-1]["durationMs"] >= 0


def test_an_exception_is_written_in_its_line():
    stream = io.StringIO()
    logs.configure_logging("INFO", stream)
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("concierge.test").exception("it failed")
    logs.flush()
    (line,) = _lines(stream)
    assert (line["level"], line["message"]) == ("ERROR", "it failed")
    assert "ValueError: broken" in line["exception"]


def test_a_line_is_written_without_anyone_flushing():
    stream = io.StringIO()
    logs.configure_logging("INFO", stream)
    logging.getLogger("concierge.test").info("soon")
    deadline = time.monotonic() + 10
    while not stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _lines(stream)[0]["message"] == "soon"


def test_lines_from_many_threads_are_all_written_once_in_each_threads_order():
    stream = io.StringIO()
    logs.configure_logging("INFO", stream)
    logger = logging.getLogger("concierge.test")
    threads = [threading.Thread(target=lambda t=t: [logger.info(f"{t}-{n}")
                                                    for n in range(1000)]) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    logs.flush()
    messages = [line["message"] for line in _lines(stream)]
    assert sorted(messages) == sorted(f"{t}-{n}" for t in range(8) for n in range(1000))
    for t in range(8):
        mine = [m for m in messages if m.startswith(f"{t}-")]
        assert mine == [f"{t}-{n}" for n in range(1000)]


def test_a_line_logged_before_a_fork_is_written_once(tmp_path):
    with (tmp_path / "log").open("w") as out:
        logs.configure_logging("INFO", out)
        logging.getLogger("concierge.test").info("before the fork")
        child = os.fork()
        if child == 0:  # the child logs and exits as a gunicorn worker would
            logging.getLogger("concierge.test").info("in the child")
            logs.flush()
            os._exit(0)
        os.waitpid(child, 0)
        logs.flush()
    text = (tmp_path / "log").read_text()
    assert (text.count("before the fork"), text.count("in the child")) == (1, 1)


def test_log_lines_are_written_at_exit():
    script = ("import logging; from concierge.logs import configure_logging; "
              "configure_logging('INFO'); logging.getLogger('concierge.x').info('bye')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=True)
    assert json.loads(done.stderr)["message"] == "bye"


def test_a_warning_is_written_with_every_line_before_it_when_the_call_returns():
    stream = io.StringIO()
    logs.configure_logging("INFO", stream)
    logger = logging.getLogger("concierge.test")
    for n in range(100):
        logger.info(f"line {n}")
    logger.warning("careful")
    messages = [line["message"] for line in _lines(stream)]  # no flush: already written
    assert messages == [f"line {n}" for n in range(100)] + ["careful"]


def test_a_thread_holding_the_handler_stalls_no_other_threads_line():
    # logging formats under a lock per handler: one thread switched out while holding
    # it made every other request wait for its access line.
    stream = io.StringIO()
    logs.configure_logging("INFO", stream)
    (handler,) = logging.getLogger("concierge").handlers
    handler.acquire()
    try:
        other = threading.Thread(target=logging.getLogger("concierge.test").info, args=("free",))
        other.start()
        other.join(timeout=5)
        assert not other.is_alive()
    finally:
        handler.release()
    logs.flush()
    assert [line["message"] for line in _lines(stream)] == ["free"]
