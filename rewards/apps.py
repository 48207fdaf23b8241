from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "rewards"
    verbose_name = _("Risks and rewards")

    def ready(self) -> None:
        # The "rewards" section of the exchange format; snapshots, the criteria engine's input
        # and the canvas's box facts are built from the exchange export, so they get it too.
        from rewards import exchange, snapshots

        exchange.register()
        snapshots.register()

        from missions import hooks
        from rewards.canvas_facts import rewards_facts

        hooks.register_section(
            hooks.MissionSection("rewards", _("Risks and rewards"), "rewards:mission", 65)
        )
        # The canvas's "Risks and rewards" box shows the structured picture beside its text.
        hooks.register_box_facts("risks_rewards", rewards_facts)

        from accounts.sections import LEADS, OrganisationSection, register_organisation_section

        register_organisation_section(
            OrganisationSection(
                "risks_rewards",
                _("Risks and rewards"),
                "rewards:portfolio",
                35,
                description=_(
                    "Where public money carries the risk of the missions' projects, and what "
                    "the public gets back."
                ),
                # Every member may read it (from the organisation's page); it is the leads'
                # portfolio question, so their menu carries it.
                navigation_roles=LEADS,
            )
        )
