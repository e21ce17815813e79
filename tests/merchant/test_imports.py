"""Imports: batches of 500, counts, rejected lines with numbers; start-up files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from concierge import create_app
from concierge.merchant import imports

from .conftest import order_body, product_body
from .shopify_export import write as write_export

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def test_a_shopify_export_is_imported_in_batches_of_500(app, tmp_path):
    path = tmp_path / "export.csv"
    products = write_export(path, 12_000)
    sizes, progress = [], []

    def counting(kind, bodies):
        sizes.append(len(bodies))
        return imports.direct(kind, bodies)

    with app.app_context():
        lines = imports.read_file("products", path)
        summary = imports.run("products", lines, counting, progress.append)
        assert summary.counts["created"] == products == 1200
        assert sizes == [500, 500, 200]
        assert sum(progress) == 1200
        again = imports.run("products", lines, imports.direct)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 1200, "rejected": 0,
                            "skipped": 0}


def test_rejected_lines_are_listed_with_their_number_and_reason(app):
    with app.app_context():
        summary = imports.run("products", imports.read_file(
            "products", SAMPLES / "shopify-products.csv"), imports.direct)
    assert summary.counts == {"created": 4, "updated": 0, "unchanged": 0, "rejected": 1,
                              "skipped": 2}
    assert summary.rejected == [(18, "mystery-box: Variant Price 'free' is not a number")]


def test_json_lines_of_api_bodies(app, tmp_path):
    path = tmp_path / "products.jsonl"
    path.write_text("\n".join([
        json.dumps({"sku": "AUR-JSL-0001", **product_body()}),
        "",
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"sku": "AUR-JSL-0002", **product_body(stock=-1)}),
    ]) + "\n")
    with app.app_context():
        summary = imports.run("products", imports.read_file("products", path), imports.direct)
    assert summary.counts["created"] == 1
    numbers = [number for number, _ in summary.rejected]
    assert numbers == [3, 4, 5]
    assert summary.rejected[2][1].startswith("AUR-JSL-0002: stock:")


def test_the_orders_sample_imports_with_one_rejected_line(app):
    with app.app_context():
        summary = imports.run("orders", imports.read_file("orders", SAMPLES / "orders.jsonl"),
                              imports.direct)
    assert summary.counts["created"] == 3
    [(number, reason)] = summary.rejected
    assert number == 4
    assert reason.startswith("GG-20004: email:")
    assert "items:" in reason


def test_orders_are_read_from_json_lines_only(tmp_path):
    with pytest.raises(imports.ImportRefused, match="JSON Lines"):
        imports.read_file("orders", SAMPLES / "shopify-products.csv")


@pytest.fixture
def start_files(tmp_path) -> dict:
    orders = tmp_path / "orders.jsonl"
    orders.write_text(json.dumps({"orderNumber": "GG-40001", **order_body()}) + "\n"
                      + json.dumps({"orderNumber": "GG-40002"}) + "\n")
    return {"TESTING": True, "LOG_LEVEL": "WARNING",
            "CONCIERGE_CATALOG_FILE": str(SAMPLES / "shopify-products.csv"),
            "CONCIERGE_ORDERS_FILE": str(orders)}


def _logged(capfd) -> list[str]:
    """Return the messages of the JSON log lines written to stderr."""
    return [json.loads(line)["message"] for line in capfd.readouterr().err.splitlines()
            if line.startswith("{")]


def test_start_up_imports_the_files_after_the_seed(start_files, capfd):
    app = create_app(start_files)
    database = app.extensions["concierge_store"].database()
    assert database.products.count_documents({"sku": "LINEN-SHIRT-DRESS"}) == 1
    assert database.products.count_documents({}) > 200  # the seed is still there
    assert database.orders.count_documents({"orderNumber": "GG-40001"}) == 1
    rejected = [message for message in _logged(capfd) if "rejected" in message]
    assert any("line 18" in m and "mystery-box" in m for m in rejected)
    assert any("line 2" in m and "GG-40002" in m for m in rejected)
    assert app.test_client().get("/api/concierge/health").status_code == 200


def test_a_missing_start_up_file_is_logged_and_the_start_continues(capfd, tmp_path):
    app = create_app({"TESTING": True, "LOG_LEVEL": "WARNING",
                      "CONCIERGE_CATALOG_FILE": str(tmp_path / "missing.csv")})
    assert any("import of products skipped" in message for message in _logged(capfd))
    assert app.test_client().get("/api/concierge/health").status_code == 200


HUGE_BODY = "<p>" + "x" * 140_000 + "</p>"  # over the csv module's 131,072-character field


def write_csv_with_an_oversize_field(path: Path) -> Path:
    path.write_text(
        "Handle,Title,Body (HTML),Type,Variant Price,Status\n"
        "linen-shirt,Linen Shirt,<p>Light</p>,Shirts,49.00,active\n"
        f'too-long,Too Long,"{HUGE_BODY}",Shirts,59.00,active\n'
        "wool-coat,Wool Coat,<p>Warm</p>,Coats,189.00,active\n", encoding="utf-8")
    return path


def deep_line(levels: int = 200_000) -> str:
    return "[" * levels + "]" * levels


def write_jsonl_with_deep_lines(path: Path) -> Path:
    shallow_but_deep = {"sku": "AUR-JSL-0009", **product_body(), "extra": json.loads(
        "[" * 40 + "]" * 40)}
    path.write_text("\n".join([
        json.dumps({"sku": "AUR-JSL-0007", **product_body()}),
        deep_line(),
        json.dumps(shallow_but_deep),
        json.dumps({"sku": "AUR-JSL-0008", **product_body()}),
    ]) + "\n")
    return path


def test_a_csv_field_over_the_limit_rejects_its_line_and_the_import_goes_on(app, tmp_path):
    path = write_csv_with_an_oversize_field(tmp_path / "export.csv")
    with app.app_context():
        summary = imports.run("products", imports.read_file("products", path), imports.direct)
    assert summary.counts["created"] == 2
    [(number, reason)] = summary.rejected
    assert number == 3
    assert "field larger than field limit" in reason
    with app.app_context():
        from concierge.db import get_db

        coat = get_db().products.find_one({"sku": "WOOL-COAT"})
    assert coat["name"] == "Wool Coat"


def test_a_json_line_nested_too_deeply_is_rejected_and_the_import_goes_on(app, tmp_path):
    path = write_jsonl_with_deep_lines(tmp_path / "products.jsonl")
    with app.app_context():
        summary = imports.run("products", imports.read_file("products", path), imports.direct)
    assert summary.counts["created"] == 2
    assert [number for number, _ in summary.rejected] == [2, 3]
    assert all("deeper than 32 levels" in reason for _, reason in summary.rejected)


@pytest.mark.parametrize("write", [write_csv_with_an_oversize_field,
                                   write_jsonl_with_deep_lines])
def test_a_start_up_file_with_an_unreadable_line_still_starts_the_server(write, tmp_path,
                                                                        capfd):
    suffix = ".csv" if write is write_csv_with_an_oversize_field else ".jsonl"
    path = write(tmp_path / f"catalog{suffix}")
    app = create_app({"TESTING": True, "LOG_LEVEL": "WARNING",
                      "CONCIERGE_CATALOG_FILE": str(path)})
    assert any("rejected" in message for message in _logged(capfd))
    assert app.test_client().get("/api/concierge/health").status_code == 200
    database = app.extensions["concierge_store"].database()
    assert database.products.count_documents({"name": {"$in": ["Linen Shirt", "Wool Coat",
                                                                "Linen Shirt Dress"]}}) >= 1


def test_a_shopify_export_keeps_its_variants_and_imports_again_unchanged(app, db):
    path = SAMPLES / "shopify-products.csv"
    with app.app_context():
        first = imports.run("products", imports.read_file("products", path), imports.direct)
        again = imports.run("products", imports.read_file("products", path), imports.direct)
    assert first.counts["created"] == 4
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 1,
                            "skipped": 2}
    dress = db.products.find_one({"sku": "LINEN-SHIRT-DRESS"})
    assert [(v["sku"], v["stock"]) for v in dress["variants"]] == [
        ("LSD-S-SAGE", 4), ("LSD-M-SAGE", 6), ("LSD-L-SAGE", 0), ("LSD-S-SAND", 2),
        ("LSD-M-SAND", 0)]
    assert (dress["stock"], dress["colors"]) == (12, ["sage", "sand"])


def test_a_variant_sku_another_product_holds_rejects_that_product_alone(app, db, tmp_path):
    path = tmp_path / "clash.csv"
    path.write_text("Handle,Title,Type,Option1 Name,Option1 Value,Variant SKU,Variant Price,"
                    "Variant Inventory Qty\n"
                    "wrap-top,Wrap Top,Tops,Size,S,AUR-DR-0001,49,3\n"
                    "belt,Belt,Accessories,Size,S,BELT-S,20,1\n")
    with app.app_context():
        summary = imports.run("products", imports.read_file("products", path), imports.direct)
    assert summary.counts["created"] == 1
    assert summary.rejected == [
        (2, "WRAP-TOP: variants.0.sku: Already the sku of product AUR-DR-0001.")]
    assert db.products.find_one({"sku": "WRAP-TOP"}) is None
