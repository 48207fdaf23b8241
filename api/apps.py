from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from api import receivers

        receivers.connect()

        from accounts.models import Role
        from accounts.sections import OrganisationSection, register_organisation_section

        register_organisation_section(
            OrganisationSection(
                "api",
                _("API tokens"),
                "api:tokens",
                90,
                description=_(
                    "Tokens that let other government systems use the organisation's missions."
                ),
                roles=frozenset({Role.ADMIN}),
                navigation_roles=frozenset(),
            )
        )
