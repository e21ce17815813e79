"""Read a Shopify product CSV export: one product per Handle from its variant rows."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

from ..products.schemas import SKU_MAX
from ..text import fold

SIZE_OPTIONS = {"size"}
COLOR_OPTIONS = {"color", "colour"}
SKIPPED_STATUSES = {"draft", "archived"}
BLOCKS = {"p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4",
          "h5", "h6", "section", "article", "table", "blockquote"}
HIDDEN = {"script", "style", "template"}


@dataclass
class Line:
    """One record of an import file: its line number and body, or why it is left out."""

    number: int
    body: dict | None = None
    error: str | None = None
    skipped: str | None = None


class _Text(HTMLParser):
    """Collect the visible text of an HTML fragment (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in HIDDEN
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.hidden -= tag in HIDDEN and self.hidden > 0
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Strip an HTML description to plain text with single spaces."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def minor_units(price: str) -> int:
    """Turn "129.00" into 12900 (two decimals), else raise ValueError."""
    try:
        amount = Decimal(price.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"Variant Price {price!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"Variant Price {price!r} is not a price")
    return int((amount * 100).to_integral_value())


def _groups(reader: csv.DictReader) -> Iterator[tuple[int, list[dict] | str]]:
    """Yield (first line number, rows) per Handle, in the order handles first appear.

    A line the csv module cannot read (a field over its limit) is yielded
    alone with the reason instead of rows; reading goes on after it.
    """
    groups: dict[str, tuple[int, list[dict] | str]] = {}
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            groups[f"\0line {start}"] = (start, f"line not readable: {error}")
            # DictReader.line_num is only updated after a row it could read.
            start = reader.reader.line_num + 1
            continue
        handle = (row.get("Handle") or "").strip()
        if handle:
            groups.setdefault(handle, (start, []))[1].append(row)
        start = reader.line_num + 1
    yield from groups.values()


def _position(row: dict) -> int:
    text = (row.get("Image Position") or "").strip()
    return int(text) if text.isdigit() else 10**6


def _image(rows: list[dict]) -> str | None:
    with_image = [r for r in rows if (r.get("Image Src") or "").strip()]
    if with_image:
        return min(with_image, key=_position)["Image Src"].strip()
    variant = [r["Variant Image"].strip() for r in rows if (r.get("Variant Image") or "").strip()]
    return variant[0] if variant else None


def _quantity(text: str | None) -> int:
    text = (text or "").strip()
    try:
        return max(0, int(text or "0"))  # oversold variants (negative) count as none
    except ValueError:
        raise ValueError(f"Variant Inventory Qty {text!r} is not a whole number") from None


def _category(first: dict) -> str:
    kind = (first.get("Type") or "").strip()
    if kind:
        return kind
    # Shopify's standard taxonomy: "Apparel & Accessories > Clothing > Dresses".
    return (first.get("Product Category") or "").rsplit(">", 1)[-1].strip()


def _option(row: dict, first: dict, names: set[str]) -> str | None:
    for index in (1, 2, 3):
        if fold((first.get(f"Option{index} Name") or "").strip()) in names:
            return (row.get(f"Option{index} Value") or "").strip() or None
    return None


def variant_sku(handle: str, number: int) -> str:
    """Name a variant without its own sku: <HANDLE>-<n>, the handle cut to keep 255."""
    suffix = f"-{number}"
    return handle.upper()[:SKU_MAX - len(suffix)] + suffix


def variant(handle: str, number: int, row: dict, first: dict, currency: str,
            has_quantities: bool) -> dict:
    """Build one variant of the merchant API body from its row (numbered from 1)."""
    found = {"sku": (row.get("Variant SKU") or "").strip() or variant_sku(handle, number),
             "size": _option(row, first, SIZE_OPTIONS),
             "color": _option(row, first, COLOR_OPTIONS),
             # An export without quantities: each variant counts as one in stock.
             "stock": _quantity(row.get("Variant Inventory Qty")) if has_quantities else 1,
             "price": {"amount": minor_units(row["Variant Price"]), "currency": currency}}
    barcode = (row.get("Variant Barcode") or "").strip()
    if barcode:
        found["barcode"] = barcode
    return found


def product(handle: str, rows: list[dict], currency: str, store_url: str | None,
            has_quantities: bool) -> dict:
    """Build the merchant API body of one product from its rows: one variant per row
    with a Variant Price, each with its own sku, options, quantity and price."""
    first = next((r for r in rows if (r.get("Title") or "").strip()), rows[0])
    variant_rows = [r for r in rows if (r.get("Variant Price") or "").strip()]
    if not variant_rows:
        raise ValueError("no variant row with a Variant Price")
    variants = [variant(handle, n, row, first, currency, has_quantities)
                for n, row in enumerate(variant_rows, start=1)]
    body = {
        "sku": handle.upper(), "name": (first.get("Title") or "").strip(),
        "description": html_to_text(first.get("Body (HTML)") or ""),
        "category": _category(first),
        # What the variants give (the API derives the same): in the rows' order.
        "price": min((v["price"] for v in variants), key=lambda p: p["amount"]),
        "colors": list(dict.fromkeys(v["color"] for v in variants if v["color"])),
        "sizes": list(dict.fromkeys(v["size"] for v in variants if v["size"])),
        "stock": sum(v["stock"] for v in variants),
        "variants": variants,
        "tags": [t.strip() for t in (first.get("Tags") or "").split(",") if t.strip()],
    }
    image = _image(rows)
    if image:
        body["imageUrl"] = image
    if store_url:
        body["url"] = f"{store_url.rstrip('/')}/products/{handle}"
    return body


def _skip_reason(first: dict, columns: set[str]) -> str | None:
    status = fold((first.get("Status") or "").strip())
    if status in SKIPPED_STATUSES:
        return status
    if "Status" not in columns and fold((first.get("Published") or "").strip()) == "false":
        return "unpublished"
    return None


def read(lines: Iterable[str], currency: str = "USD", store_url: str | None = None
         ) -> Iterator[Line]:
    """Yield one Line per product (Handle) of a Shopify product CSV export."""
    reader = csv.DictReader(lines)
    try:
        columns = set(reader.fieldnames or ())
    except csv.Error as error:
        raise ValueError(f"the header line is not readable: {error}") from None
    if "Handle" not in columns:
        raise ValueError("not a Shopify product export: no Handle column")
    has_quantities = "Variant Inventory Qty" in columns
    for number, rows in _groups(reader):
        if isinstance(rows, str):
            yield Line(number, error=rows)
            continue
        handle = rows[0]["Handle"].strip()
        first = next((r for r in rows if (r.get("Title") or "").strip()), rows[0])
        skipped = _skip_reason(first, columns)
        if skipped:
            yield Line(number, skipped=f"{handle}: {skipped}")
            continue
        try:
            yield Line(number, body=product(handle, rows, currency, store_url,
                                            has_quantities))
        except ValueError as error:
            yield Line(number, error=f"{handle}: {error}")
