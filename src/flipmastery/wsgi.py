"""The WSGI application that `flipmastery serve` (waitress) runs."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flipmastery.settings")
application = get_wsgi_application()
