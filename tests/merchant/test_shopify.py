"""A Shopify product export becomes one product per Handle."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from concierge.merchant import shopify

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "shopify-products.csv"


@pytest.fixture(scope="module")
def sample() -> dict[str, shopify.Line]:
    with SAMPLE.open(newline="", encoding="utf-8") as stream:
        lines = list(shopify.read(stream))
    return {(line.body or {}).get("sku") or (line.error or line.skipped).split(":")[0]: line
            for line in lines}


def test_one_product_per_handle_from_its_variant_rows(sample):
    dress = sample["LINEN-SHIRT-DRESS"].body
    assert dress["name"] == "Linen Shirt Dress"
    assert dress["sizes"] == ["S", "M", "L"]
    assert dress["colors"] == ["Sage", "Sand"]
    assert dress["price"] == {"amount": 12900, "currency": "USD"}  # the lowest variant
    assert dress["stock"] == 12  # 4 + 6 + 0 + 2, the oversold -1 counts as none
    assert dress["category"] == "Dresses"
    assert dress["tags"] == ["linen", "summer", "vacation"]
    assert dress["imageUrl"] == "https://cdn.example.com/linen-shirt-dress-sage.jpg"


def test_the_first_line_of_each_product_is_its_line_number(sample):
    assert sample["LINEN-SHIRT-DRESS"].number == 2
    assert sample["MERINO-CREW-JUMPER"].number == 7  # after five dress rows
    assert sample["LEATHER-ANKLE-BOOTS"].number == 12  # the jumper's body spans two lines


def test_body_html_is_stripped_to_text(sample):
    assert sample["LINEN-SHIRT-DRESS"].body["description"] == (
        "A relaxed linen shirt dress with a tie waist & patch pockets. 100% linen Machine wash")
    assert sample["MERINO-CREW-JUMPER"].body["description"] == (
        "Fine-gauge merino wool jumper. Warm, light & easy to layer.")


def test_colour_spelled_the_british_way_and_options_in_any_position(sample):
    jumper = sample["MERINO-CREW-JUMPER"].body
    assert jumper["colors"] == ["Navy", "Camel"]
    assert jumper["sizes"] == ["XS", "S", "M"]


def test_a_product_without_options_has_no_sizes_or_colours(sample):
    tote = sample["CANVAS-TOTE"].body
    assert tote["sizes"] == []
    assert tote["colors"] == []


def test_draft_and_archived_products_are_skipped(sample):
    assert sample["silk-scarf-preview"].skipped == "silk-scarf-preview: draft"
    assert sample["wool-cape-2019"].skipped == "wool-cape-2019: archived"


def test_a_bad_price_is_an_error_with_its_handle(sample):
    assert sample["mystery-box"].error == "mystery-box: Variant Price 'free' is not a number"
    assert sample["mystery-box"].number == 18


def _read(text: str, **options) -> list[shopify.Line]:
    return list(shopify.read(io.StringIO(text), **options))


def test_type_falls_back_to_the_product_category_and_links_use_the_store():
    text = ("Handle,Title,Type,Product Category,Variant Price,Variant Inventory Qty\n"
            "wrap-top,Wrap Top,,Apparel & Accessories > Clothing > Tops,49.5,3\n")
    [line] = _read(text, currency="EUR", store_url="https://shop.example/")
    assert line.body["category"] == "Tops"
    assert line.body["price"] == {"amount": 4950, "currency": "EUR"}
    assert line.body["url"] == "https://shop.example/products/wrap-top"


def test_an_export_without_quantities_counts_each_variant_in_stock():
    text = "Handle,Title,Type,Variant Price\nbelt,Belt,Accessories,20\nbelt,,,20\n"
    assert _read(text)[0].body["stock"] == 2


def test_unpublished_products_of_old_exports_are_skipped():
    text = "Handle,Title,Type,Published,Variant Price\nold,Old,Tops,FALSE,10\n"
    assert _read(text)[0].skipped == "old: unpublished"


def test_image_rows_are_not_variants():
    text = ("Handle,Title,Type,Variant Price,Variant Inventory Qty,Image Src,Image Position\n"
            "cap,Cap,Accessories,15,2,https://cdn/b.jpg,2\n"
            "cap,,,,,https://cdn/a.jpg,1\n")
    [line] = _read(text)
    assert line.body["stock"] == 2
    assert line.body["imageUrl"] == "https://cdn/a.jpg"


def test_a_bad_quantity_is_an_error():
    text = "Handle,Title,Type,Variant Price,Variant Inventory Qty\nhat,Hat,Accessories,5,lots\n"
    assert "Variant Inventory Qty 'lots'" in _read(text)[0].error


def test_a_file_without_handles_is_not_an_export():
    with pytest.raises(ValueError, match="Handle"):
        _read("sku,name\nA,B\n")


def test_scripts_in_descriptions_never_become_text():
    assert shopify.html_to_text("<p>Soft</p><script>alert(1)</script><style>p{}</style>") == \
        "Soft"


def test_each_variant_row_is_a_variant_with_its_own_sku_options_quantity_and_price(sample):
    variants = sample["LINEN-SHIRT-DRESS"].body["variants"]
    assert variants[0] == {"sku": "LSD-S-SAGE", "size": "S", "color": "Sage", "stock": 4,
                           "price": {"amount": 13900, "currency": "USD"}}
    assert [(v["size"], v["color"], v["stock"], v["price"]["amount"]) for v in variants] == [
        ("S", "Sage", 4, 13900), ("M", "Sage", 6, 13900), ("L", "Sage", 0, 13900),
        ("S", "Sand", 2, 12900), ("M", "Sand", 0, 12900)]  # oversold (-1): none left


def test_a_variant_without_a_sku_is_named_after_its_handle_and_position():
    text = ("Handle,Title,Type,Option1 Name,Option1 Value,Variant SKU,Variant Price,"
            "Variant Inventory Qty,Variant Barcode\n"
            "wrap-top,Wrap Top,Tops,Size,S,,49,3,0012345678905\n"
            "wrap-top,,,,M,WT-M,49,0,\n"
            "wrap-top,,,,L,,52,1,\n")
    [line] = _read(text)
    assert [v["sku"] for v in line.body["variants"]] == ["WRAP-TOP-1", "WT-M", "WRAP-TOP-3"]
    assert line.body["variants"][0]["barcode"] == "0012345678905"
    assert "barcode" not in line.body["variants"][1]
    assert [v["color"] for v in line.body["variants"]] == [None, None, None]
