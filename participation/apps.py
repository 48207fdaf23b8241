from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from accounts import demo as accounts_demo
        from missions import hooks
        from participation import demo, exchange, snapshots

        # The "participation" section of the exchange format; snapshots and the criteria
        # engine's input are built from the export, so they get it too.
        exchange.register()
        snapshots.register()

        # After the missions, their indicators and canvas (what the public copy shows).
        accounts_demo.register(demo.load_demo_participation, order=450)

        hooks.register_section(
            hooks.MissionSection("participation", _("Participation"), "participation:mission", 75)
        )

        from accounts.sections import LEADS, OrganisationSection, register_organisation_section

        register_organisation_section(
            OrganisationSection(
                "participation",
                _("Participation"),
                "participation:moderation",
                38,
                description=_(
                    "The missions shown to the public, and what participants reported for a "
                    "moderator to look at."
                ),
                navigation_roles=LEADS,
            )
        )
