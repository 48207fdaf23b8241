from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from accounts import demo as accounts_demo
        from api import demo, receivers

        receivers.connect()
        accounts_demo.register(demo.load_demo_api, order=900)

        from accounts.models import Role
        from accounts.sections import OrganisationSection, register_organisation_section

        register_organisation_section(
            OrganisationSection(
                "api",
                _("API tokens"),
                "api:tokens",
                150,
                description=_(
                    "Tokens that let other government systems use the organisation's missions."
                ),
                roles=frozenset({Role.ADMIN}),
                navigation_roles=frozenset(),
                covers=("api:token_revoke",),
            )
        )
        register_organisation_section(
            OrganisationSection(
                "webhooks",
                _("Webhooks"),
                "api:webhooks",
                151,
                description=_("Addresses of other systems that are told when missions change."),
                roles=frozenset({Role.ADMIN}),
                navigation_roles=frozenset(),
                covers=("api:webhook", "api:webhook_resend"),
            )
        )
