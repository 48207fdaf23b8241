import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Before the first request, not during it (config/warm.py says why).
from config.warm import warm_up  # noqa: E402 - needs the settings the line above set up

warm_up()
