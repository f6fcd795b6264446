"""WSGI entry point (gunicorn lkt_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lkt_portal.settings")
application = get_wsgi_application()
