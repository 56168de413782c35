"""WSGI entry point (gunicorn ``filot.wsgi``). Refuses to load on an unsafe production config."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filot.settings")

from django.core.wsgi import get_wsgi_application

from filot.checks import enforce_production_config

enforce_production_config()
application = get_wsgi_application()
