"""Products stored before variants: read as one variant, given `skus` at start-up, on the
embedded store and on a MONGO_URI database."""

from __future__ import annotations

from concierge import create_app
from concierge.flags import FLAG_ID
from concierge.products.migrate import migrate_product_skus

from ..conftest import MOCK_MONGO_URI

URL = "/api/concierge/products"


def _as_before_variants(db) -> int:
    """Take `skus` away, as documents written by the release before variants lack it."""
    return db.products.update_many({}, {"$unset": {"skus": ""}}).modified_count


def test_a_product_without_skus_is_still_found_by_its_sku_and_read_as_one_variant(client, db):
    assert _as_before_variants(db) > 200
    product = client.get(f"{URL}/AUR-TP-0001").get_json()
    assert product["variants"] == [{"sku": "AUR-TP-0001", "size": None, "color": None,
                                    "available": product["inStock"], "lowStock": False}]
    assert len(client.get(f"{URL}/AUR-DR-0004").get_json()["variants"]) > 1


def test_the_embedded_store_migrates_what_it_holds(app, client, db):
    count = _as_before_variants(db)
    with app.app_context():
        assert migrate_product_skus(db) == count
        assert migrate_product_skus(db) == 0  # idempotent
    assert db.products.count_documents({"skus": {"$exists": False}}) == 0
    assert db.products.find_one({"sku": "AUR-TP-0001"})["skus"] == ["AUR-TP-0001"]
    dress = db.products.find_one({"sku": "AUR-DR-0004"})
    assert dress["skus"] == ["AUR-DR-0004", *(v["sku"] for v in dress["variants"])]
    assert client.get(f"{URL}/AUR-DR-0004-CRE-XS").get_json()["selectedVariant"] == (
        "AUR-DR-0004-CRE-XS")


def test_a_mongo_uri_store_is_migrated_at_start_up(mongodb_app, mongodb, config):
    mongodb.products.insert_many([
        {"_id": sku, "sku": sku, "name": "Old Coat", "description": "", "category": "outerwear",
         "price": {"amount": 100, "currency": "USD"}, "colors": [], "sizes": ["M"],
         "stock": 2, "inStock": True, "tags": [], "rank": 1} for sku in ("OLD-1", "OLD-2")])
    create_app({**config, "MONGO_URI": MOCK_MONGO_URI})  # a worker starting on that data
    assert [p["skus"] for p in mongodb.products.find({}, {"skus": 1}).sort("sku")] == [
        ["OLD-1"], ["OLD-2"]]
    mongodb.featureFlags.insert_one({"_id": FLAG_ID, "enabled": True, "canaryPercent": 100})
    product = mongodb_app.test_client().get(f"{URL}/OLD-2").get_json()
    assert product["variants"][0]["available"] is True


def test_a_store_loaded_from_its_data_folder_is_migrated_at_start_up(tmp_path, config):
    settings = {**config, "CONCIERGE_DATA_DIR": str(tmp_path / "data")}
    first = create_app(settings)
    store = first.extensions["concierge_store"]
    count = _as_before_variants(store.database())  # as the release before variants left it
    store.close()
    again = create_app(settings)  # loaded from disk, not seeded
    db = again.extensions["concierge_store"].database()
    try:
        assert db.products.count_documents({"skus": {"$exists": False}}) == 0
        assert db.products.count_documents({"skus.0": {"$exists": True}}) == count
        dress = again.test_client().get(f"{URL}/AUR-DR-0004-CRE-XS").get_json()
        assert dress["selectedVariant"] == "AUR-DR-0004-CRE-XS"
    finally:
        again.extensions["concierge_store"].close()
