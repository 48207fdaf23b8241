from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registration connects django-auditlog's signal receivers to every audited model; it
        # runs once all apps' models are loaded.
        from accounts.models import Role
        from accounts.sections import OrganisationSection, register_organisation_section
        from audit import registry, signals  # noqa: F401
        from missions.hooks import MissionSection, register_section

        registry.register_all()
        register_organisation_section(
            OrganisationSection(
                "audit",
                _("Audit trail"),
                "audit:organisation",
                100,
                description=_("Roles, sign-ins, downloads and every change, for inspection."),
                roles=frozenset({Role.ADMIN}),
                navigation_roles=frozenset(),
            )
        )
        # A mission's trail, among its sections, for those who may read it.
        register_section(
            MissionSection(
                "audit", _("Audit trail"), "audit:mission", 130, "audit.view_mission_audit"
            )
        )
