"""WSGI entry point (gunicorn ``filot.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filot.settings")

application = get_wsgi_application()

from filot.checks import enforce_production_config  # noqa: E402

enforce_production_config()
