from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfoliosConfig(AppConfig):
    name = "portfolios"
    verbose_name = _("Portfolios")

    def ready(self) -> None:
        from accounts import demo as accounts_demo
        from portfolios import demo

        # Demo data: the lead's decisions, after the reviewer's verdicts and comments.
        accounts_demo.register(demo.load_demo_decisions, order=500)
        from accounts.sections import LEADS, OrganisationSection, register_organisation_section
        from missions import hooks

        register_organisation_section(
            OrganisationSection(
                "portfolio",
                _("Portfolio"),
                "portfolios:dashboard",
                20,
                description=_(
                    "All missions side by side: filter, compare, decide and send work back."
                ),
                roles=LEADS,
                covers=("portfolios:",),
            )
        )
        from portfolios import services
        from portfolios.selectors.decisions import latest_decision

        # Keep each mission's search document and the organisation's cached totals current.
        hooks.on_mission_changed(services.on_mission_changed, many=services.on_missions_changed)
        # The mission's owners see the latest portfolio decision at the top of its pages.
        hooks.register_header_panel(
            "portfolios/_decision_panel.html",
            lambda mission: {"decision": latest_decision(mission)},
        )
