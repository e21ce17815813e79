"""What every topic shares: the delivery, writes through the merchant service, versions."""

from __future__ import annotations

from dataclasses import dataclass

from ..clock import now
from ..merchant import imports
from ..merchant import repository as merchant_store
from ..merchant import service as merchant
from ..schemas import iso_z
from . import repository
from .errors import Unmappable
from .mapping import instant, platform_id

# How far an order has gone: a platform's order update never takes it back.
PROGRESS = {"processing": 0, "shipped": 1, "in_transit": 2, "out_for_delivery": 3,
            "delivered": 4}
KEPT = ("carrier", "trackingNumber", "trackingUrl", "estimatedDelivery", "deliveredAt")


@dataclass(frozen=True)
class Delivery:
    """One verified webhook: its platform, payload and what the store's settings add."""

    platform: str
    payload: dict
    currency: str
    store_url: str | None = None

    @property
    def who(self) -> dict:
        """Name the platform in the audit."""
        return {"via": f"{self.platform} webhook"}


def fresh(old: dict | None, version) -> dict:
    """Refuse a payload older than the one last applied (webhooks arrive in any order);
    return the link fields recording this one's version."""
    at = instant(version)
    applied = (old or {}).get("sourceUpdatedAt")
    if at is not None and applied is not None and at < applied.replace(tzinfo=None):
        raise Unmappable("stale", f"updated {at.isoformat()}Z, before the version already "
                                  f"applied ({applied.isoformat()}Z).")
    return {"sourceUpdatedAt": at} if at is not None else {}


def save(kind: str, body: dict) -> str:
    """Write a product or order body as the merchant API does; return its key."""
    result = merchant.save(kind, [body])[0]
    if result["status"] == "rejected":
        raise Unmappable(f"unmappable_{kind[:-1]}",
                         f"{result.get('sku') or result.get('orderNumber')}: "
                         f"{imports.reason(result)}")
    return result["sku" if kind == "products" else "orderNumber"]


def archive(sku: str | None, reason: str = "not_active") -> str:
    """Archive a stored product, else raise Unmappable (nothing to archive)."""
    if not sku or merchant_store.find_product(sku) is None:
        raise Unmappable(reason, "no such product is stored: nothing to archive.")
    merchant.archive(sku)
    return "applied"


def product_deleted(delivery: Delivery) -> str:
    """Archive the product its platform deleted (kept for orders and shortlists)."""
    found = repository.link(delivery.platform, "product", platform_id(delivery.payload))
    return archive((found or {}).get("sku"), "unknown_product")


def archive_quietly(sku: str) -> None:
    """Archive a product when it is stored (a platform renamed it)."""
    if merchant_store.find_product(sku) is not None:
        merchant.archive(sku)


def merged(body: dict) -> dict:
    """Keep what the store's events added to an order its platform sends again."""
    stored = merchant_store.find_order(body["orderNumber"])
    if stored is None:
        return body
    for name in KEPT:
        if body.get(name) is None and stored.get(name) is not None:
            body[name] = iso_z(stored[name]) if hasattr(stored[name], "isoformat") \
                else stored[name]
    if PROGRESS.get(stored.get("status"), -1) > PROGRESS.get(body["status"], 99):
        body["status"] = stored["status"]
    return body


def order(platform: str, body: dict, pid: str, version_at) -> str:
    """Upsert an order from its platform, keeping the platform's id of it."""
    version = fresh(repository.link(platform, "order", pid), version_at)
    number = save("orders", merged(body))
    repository.save_link(platform, "order", pid, {"orderNumber": number, **version}, now())
    return "applied"


def variant_bodies(product: dict) -> list[dict]:
    """Return a stored product's variants as merchant API bodies."""
    return [{k: v for k, v in variant.items() if v is not None}
            for variant in product.get("variants") or ()]


def stored_body(product: dict) -> dict:
    """Return a stored product as the merchant body that would store it again."""
    return {name: product[name] for name in ("sku", "name", "description", "category",
                                             "tags", "imageUrl", "url", "rank", "translations")
            if product.get(name) is not None}
