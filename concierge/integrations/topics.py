"""Each platform's topics and the function that applies it."""

from __future__ import annotations

from .applying import product_deleted
from .shopify_topics import (
    shopify_customer_redact,
    shopify_data_request,
    shopify_fulfilment,
    shopify_inventory,
    shopify_order,
    shopify_product,
    shopify_shop_redact,
)
from .woocommerce_topics import woo_order, woo_product

SHOPIFY = {"products/create": shopify_product, "products/update": shopify_product,
           "products/delete": product_deleted,
           "inventory_levels/update": shopify_inventory,
           "orders/create": shopify_order, "orders/updated": shopify_order,
           "orders/cancelled": shopify_order,
           "fulfillments/create": shopify_fulfilment, "fulfillments/update": shopify_fulfilment,
           "customers/data_request": shopify_data_request,
           "customers/redact": shopify_customer_redact, "shop/redact": shopify_shop_redact}
WOOCOMMERCE = {"product.created": woo_product, "product.updated": woo_product,
               "product.deleted": product_deleted,
               "order.created": woo_order, "order.updated": woo_order}
TOPICS = {"shopify": SHOPIFY, "woocommerce": WOOCOMMERCE}
