"""Demo data of the portfolio (seed_demo, see missions/demo.py for the story): the lead's
decisions, each against a snapshot of the mission as it was. The lead approves the canteens
mission, sends the school streets back with changes requested, and asks the Spanish
agriculture mission for a measurable end state; the women's healthy years mission stays
proposed, waiting for the lead's decision.

Written through portfolios.services, once: a decision the lead has already recorded on a
mission is not recorded again.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import Organisation
from missions import demo as missions_demo
from missions.models import MissionStatus
from portfolios import services
from portfolios.models import Decision, ReviewDecision

# (mission key, decision, comments), in the order the lead took them. The decisions on the
# unit's own missions answer their proposal, so they wait until the mission is proposed.
DECISIONS: list[tuple[str, str, str]] = [
    (
        missions_demo.APPROVED,
        Decision.APPROVE,
        "Approved: a clear target with an audited baseline. Report the first audit results to "
        "the programme board in March.",
    ),
    (
        missions_demo.CHANGES_REQUESTED,
        Decision.REQUEST_CHANGES,
        "Name the source of the 4% baseline, add an indicator the municipalities can report "
        "on, and say who pays for redesigning the streets. Then propose it again.",
    ),
    (
        "es-agri-2021",
        Decision.REQUEST_CHANGES,
        "Set a measurable end state with a deadline (for example water used per hectare by "
        "2030) before the next portfolio review.",
    ),
]


def load_demo_decisions(organisations: dict[str, Organisation]) -> str:
    organisation = organisations[missions_demo.ORGANISATION]
    lead = missions_demo.member(organisation, missions_demo.LEAD)
    recorded = 0
    for key, decision, comments in DECISIONS:
        mission = missions_demo.mission(organisation, key)
        if lead is None or mission is None:
            continue
        if key in missions_demo.OWN_MISSIONS and mission.status != MissionStatus.PROPOSED:
            continue
        if ReviewDecision.objects.filter(
            mission=mission, decision=decision, decided_by=lead
        ).exists():
            continue
        services.decision_record(by=lead, mission=mission, decision=decision, comments=comments)
        recorded += 1
    return _("Demo decisions: %(recorded)s recorded by the lead.") % {"recorded": recorded}
