"""Evidence row: what the journeys wrote is there after the server is killed and restarted."""

from __future__ import annotations

from .context import Context
from .rows import Row

# The documents earlier rows left in ctx.state, and where the API answers each of them.
KEPT = (("shortlistId", "/shortlists/{}", "shortlist"),
        ("holdId", "/capsule-holds/{}", "capsule hold"))


def survives_restart(ctx: Context, row: Row) -> None:
    """Write, kill the server with SIGKILL, start it on the same data, read everything back."""
    restart = ctx.state.get("restart")
    if restart is None:
        row.skip("not restarted: the verifier did not start this deployment (--base-url)")
        return
    c = ctx.client
    health = c.get("/health", session=False)
    row.check(health.get("durable") is True, "GET /health → durable: true", health.summary())
    skus = (ctx.state.get("skus") or [])[:2]
    written = c.post("/shortlists", json={"skus": skus})
    row.require(written.status == 201, "POST /shortlists → 201 just before the kill",
                written.summary())
    last = written.get("shortlistId")
    before = {name: c.get(path.format(ctx.state[name])) for name, path, _ in KEPT
              if ctx.state.get(name)}
    totals = {name: ctx.documents.count(name, {}) for name in ("products", "orders")} \
        if ctx.documents is not None else {}
    restart()
    row.note("server killed with SIGKILL (master and worker) and started on the same data")
    after = c.get(f"/shortlists/{last}")
    row.check(after.status == 200 and [i.get("sku") for i in after.get("items") or []] == skus,
              "the shortlist written just before the kill → 200, same items", after.summary())
    for name, path, label in KEPT:
        if name not in before:
            continue
        again = c.get(path.format(ctx.state[name]))
        row.check(again.status == before[name].status and again.body == before[name].body,
                  f"the {label} from its row answers as before the kill "
                  f"({again.status})", again.summary())
    if ctx.documents is not None:
        found = {name: ctx.documents.count(name, {}) for name in totals}
        row.check(found == totals, f"products and orders counted as before ({totals})", found)
