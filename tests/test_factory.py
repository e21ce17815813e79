"""The factory registers extensions, blueprints, handlers and commands."""

from concierge.seeding import seed


def test_every_journey_blueprint_is_registered(app):
    assert {"core", "products", "orders", "returns", "capsules", "shortlists", "stylists",
            "inspiration", "inspiration_admin", "subscriptions", "feedback", "analytics",
            "widget"} <= set(app.blueprints)


def test_limiter_is_bound_when_enabled(config):
    from concierge import create_app

    assert "limiter" in create_app({**config, "RATELIMIT_ENABLED": True}).extensions


def test_embedded_default_is_seeded_at_start(db):
    assert db.products.count_documents({}) >= 200
    assert db.orders.count_documents({"orderNumber": "GG-11982"}) == 1


def test_each_app_gets_its_own_embedded_store(app, db):
    from concierge import create_app

    other = create_app({"TESTING": True, "LOG_LEVEL": "WARNING"})
    db.orders.delete_many({})
    with other.app_context():
        from concierge.db import get_db

        assert get_db().orders.count_documents({}) == 5


def test_seed_on_start_can_be_switched_off():
    from concierge import create_app
    from concierge.db import get_db

    app = create_app({"TESTING": True, "SEED_ON_START": False, "LOG_LEVEL": "WARNING"})
    with app.app_context():
        assert get_db().products.count_documents({}) == 0
        assert seed(get_db())["products"]["inserted"] >= 200


def test_cli_commands_are_registered(runner):
    result = runner.invoke(args=["concierge", "--help"])
    for command in ("seed", "init-db", "flags", "verify", "deliver", "retry"):
        assert command in result.output
