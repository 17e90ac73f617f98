"""The WSGI entry for gunicorn: `gunicorn service.wsgi:app` (settings in gunicorn.conf.py)."""

from service import create_app

app = create_app()
