"""The app without the per-answer work a bench can switch off: what the rest of a request costs.

The contract asks every API answer for compression, rate limits, an access log
line and metrics; `make bench` serves this app beside the real one only to show
how far the rest of an order lookup (Flask, the body's validation, the read,
the dump, the analytics event) lets it go (docs/performance.md).
"""

from concierge import create_app, metrics

NEVER_COMPRESSED = 2**62  # bytes: flask-compress reads COMPRESS_MIN_SIZE on every answer

app = create_app({"RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING"})
app.config["COMPRESS_MIN_SIZE"] = NEVER_COMPRESSED
app.before_request_funcs[None].remove(metrics._start)
app.after_request_funcs[None].remove(metrics._observe)
