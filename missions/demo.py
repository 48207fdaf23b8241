"""The demo unit's own work in progress, so each demo role finds something waiting on Home.

Besides the real example missions (imported from the fixture by `missions.apps`), the editor
(Sam Servant) has put three missions of the unit's own forward:

- `women-healthy-years` stays *proposed*: the reviewer has it to review, the lead to decide;
- `school-streets` is sent back by the lead with *changes requested* (portfolios/demo.py),
  after the reviewer's verdicts and comments (evaluation/demo.py, canvas/demo.py);
- `canteen-food-waste` is *approved* by the lead.

Everything is written through the services, as the pages would, so history, snapshots and
notifications are what real use produces. Each step is done once: a second `seed_demo` finds
it done and leaves the data (and anything people changed since) alone.

The figures of the unit's own missions are illustrative, except the healthy life years of
women in the Netherlands (Eurostat), which evaluation/demo.py records as the indicator's
series.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from missions import services
from missions.models import (
    Actor,
    ChangeAction,
    GrandChallenge,
    Instrument,
    MandateSource,
    Mission,
    MissionStatus,
    Origin,
    Stage,
)

ORGANISATION = "demo-unit"
EDITOR = "servant@demo.example"
REVIEWER = "reviewer@demo.example"
LEAD = "lead@demo.example"

PROPOSED = "women-healthy-years"
CHANGES_REQUESTED = "school-streets"
APPROVED = "canteen-food-waste"
OWN_MISSIONS = (PROPOSED, CHANGES_REQUESTED, APPROVED)


def member(organisation: Organisation, email: str) -> User | None:
    """The demo user with this e-mail, if they belong to `organisation`."""
    return User.objects.filter(email=email, memberships__organisation=organisation).first()


def mission(organisation: Organisation, key: str) -> Mission | None:
    return Mission.objects.filter(organisation=organisation, key=key).first()


def work_of[T](
    organisations: dict[str, Organisation], email: str, work: Iterable[tuple[str, T]]
) -> Iterator[tuple[User, Mission, T]]:
    """What the demo unit's member `email` does, mission by mission: `work` pairs a mission's
    key with what to do there, and each pair comes with that member and the mission, if both
    exist (a demo organisation someone changed may have neither)."""
    organisation = organisations[ORGANISATION]
    person = member(organisation, email)
    if person is None:
        return
    for key, item in work:
        found = mission(organisation, key)
        if found is not None:
            yield person, found, item


# --- The unit's own missions, as the editor drafted them ---------------------------------------

MISSIONS: list[dict[str, Any]] = [
    {
        "key": PROPOSED,
        "title": "Two more healthy years for women by 2035",
        "challenge": "health-inequality",
        "statement": (
            "By 2035, a girl born in the Netherlands can expect 61.4 years free of limitations "
            "in her daily activities: two years more than in 2019."
        ),
        "deadline_year": 2035,
        "fields": {
            "start_year": 2026,
            "geography": "Netherlands",
            "sdgs": [3, 5, 10],
            "owner": "nl-vws",
            "coordinator": "zonmw",
            "team_fte": Decimal("4"),
            "notes": (
                "Women in the Netherlands live longer than men but fewer of those years free of "
                "activity limitations. Healthy life years of women fell from 59.6 in 2021 to "
                "57.5 in 2023 (Eurostat)."
            ),
        },
        "targets": [
            {
                "key": "healthy-life-years-women",
                "title": "Healthy life years at birth, women",
                "is_headline": True,
                "direction": "increase",
                "baseline_value": Decimal("59.4"),
                "baseline_year": 2019,
                "target_value": Decimal("61.4"),
                "target_year": 2035,
                "unit": "years",
                "geography": "Netherlands",
                "notes": (
                    "Eurostat, healthy life years at birth, females (tsdph100). 2019 is the "
                    "baseline: the last year before the pandemic."
                ),
            }
        ],
        "projects": [
            {
                "key": "menopause-care",
                "title": "Menopause care in general practice",
                "description": (
                    "Train general practitioners and practice nurses to recognise and treat "
                    "menopause complaints that keep women from work and daily life."
                ),
                "lead": "zonmw",
                "instrument": Instrument.GRANT,
                "stage": Stage.DEMONSTRATION,
                "origin": Origin.OPEN_CALL,
                "sectors": ["Primary care"],
                "disciplines": ["Medicine", "Nursing"],
                "budget": Decimal("4000000"),
                "contributes": "Fewer women limited in daily activities in their fifties.",
            },
            {
                "key": "healthy-work-over-50",
                "title": "Healthy work for women over 50",
                "description": (
                    "Employers and occupational health services test adapted work and "
                    "prevention for women over 50 in care and education."
                ),
                "instrument": Instrument.SKILLS,
                "stage": Stage.DEVELOPMENT,
                "origin": Origin.BOTTOM_UP,
                "sectors": ["Care", "Education"],
                "disciplines": ["Occupational health"],
                "contributes": "Keeps women healthy in the jobs with most limitations.",
            },
        ],
    },
    {
        "key": CHANGES_REQUESTED,
        "title": "A healthy, car-free street at every primary school by 2030",
        "challenge": "healthy-living-environments",
        "statement": (
            "By 2030, every primary school has a street at its gate that is closed to through "
            "traffic at school times, with clean air and room to play."
        ),
        "deadline_year": 2030,
        "fields": {
            "start_year": 2026,
            "geography": "Netherlands",
            "sdgs": [3, 11],
            "owner": "nl-municipalities",
        },
        "targets": [
            {
                "key": "school-streets",
                "title": "Primary schools with a school street",
                "is_headline": True,
                "direction": "increase",
                "baseline_value": Decimal("4"),
                "baseline_year": 2025,
                "target_value": Decimal("100"),
                "target_year": 2030,
                "unit": "% of primary schools",
                "notes": "Illustrative baseline for the demo: no national count exists yet.",
            }
        ],
        "projects": [
            {
                "key": "school-street-pilots",
                "title": "School-street pilots in ten municipalities",
                "description": (
                    "Schools, parents and municipalities close their street at school times "
                    "for a year and measure traffic, air quality and play."
                ),
                "lead": "nl-municipalities",
                "instrument": Instrument.GRANT,
                "stage": Stage.DEMONSTRATION,
                "origin": Origin.BOTTOM_UP,
                "sectors": ["Local government", "Transport", "Education"],
                "contributes": "The first school streets, and what it takes to keep them.",
            }
        ],
    },
    {
        "key": APPROVED,
        "title": "Halve food waste in public canteens by 2030",
        "challenge": "sustainable-food-and-farming",
        "statement": (
            "By 2030, canteens in schools, hospitals and government offices throw away half as "
            "much food per meal served as in 2024."
        ),
        "deadline_year": 2030,
        "fields": {
            "start_year": 2026,
            "geography": "Netherlands",
            "sdgs": [2, 12],
            "mandate_source": MandateSource.MINISTERIAL_DECISION,
            "mandate_reference": "Ministerial decision MD-2026-014 (demo)",
            "mandate_date": datetime.date(2026, 3, 2),
            "committed_budget": Decimal("6000000"),
            "currency": "EUR",
            "team_fte": Decimal("2.5"),
        },
        "targets": [
            {
                "key": "canteen-waste",
                "title": "Food wasted per meal served in public canteens",
                "is_headline": True,
                "direction": "decrease",
                "baseline_value": Decimal("100"),
                "baseline_year": 2024,
                "target_value": Decimal("50"),
                "target_year": 2030,
                "unit": "index (2024 = 100)",
                "notes": (
                    "Indexed to 2024, the year of the canteens' first waste audits "
                    "(illustrative figures for the demo)."
                ),
            }
        ],
        "projects": [
            {
                "key": "waste-audits",
                "title": "Waste audits in 200 canteens",
                "description": "Weigh what is thrown away, per meal, every spring.",
                "instrument": Instrument.DATA,
                "stage": Stage.DEPLOYMENT,
                "origin": Origin.COMMISSIONED,
                "sectors": ["Catering", "Public administration"],
                "contributes": "Measures the target every year.",
            },
            {
                "key": "menu-redesign",
                "title": "Menus and portions redesigned with caterers",
                "description": (
                    "New catering contracts reward less waste instead of more meals sold."
                ),
                "instrument": Instrument.PROCUREMENT,
                "stage": Stage.DEVELOPMENT,
                "origin": Origin.OPEN_CALL,
                "sectors": ["Catering"],
                "contributes": "Cuts waste where it starts: what is cooked and served.",
            },
        ],
    },
]


def _actor(organisation: Organisation, key: str | None) -> Actor | None:
    return Actor.objects.filter(organisation=organisation, key=key).first() if key else None


def _draft(organisation: Organisation, editor: User, spec: dict[str, Any]) -> Mission:
    challenge = GrandChallenge.objects.filter(
        organisation=organisation, key=spec["challenge"]
    ).first()
    draft = services.mission_create(
        by=editor,
        organisation=organisation,
        key=spec["key"],
        title=spec["title"],
        challenge=challenge,
        challenge_title=spec["challenge"].replace("-", " ").capitalize(),
        statement=spec["statement"],
        deadline_year=spec["deadline_year"],
    )
    fields = dict(spec["fields"])
    for role in ("owner", "coordinator"):
        if role in fields:
            fields[role] = _actor(organisation, fields[role])
    draft = services.mission_update(
        by=editor, mission=draft, expected_version=draft.version, **fields
    )
    targets = [
        services.target_create(by=editor, mission=draft, **target) for target in spec["targets"]
    ]
    for item in spec["projects"]:
        item = dict(item)
        contributes = item.pop("contributes")
        item["lead"] = _actor(organisation, item.get("lead"))
        project = services.project_create(by=editor, mission=draft, **item)
        services.project_contributions_set(
            by=editor, project=project, contributions={targets[0]: contributes}
        )
    return draft


def load_demo_drafts(organisations: dict[str, Organisation]) -> str:
    """The editor drafts the unit's own missions (once; a second run leaves them)."""
    organisation = organisations[ORGANISATION]
    editor = member(organisation, EDITOR)
    if editor is None:
        return _("The unit's own missions: skipped (no demo editor).")
    created = [
        _draft(organisation, editor, spec)
        for spec in MISSIONS
        if mission(organisation, spec["key"]) is None
    ]
    return _("The unit's own missions: %(created)s drafted, %(total)s in all.") % {
        "created": len(created),
        "total": len(MISSIONS),
    }


def load_demo_proposals(organisations: dict[str, Organisation]) -> str:
    """The editor proposes the drafts (after the canvas and indicators are filled in). A
    mission that has taken any workflow step already is left where it is: one sent back with
    changes requested stays a draft."""
    organisation = organisations[ORGANISATION]
    editor = member(organisation, EDITOR)
    proposed = 0
    for key in OWN_MISSIONS:
        draft = mission(organisation, key)
        if editor is None or draft is None or draft.status != MissionStatus.DRAFT:
            continue
        if draft.changes.filter(action=ChangeAction.TRANSITIONED).exists():
            continue
        services.mission_transition(by=editor, mission=draft, transition="propose")
        proposed += 1
    return _("The unit's own missions: %(proposed)s proposed for approval.") % {
        "proposed": proposed
    }
