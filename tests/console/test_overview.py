"""The overview's aggregations: journeys per day, the funnel, CSAT, returns by reason."""

from __future__ import annotations

from datetime import timedelta

import pytest

from concierge.clock import now
from concierge.console import overview

from ..support.queries import unserved


def event(name: str, session: str, days_ago: float = 0, source: str = "server") -> dict:
    return {"name": name, "sessionId": session, "source": source,
            "receivedAt": now() - timedelta(days=days_ago), "props": {}}


@pytest.fixture
def activity(db):
    """Three sessions opened the widget today; older and foreign events around them."""
    db.analyticsEvents.insert_many([
        event("aurora_widget_opened", "s1", source="client"),
        event("aurora_widget_opened", "s2", source="client"),
        event("aurora_widget_opened", "s3", source="client"),
        event("aurora_order_tracked", "s1"),
        event("aurora_order_tracked", "s1", source="client"),  # the widget's copy
        event("aurora_order_tracked", "s2", days_ago=1),
        event("aurora_return_created", "s2", days_ago=1),
        event("aurora_return_created", "never-opened"),  # not in the funnel
        event("aurora_order_tracked", "s9", days_ago=40),  # outside 30 days
        event("aurora_intent_selected", "s3"),  # not a completion
    ])
    at = now()
    db.csatResponses.insert_many([
        {"sessionId": "s1", "intent": "x", "rating": 5, "updatedAt": at},
        {"sessionId": "s2", "intent": "x", "rating": 2, "updatedAt": at - timedelta(days=1)},
        {"sessionId": "s3", "intent": "x", "rating": 4, "updatedAt": at - timedelta(days=1)},
        {"sessionId": "s4", "intent": "x", "rating": 1, "updatedAt": at - timedelta(days=60)}])
    db.returns.insert_many([
        {"rmaNumber": "RMA-A", "orderNumber": "GG-10457", "status": "requested",
         "createdAt": at, "items": [
            {"sku": "A", "quantity": 2, "reason": "too_small"},
            {"sku": "B", "quantity": 1, "reason": "damaged"}]},
        {"rmaNumber": "RMA-B", "createdAt": at, "items": [
            {"sku": "C", "quantity": 1, "reason": "too_small"}]},
        {"rmaNumber": "RMA-OLD", "createdAt": at - timedelta(days=45), "items": [
            {"sku": "C", "quantity": 5, "reason": "other"}]}])


def build(app, days: int = 30) -> dict:
    with app.test_request_context():
        return overview.build(days)


def marks(chart) -> dict:
    return {m.label: m.value for m in chart.marks}


def test_journeys_per_day_count_the_servers_record_once(app, activity):
    figures = build(app)
    days = marks(figures["timeline"])
    assert len(days) == 30
    today, yesterday = list(days.values())[-1], list(days.values())[-2]
    assert (today, yesterday, figures["total"]) == (2, 2, 4)


def test_funnel_follows_sessions_that_opened_the_widget(app, activity):
    steps = {m.label: m.text for m in build(app)["funnel"].marks}
    assert steps["Opened the widget"] == "3 (100 %)"
    assert steps["Tracked an order"] == "2 (67 %)"
    assert steps["Started a return"] == "1 (33 %)"
    assert steps["Held a capsule"] == "0 (0 %)"


def test_csat_distribution_and_daily_mean(app, activity):
    figures = build(app, 7)
    assert marks(figures["csat"]) == {"1 of 5": 0, "2 of 5": 1, "3 of 5": 0, "4 of 5": 1,
                                      "5 of 5": 1}
    assert [m.value for m in figures["trend"].marks] == [3.0, 5.0]
    assert sorted(figures["trend_counts"].values()) == [1, 2]


def test_returns_by_reason_sum_item_quantities_in_the_period(app, activity):
    reasons = marks(build(app)["reasons"])
    assert reasons["Too small"] == 3
    assert reasons["Damaged"] == 1
    assert reasons["Other"] == 0
    assert marks(build(app, 90)["reasons"])["Other"] == 5


def test_overview_page_shows_the_figures_as_tables(staff, activity):
    page = staff.get("/console?days=7").get_data(as_text=True)
    assert "3 (100 %)" in page
    assert "Mean CSAT rating per day" in page
    assert staff.get("/console?days=12").status_code == 422


def test_every_console_query_is_index_backed(staff, activity, query_log, db):
    db.outbox.insert_one({"_id": "msg_x", "status": "failed", "createdAt": now(),
                          "type": "t", "data": {}, "attempts": 1})
    for path in ("/console", "/console/moderation", "/console/tickets",
                 "/console/tickets?status=open", "/console/returns",
                 "/console/returns?status=requested", "/console/returns?number=GG-10457",
                 "/console/returns?number=RMA-A", "/console/returns/RMA-A",
                 "/console/flag", "/console/deliveries", "/console/audit"):
        assert staff.get(path).status_code == 200, path
    staff.post("/console/returns/RMA-A/status", to="approved")
    staff.post("/console/deliveries/msg_x/retry")
    staff.post("/console/flag", canaryPercent="40", confirm="yes")
    collections = {q["collection"] for q in query_log.queries}
    assert {"analyticsEvents", "csatResponses", "returns", "stylistTickets", "outbox",
            "audit", "featureFlags"} <= collections
    assert unserved(query_log) == []
