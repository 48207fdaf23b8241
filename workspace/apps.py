from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """Home (a person's work queue) and search across their organisations: the top layer,
    reading every app below it."""

    name = "workspace"
    verbose_name = _("Home and search")
    default_auto_field = "django.db.models.BigAutoField"
