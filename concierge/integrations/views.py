"""POST /integrations/shopify/webhooks and /integrations/woocommerce/webhooks (section 23)."""

from __future__ import annotations

from flask import Blueprint, request

from .. import api, limits
from . import schemas, service
from .schemas import WebhookAnswerSchema
from .topics import SHOPIFY, WOOCOMMERCE

bp = Blueprint("integrations", __name__, url_prefix="/api/concierge/integrations")

ERRORS = ((400, "malformed_json"), (400, "missing_topic"), (401, "invalid_signature"),
          (404, "not_found"), (404, "product_not_found"), (404, "order_not_found"),
          (413, "payload_too_large"), (415, "unsupported_media_type"))


def _receive(platform: service.Platform) -> dict:
    return service.receive(platform, request.get_data(cache=True), request.headers,
                           request.mimetype)


def _documented(platform: service.Platform, topics: dict, summary: str, extra_headers=None,
                extra_body=None):
    def decorator(view):
        view = api.documents(
            *ERRORS, tags=("integrations",), summary=summary,
            headers=schemas.headers(platform.signature, platform.delivery_id, platform.topic,
                                    extra_headers),
            raw_body=schemas.payload(platform.name, sorted(topics), platform.signature,
                                     platform.delivery_id, platform.topic) | (extra_body or {}),
        )(view)
        return limits.platform_signature_failures(view)
    return decorator


@bp.post("/shopify/webhooks")
@_documented(service.SHOPIFY, SHOPIFY,
             "Receive a Shopify webhook (404 unless CONCIERGE_SHOPIFY_WEBHOOK_SECRET is set)",
             {"X-Shopify-Shop-Domain": {"required": False, "schema": {"type": "string"},
                                        "description": "The shop: products link to "
                                                       "https://<domain>/products/<handle>."}})
@api.responds(200, WebhookAnswerSchema, "Applied, a duplicate, or ignored (with its reason).")
def shopify():
    """Verify, then apply the topic (within a second, also for 100 variants)."""
    return _receive(service.SHOPIFY)


@bp.post("/woocommerce/webhooks")
@_documented(service.WOOCOMMERCE, WOOCOMMERCE,
             "Receive a WooCommerce webhook, or its ping (404 unless "
             "CONCIERGE_WOOCOMMERCE_WEBHOOK_SECRET is set)",
             extra_body={"application/x-www-form-urlencoded": {"schema": {
                 "type": "object", "properties": {"webhook_id": {"type": "string"}},
                 "description": "The unsigned ping WooCommerce sends when a webhook is "
                                "saved: 200 `ignored` (reason ping), nothing changed."}}})
@api.responds(200, WebhookAnswerSchema, "Applied, a duplicate, or ignored (with its reason).")
def woocommerce():
    """Verify, then apply the topic; answer the ping."""
    return _receive(service.WOOCOMMERCE)
