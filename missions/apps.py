from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

DEMO_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "demo_missions.json"


def load_demo_missions(organisations: dict) -> str:
    """Import the real example missions into the demo unit through the importer, so the demo
    also exercises the exchange format. Idempotent: a second run updates in place."""
    from missions import exchange

    organisation = organisations["demo-unit"]
    summary = exchange.import_file(DEMO_FIXTURE, organisation=organisation)
    missions = organisation.missions.count()
    return f"Demo missions: {missions} missions in {organisation.slug}. {summary}"


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        from accounts import demo
        from missions.hooks import MissionSection, register_section

        demo.register(load_demo_missions, order=100)
        # The mission's own sections; higher apps register theirs between these.
        for section in (
            MissionSection("overview", _("Overview"), "missions:overview", 10),
            MissionSection("targets", _("Targets and milestones"), "missions:targets", 30),
            MissionSection("projects", _("Projects"), "missions:projects", 60),
            MissionSection("map", _("Mission map"), "missions:map", 100),
            MissionSection("history", _("History"), "missions:history", 110),
            MissionSection("snapshots", _("Snapshots"), "missions:snapshots", 120),
        ):
            register_section(section)
