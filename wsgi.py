"""gunicorn wsgi:app."""

from concierge import create_app

app = create_app()
