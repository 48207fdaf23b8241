from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registration connects django-auditlog's signal receivers to every audited model; it
        # runs once all apps' models are loaded.
        from audit import registry, signals  # noqa: F401

        registry.register_all()
