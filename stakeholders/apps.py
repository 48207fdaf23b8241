from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        # The "stakeholders" section of the exchange format; snapshots and the criteria
        # engine's assessment input are built from the exchange export, so they get it too.
        from stakeholders import exchange, snapshots

        exchange.register()
        snapshots.register()

        from missions import hooks
        from stakeholders.canvas_facts import stakeholder_facts

        hooks.register_section(
            hooks.MissionSection("stakeholders", _("Stakeholders"), "stakeholders:map", 70)
        )
        # The canvas's "Stakeholders and citizens" box says what the map holds.
        hooks.register_box_facts("stakeholders", stakeholder_facts)
