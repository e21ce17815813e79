"""Webhooks from the store's platform (Shopify, WooCommerce): catalogue and orders kept current."""
