"""Back-in-stock alerts: a shopper waits for a sold-out variant and is emailed once."""
