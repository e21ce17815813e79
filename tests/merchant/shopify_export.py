"""Write a Shopify-style product CSV export of any size (for tests and the 10k measurement).

Run: python -m tests.merchant.shopify_export OUT.csv [VARIANT_ROWS]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HEADER = ["Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags",
          "Published", "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value",
          "Option3 Name", "Option3 Value", "Variant SKU", "Variant Inventory Qty",
          "Variant Price", "Image Src", "Image Position", "Status"]
TYPES = ["Dresses", "Knitwear", "Tops", "Trousers", "Outerwear", "Shoes"]
COLORS = ["Navy", "Ivory", "Sage", "Rust", "Black"]
SIZES = ["XS", "S", "M", "L", "XL"]
WORDS = ["Linen", "Merino", "Silk", "Cotton", "Wool", "Cashmere", "Denim", "Satin"]


def rows(variant_rows: int):
    """Yield CSV rows: products of 10 variants (2 colours x 5 sizes) until the count."""
    written, product = 0, 0
    while written < variant_rows:
        handle = f"style-{product:05d}"
        kind = TYPES[product % len(TYPES)]
        colors = [COLORS[product % 5], COLORS[(product + 2) % 5]]
        for n in range(min(10, variant_rows - written)):
            first = n == 0
            yield [handle, f"{WORDS[product % 8]} {kind[:-1]} {product}" if first else "",
                   f"<p>A {WORDS[product % 8].lower()} piece, <em>style {product}</em>.</p>"
                   if first else "", "Aurora" if first else "",
                   "", kind if first else "", "new, core" if first else "",
                   "TRUE" if first else "", "Color" if first else "", colors[n // 5],
                   "Size" if first else "", SIZES[n % 5], "", "",
                   f"{handle.upper()}-{n}", str(n % 4), f"{80 + product % 50 + n}.00",
                   f"https://cdn.example.com/{handle}.jpg" if first else "",
                   "1" if first else "", "active" if first else ""]
            written += 1
        product += 1


def write(path: Path, variant_rows: int) -> int:
    """Write the export; return the number of products in it."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows(variant_rows))
    return -(-variant_rows // 10)


if __name__ == "__main__":
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    print(write(Path(sys.argv[1]), count), "products")
