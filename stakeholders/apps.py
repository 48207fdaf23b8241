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
        from stakeholders.canvas_summary import summary_context

        hooks.register_section(
            hooks.MissionSection("stakeholders", _("Stakeholders"), "stakeholders:map", 70)
        )
        # The canvas's "Stakeholders and citizens" box summarises the map.
        hooks.register_box_summary(
            "stakeholders", "stakeholders/_canvas_summary.html", summary_context
        )
