import gc
import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Before the first request, not during it (config/warm.py says why). A warm-up that fails
# leaves a cold process, which still serves: never one that does not start.
try:
    from config.warm import warm_up

    warm_up()
except Exception:
    logging.getLogger("config.warm").exception("web process warm-up failed")
# What the process holds now lives as long as it does: out of the cyclic collector's sight, it is
# not walked again at every full collection, nor copied into each forked worker by one.
gc.collect()
gc.freeze()
