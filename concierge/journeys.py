"""Which events mark a widget opened and each journey completed."""

OPENED = "aurora_widget_opened"

# The server records each of these when a journey succeeds; the widget reports
# the same names, so counts of completions read the server's copy only.
COMPLETED = {
    "aurora_products_searched": "Searched products",
    "aurora_order_tracked": "Tracked an order",
    "aurora_return_created": "Started a return",
    "aurora_capsule_held": "Held a capsule",
    "aurora_shortlist_saved": "Saved a shortlist",
    "aurora_stylist_ticket_created": "Booked a stylist",
    "aurora_inspiration_uploaded": "Shared inspiration",
    "aurora_order_subscribed": "Subscribed to updates",
    "aurora_csat_submitted": "Rated the help",
}
