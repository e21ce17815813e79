"""The verifier works inside a partial canary by choosing a session that is in."""

from __future__ import annotations

import pytest

from concierge.verify.rows import PASS

pytestmark = pytest.mark.slow  # runs the verifier end to end against a server


def test_a_partial_canary_is_verified_through_a_session_inside_it(db, verify_app, tmp_path):
    db.featureFlags.update_one({"_id": "concierge.realEndpointsEnabled"},
                               {"$set": {"enabled": True, "canaryPercent": 10}})
    rows, _, _ = verify_app(tmp_path)
    journeys = ("flag", "products", "order_tracking", "returns", "capsule_holds", "csat",
                "analytics")
    assert {key: rows[key].status for key in journeys} == dict.fromkeys(journeys, PASS)
    assert any("inside concierge.realEndpointsEnabled" in claim for claim in rows["flag"].proof)
