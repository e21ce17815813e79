"""Seed data matches API.md section 14 and loads idempotently."""

from datetime import timedelta

from concierge.clock import now
from concierge.seeding import seed


def test_seeding_twice_changes_nothing(db):
    before = {name: list(db[name].find({}).sort("_id", 1))
              for name in ("products", "orders", "capsules", "featureFlags")}
    counts = seed(db)
    assert all(count["inserted"] == 0 for count in counts.values())
    for name, docs in before.items():
        assert list(db[name].find({}).sort("_id", 1)) == docs


def test_seed_command_prints_counts_per_collection(mongodb_runner):
    first = mongodb_runner.invoke(args=["concierge", "seed"])
    assert first.exit_code == 0
    assert "224 inserted    0 already present" in first.output
    result = mongodb_runner.invoke(args=["concierge", "seed"])
    assert result.exit_code == 0
    assert "products" in result.output
    assert "0 inserted  224 already present" in result.output


def test_catalogue_is_large_and_varied(db):
    products = list(db.products.find({}))
    assert len(products) >= 200
    assert len({p["category"] for p in products}) >= 6
    for product in products:
        assert product["price"]["amount"] > 0
        assert product["price"]["currency"] == "USD"
        assert product["colors"]
        assert product["sizes"]
        assert product["imageUrl"].startswith("/static/img/products/")
        assert product["keywords"]


def _order(db, number):
    return db.orders.find_one({"orderNumber": number})


def test_order_fixtures_match_the_contract(db):
    at = now()
    shipped = _order(db, "GG-11982")
    assert (shipped["email"], shipped["postalCode"], shipped["status"]) == (
        "avery.stone@example.com", "10001", "shipped")
    assert len(shipped["timeline"]) >= 4
    returnable = _order(db, "GG-10457")
    assert returnable["status"] == "delivered"
    assert abs(at - returnable["deliveredAt"] - timedelta(days=5)) < timedelta(minutes=1)
    assert len(returnable["items"]) == 3
    assert sorted(i["quantity"] for i in returnable["items"]) == [1, 1, 2]
    closed = _order(db, "GG-10212")
    assert abs(at - closed["deliveredAt"] - timedelta(days=45)) < timedelta(minutes=1)
    digital = _order(db, "GG-12001")
    assert digital["postalCode"] is None
    assert abs(at - digital["deliveredAt"] - timedelta(days=2)) < timedelta(minutes=1)
    assert _order(db, "GG-12040")["status"] == "processing"


def test_capsule_fixtures_have_the_contract_capacities(db):
    capacities = {c["capsuleId"]: c["capacity"] for c in db.capsules.find({})}
    assert len(capacities) >= 3
    assert capacities["capsule-weekend-edit"] == 5
    assert capacities["capsule-last-one"] == 1


def test_flag_ships_enabled_at_full_rollout(db):
    flag = db.featureFlags.find_one({"_id": "concierge.realEndpointsEnabled"})
    assert flag["enabled"] is True
    assert flag["canaryPercent"] == 100


def test_a_seed_racing_another_seed_counts_only_what_it_inserted(db, races):
    ids = ["capsule-weekend-edit", "capsule-last-one"]
    db.capsules.delete_many({"capsuleId": {"$in": ids}})
    races.before("capsules", "insert_many",
                 lambda db, args, kwargs: db.capsules.insert_one(
                     next(d for d in args[0] if d["capsuleId"] == ids[0])))
    counts = seed(db)
    assert races.fired == ["capsules.insert_many"]
    assert counts["capsules"] == {"inserted": 1, "existing": len(_capsules(db)) - 1}
    assert db.capsules.count_documents({"capsuleId": {"$in": ids}}) == 2


def _capsules(db):
    return list(db.capsules.find({}))
