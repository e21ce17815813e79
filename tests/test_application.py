"""The app's Flask class: async-or-not decided once per hook or view."""

from flask import Flask, after_this_request

from concierge.application import KNOWN_AT_MOST, Concierge


class Probe(Flask):
    """Flask, counting the functions it is asked to inspect."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspected = []

    def ensure_sync(self, func):
        self.inspected.append(func)
        return super().ensure_sync(func)


class Probed(Concierge, Probe):
    """Concierge in front of the probe: what reaches the probe is what Flask inspects."""


def test_a_hook_is_inspected_once_and_answered_the_same_after():
    app = Probed(__name__)

    def hook(response):
        return response

    assert [app.ensure_sync(hook) for _ in range(3)] == [hook] * 3
    assert app.inspected == [hook]


def test_every_request_runs_its_hooks_and_view_inspected_once():
    app = Probed(__name__)
    app.after_request(lambda response: response)

    @app.get("/")
    def index():
        return "ok"

    client = app.test_client()
    assert [client.get("/").status_code for _ in range(5)] == [200] * 5
    assert len(app.inspected) == len(set(app.inspected))


def test_callbacks_made_per_request_run_and_are_not_kept_beyond_the_bound():
    app = Probed(__name__)
    ran = []

    @app.get("/")
    def index():
        @after_this_request
        def note(response):
            ran.append(1)
            return response
        return "ok"

    client = app.test_client()
    for _ in range(KNOWN_AT_MOST + 50):
        assert client.get("/").status_code == 200
    assert len(ran) == KNOWN_AT_MOST + 50
    # Past the bound, each new callback is inspected as Flask does, not kept.
    assert len(app.inspected) == KNOWN_AT_MOST + 50 + 1


def test_an_unhashable_callable_is_inspected_each_time():
    class Calls(list):
        __hash__ = None

        def __call__(self):
            return "called"

    app = Probed(__name__)
    func = Calls()
    assert app.ensure_sync(func) is func
    assert app.ensure_sync(func) is func
    assert len(app.inspected) == 2
