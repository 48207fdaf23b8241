from celery import shared_task
from django.db import connection

from accounts.models import Organisation


@shared_task
def worker_probe_task() -> dict:
    """Report what a worker sees: its database and the organisations in it. Operators run it
    from `manage.py shell` to prove a worker reaches both the broker and the database."""
    return {
        "database": connection.settings_dict["NAME"],
        "organisations": sorted(Organisation.objects.values_list("slug", flat=True)),
    }
