"""find_order called directly: factors the HTTP schemas would refuse never raise anything
but OrderNotFound."""

import pytest

from concierge.orders.service import OrderNotFound, find_order


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.mark.parametrize("factors", [{"email": "jordan.lee\ud800@example.com"},
                                     {"postalCode": "9411\ud800"}])
def test_a_lone_surrogate_in_a_factor_is_a_wrong_guess_not_an_error(ctx, factors):
    with pytest.raises(OrderNotFound):
        find_order("GG-10457", factors.get("email"), factors.get("postalCode"))


@pytest.mark.parametrize("postal_code", ["10001", "0", "XXXX"])
def test_an_order_without_a_postal_code_matches_no_postal_code(ctx, postal_code):
    with pytest.raises(OrderNotFound):
        find_order("GG-12001", postal_code=postal_code)


def test_an_order_is_never_found_without_a_factor(ctx):
    with pytest.raises(OrderNotFound):
        find_order("GG-10457")


def test_an_order_stored_without_a_timeline_reads_an_empty_one(ctx, db):
    db.orders.update_one({"orderNumber": "GG-10457"}, {"$unset": {"timeline": ""}})
    assert find_order("GG-10457", "jordan.lee@example.com")["timeline"] == []
