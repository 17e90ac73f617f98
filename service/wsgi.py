"""The WSGI entry for gunicorn: `gunicorn service.wsgi:app` (settings in gunicorn.conf.py).

Each worker imports this module as it starts (the app is not preloaded): what the app
builds and what `warm_up` loads are paid for then, not by the worker's first request.
"""

from service import create_app, warm_up

app = create_app()
warm_up()
