"""A dress sold in variants: the table of API.md section 22 as a merchant body."""

from __future__ import annotations

from .conftest import product_body

# Black S and navy M in stock, black M sold out, navy S low (2 left).
DRESS = "AUR-VAR-DRESS"


def variant(sku: str, size: str | None, color: str | None, stock: int, **more) -> dict:
    """One variant of a merchant body."""
    return {"sku": sku, "size": size, "color": color, "stock": stock, **more}


def dress_body(**changes) -> dict:
    """A product body with four variants (sizes, colours, stock and price left derived)."""
    body = product_body(name="Satin Slip Dress", description="A bias-cut satin slip dress.",
                        variants=[variant("VAR-BLK-S", "S", "Black", 5),
                                  variant("VAR-BLK-M", "M", "Black", 0),
                                  variant("VAR-NVY-S", "S", "Navy", 2,
                                          price={"amount": 9900, "currency": "USD"}),
                                  variant("VAR-NVY-M", "M", "Navy", 7)])
    for name in ("colors", "sizes", "stock"):
        body.pop(name)
    body.update(changes)
    return body
