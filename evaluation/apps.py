from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from accounts import demo as accounts_demo
        from evaluation import demo

        # Demo data: indicator series before the proposal, the reviewer's verdicts after it.
        accounts_demo.register(demo.load_demo_indicators, order=200)
        accounts_demo.register(demo.load_demo_verdicts, order=400)
        from accounts.models import Role
        from accounts.sections import OrganisationSection, register_organisation_section
        from evaluation import selectors, services

        # The canvas's "Learning and review" box says what the theory of change, the
        # indicators and the reviews hold.
        from evaluation.canvas_facts import learning_facts
        from evaluation.indicators import exchange as indicator_exchange
        from evaluation.indicators import selectors as indicator_selectors
        from evaluation.indicators import services as indicator_services
        from evaluation.indicators import snapshots as indicator_snapshots
        from evaluation.reviews import exchange as review_exchange
        from evaluation.toc import exchange as toc_exchange
        from evaluation.toc import rules as toc_rules  # noqa: F401 - registers permissions
        from evaluation.toc import snapshots as toc_snapshots
        from missions import hooks

        hooks.register_box_facts("learning", learning_facts)
        # A draft's indicator values go before the draft does (they would stop the cascade).
        hooks.register_before_mission_delete(indicator_services.mission_values_delete)
        # Every committed change to a mission queues a (debounced, coalesced) assessment.
        hooks.on_mission_changed(services.on_mission_changed, many=services.on_missions_changed)
        # The five criteria, compact, at the top of every mission page.
        # It polls while an assessment is under way and refreshes after any inline save.
        hooks.register_header_panel("evaluation/_criteria_summary.html", selectors.header_summary)
        # Indicators and measurements travel in the exchange format (so in snapshots and in the
        # assessment input, whose `indicators` the C2 and evaluation rules read).
        indicator_exchange.register()
        indicator_snapshots.register()
        review_exchange.register()
        # The theory of change, after projects and indicators (its steps point at them).
        toc_exchange.register()
        toc_snapshots.register()
        # Owners of overdue indicators see them at the top of every mission page.
        hooks.register_header_panel(
            "evaluation/indicators/_overdue_panel.html", indicator_selectors.overdue_header
        )
        # The readiness check, where a new mission can start, on the organisation's page.
        register_organisation_section(
            OrganisationSection(
                "readiness",
                _("Readiness check"),
                "evaluation:readiness",
                15,
                description=_(
                    "Ten questions that show whether an idea is ready to become a mission."
                ),
                roles=frozenset({Role.EDITOR, Role.LEAD, Role.ADMIN}),
                navigation_roles=frozenset(),
                covers=("evaluation:readiness_result", "evaluation:readiness_start_mission"),
            )
        )
        # Its pages among the mission's sections.
        for section in (
            hooks.MissionSection("indicators", _("Indicators"), "evaluation:indicators", 40),
            hooks.MissionSection("toc", _("Theory of change"), "evaluation:toc", 50),
            hooks.MissionSection("criteria", _("Criteria"), "evaluation:criteria", 80),
            hooks.MissionSection("reviews", _("Reviews"), "evaluation:reviews", 90),
        ):
            hooks.register_section(section)
        # Each headline target's indicator, as a sparkline on the targets page.
        hooks.register_target_panel(
            "evaluation/indicators/_target_panel.html", indicator_selectors.target_panel
        )
