"""The restart row: a server started by verify is killed and its documents read back."""

from __future__ import annotations

import pytest

from concierge.config import Config
from concierge.verify import durability
from concierge.verify.context import Context
from concierge.verify.http import Client
from concierge.verify.rows import Row
from concierge.verify.targets import gunicorn_target

SKUS = ["AUR-TP-0001", "AUR-DR-0003"]


def restart_row(tmp_path, data_dir: str | None) -> Row:
    config = Config(CONCIERGE_ADMIN_TOKEN="verify-restart-admin-token-000000")
    with gunicorn_target(config, tmp_path, threads=4, data_dir=data_dir) as target:
        ctx = Context(Client(target.base_url, "restart"), target.documents, config, tmp_path,
                      target.description, "restart")
        ctx.state.update(restart=target.restart, skus=SKUS)
        shortlist = ctx.client.post("/shortlists", json={"skus": SKUS[::-1]})
        ctx.state["shortlistId"] = shortlist.get("shortlistId")
        row = Row("restart", "Data survives kill -9 and a restart", "confirm")
        durability.survives_restart(ctx, row)
        return row.finish()


@pytest.mark.live
def test_the_restart_row_passes_on_the_durable_store(tmp_path):
    row = restart_row(tmp_path, None)
    assert row.status == "pass", row.failures


@pytest.mark.live
def test_the_restart_row_fails_on_a_server_that_forgets(tmp_path):
    row = restart_row(tmp_path, "memory")
    assert row.status == "fail"
    assert any("durable: true" in failure for failure in row.failures)
    assert any("written just before the kill" in failure for failure in row.failures)
    assert any("the shortlist from its row" in failure for failure in row.failures)
