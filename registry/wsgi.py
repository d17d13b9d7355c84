"""WSGI entry point for gunicorn: `gunicorn registry.wsgi:app`."""

from registry.app import serving_app

app = serving_app()
