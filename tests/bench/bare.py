"""The baseline: a bare Flask JSON route, served under the app's gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/bare")
def bare():
    """Answer a small JSON document, as the cheapest possible API call."""
    return {"status": "ok"}
