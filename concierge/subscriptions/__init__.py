"""The order-update subscriptions feature."""
