from __future__ import annotations

from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

DEMO_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "demo_missions.json"


def load_demo_missions(organisations: dict) -> str:
    """Import the real example missions into the demo unit through the importer, so the demo
    also exercises the exchange format. Idempotent: a second run updates in place."""
    from missions import exchange

    organisation = organisations["demo-unit"]
    summary = exchange.import_file(DEMO_FIXTURE, organisation=organisation)
    missions = organisation.missions.count()
    return f"Demo missions: {missions} missions in {organisation.slug}. {summary}"


def _mission_summary(organisation) -> str:
    count = organisation.missions.filter(archived_at__isnull=True).count()
    return ngettext("%(count)d mission", "%(count)d missions", count) % {"count": count}


def _actor_summary(organisation) -> str:
    from missions.models import Actor

    count = Actor.objects.filter(organisation=organisation).count()
    return ngettext("%(count)d actor", "%(count)d actors", count) % {"count": count}


def _register_organisation_sections() -> None:
    from accounts.sections import LEADS, OrganisationSection, register_organisation_section

    for section in (
        OrganisationSection(
            "missions",
            _("Missions"),
            "missions:list",
            10,
            description=_("Every mission of the organisation, with search, filters and exports."),
            summary=_mission_summary,
            # A mission's pages, whichever app draws them, are inside "Missions".
            covers=(
                "missions:",
                "canvas:",
                "evaluation:",
                "stakeholders:",
                "audit:mission",
                "rewards:mission",
                "rewards:terms_edit",
                "rewards:terms_delete",
                "rewards:condition_add",
                "rewards:condition_edit",
                "rewards:condition_delete",
                "participation:mission",
                "participation:publish",
                "participation:withdraw",
                "participation:consultation_add",
                "participation:consultation",
                "participation:consultation_edit",
                "participation:consultation_csv",
                "participation:idea",
                "participation:idea_answer",
                "participation:idea_hide",
                "participation:idea_restore",
                "participation:idea_ban",
                "participation:idea_verify",
                "participation:idea_project",
                "participation:idea_stakeholder",
                "participation:idea_canvas",
                "participation:report_dismiss",
            ),
        ),
        OrganisationSection(
            "actors",
            _("Actors"),
            "missions:actors",
            40,
            description=_("The ministries, firms, universities and groups missions work with."),
            summary=_actor_summary,
            covers=("missions:actor_edit",),
        ),
        OrganisationSection(
            "import",
            _("Import"),
            "missions:import",
            60,
            description=_("Bring missions in from a file exported by Lodestar."),
            roles=LEADS,
        ),
    ):
        register_organisation_section(section)


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        from accounts import demo
        from missions import demo as own_demo
        from missions.hooks import MissionSection, register_section

        demo.register(load_demo_missions, order=100)
        # The unit's own missions: drafted after the import, proposed once the canvas and the
        # indicators are filled in (canvas/demo.py, evaluation/demo.py), before the reviewer
        # and the lead see them.
        demo.register(own_demo.load_demo_drafts, order=110)
        demo.register(own_demo.load_demo_proposals, order=300)
        _register_organisation_sections()
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
