from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`manage.py backup` and `manage.py restore`: the database and the generated documents in
    one archive. No models, no pages."""

    name = "backups"
    verbose_name = "Backups"
