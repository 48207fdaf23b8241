from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfoliosConfig(AppConfig):
    name = "portfolios"
    verbose_name = _("Portfolios")

    def ready(self) -> None:
        from missions import hooks
        from portfolios import selectors, services

        # Keep each mission's search document and the organisation's cached totals current.
        hooks.on_mission_changed(services.on_mission_changed)
        # The mission's owners see the latest portfolio decision at the top of its pages.
        hooks.register_header_panel(
            "portfolios/_decision_panel.html",
            lambda mission: {"decision": selectors.latest_decision(mission)},
        )
