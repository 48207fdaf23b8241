from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from evaluation import selectors, services
        from missions import hooks

        # Every committed change to a mission queues a (debounced, coalesced) assessment.
        hooks.on_mission_changed(services.on_mission_changed)
        # The five criteria, compact, at the top of every mission page.
        # It polls while an assessment is under way and refreshes after any inline save.
        hooks.register_header_panel("evaluation/_criteria_summary.html", selectors.header_summary)
