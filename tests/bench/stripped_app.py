"""The app without the per-answer work a bench can switch off: what the rest of a request costs.

The contract asks every API answer for compression, rate limits, an access log
line and metrics; `make bench` serves this app beside the real one only to show
how far the rest of an order lookup (Flask, the body's validation, the read,
the dump, the analytics event) lets it go (docs/performance.md).
"""

from concierge import compression, create_app, metrics

app = create_app({"RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING"})
# Every hook compression and metrics add (flask-compress runs inside _send_compressed) is out.
LEFT_OUT = {compression._send_compressed, metrics._start, metrics._observe}
for hooks in (app.before_request_funcs, app.after_request_funcs):
    hooks[None] = [hook for hook in hooks[None] if hook not in LEFT_OUT]
