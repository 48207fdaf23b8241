"""Demo data of the evaluation app (seed_demo, see missions/demo.py for the story):

- indicators with yearly series, so progress charts show a trend: healthy life years of women
  in the Netherlands (Eurostat, real published figures) on the editor's proposed mission, and
  the EU's net greenhouse gas emissions (approximate values, labelled as such) on EU Cities;
- the reviewer's verdicts, with rationales, on the unit's missions and on two example missions.

Written through the services, once: a second run finds each step done and leaves it alone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import Organisation
from evaluation import services
from evaluation.indicators import services as indicator_services
from evaluation.indicators.models import Indicator, Measurement, Quality
from evaluation.models import CriterionVerdict
from missions import demo as missions_demo

# Eurostat, "Healthy life years at birth by sex" (tsdph100, from hlth_hlye), Netherlands,
# females, as published (Eurostat database, read through EIGE's Gender Statistics Database).
NL_HEALTHY_LIFE_YEARS_WOMEN = {
    2015: "57.2",
    2016: "57.8",
    2017: "57.6",
    2018: "57.2",
    2019: "59.4",
    2020: "59.6",
    2021: "59.6",
    2022: "56.3",
    2023: "57.5",
}

# Approximate values for demonstration, rounded to whole index points: EU-27 net greenhouse
# gas emissions (including land use and international aviation), index 1990 = 100, after
# Eurostat sdg_13_10. Check the source before quoting any of them.
EU_NET_GHG_INDEX_APPROXIMATE = {
    2015: "78",
    2016: "78",
    2017: "78",
    2018: "76",
    2019: "73",
    2020: "68",
    2021: "71",
    2022: "69",
    2023: "63",
}

INDICATORS: list[dict[str, Any]] = [
    {
        "mission": missions_demo.PROPOSED,
        "key": "healthy-life-years-women",
        "name": "Healthy life years at birth, women (Netherlands)",
        "target": "healthy-life-years-women",
        "level": "impact",
        "direction": "increase",
        "definition": (
            "The number of years a girl born in that year can expect to live without limitation "
            "in her usual activities (Eurostat's healthy life years, from the EU-SILC question "
            "on activity limitation)."
        ),
        "unit": "years",
        "data_source": (
            "Eurostat, “Healthy life years at birth by sex” (tsdph100, from hlth_hlye), "
            "Netherlands, females; published yearly"
        ),
        "frequency": "annual",
        "timing": "lagging",
        "disaggregations": ["sex"],
        "owner": missions_demo.EDITOR,
        "series": NL_HEALTHY_LIFE_YEARS_WOMEN,
        "quality": Quality.OFFICIAL,
        "source_ref": "Eurostat tsdph100, Netherlands, females, %(year)s",
    },
    {
        "mission": "eu-cities",
        "key": "eu-net-ghg-index",
        "name": "EU-27 net greenhouse gas emissions (index, 1990 = 100)",
        "target": None,
        "level": "impact",
        "direction": "decrease",
        "definition": (
            "Net greenhouse gas emissions of the EU-27, including land use and international "
            "aviation, as an index of their 1990 level: the context the mission cities work in."
        ),
        "unit": "index (1990 = 100)",
        "data_source": (
            "Approximate values for demonstration, from Eurostat “Net greenhouse gas "
            "emissions” (sdg_13_10), EU-27; check the source before quoting them"
        ),
        "frequency": "annual",
        "timing": "lagging",
        "disaggregations": [],
        "owner": None,
        "series": EU_NET_GHG_INDEX_APPROXIMATE,
        "quality": Quality.ESTIMATE,
        "source_ref": "Approximate value for demonstration (Eurostat sdg_13_10, %(year)s)",
    },
]


def _indicator(organisation: Organisation, spec: dict[str, Any]) -> tuple[bool, int]:
    """Create the indicator (once) and add the years it lacks. Returns (created, values)."""
    mission = missions_demo.mission(organisation, spec["mission"])
    editor = missions_demo.member(organisation, missions_demo.EDITOR)
    if mission is None or editor is None:
        return False, 0
    indicator = Indicator.objects.filter(mission=mission, key=spec["key"]).first()
    created = indicator is None
    if indicator is None:
        # The indicator's fields as a person enters them; its target and owner named by key.
        fields = {name: spec[name] for name in indicator_services.INDICATOR_FIELDS}
        fields["target"] = (
            mission.targets.filter(key=spec["target"]).first() if spec["target"] else None
        )
        fields["owner"] = (
            missions_demo.member(organisation, spec["owner"]) if spec["owner"] else None
        )
        indicator = indicator_services.indicator_create(
            by=editor, mission=mission, key=spec["key"], **fields
        )
    recorded = set(
        Measurement.objects.filter(indicator=indicator, is_current=True).values_list(
            "period_end", flat=True
        )
    )
    added = 0
    for year, value in spec["series"].items():
        period_end = datetime.date(year, 12, 31)
        if period_end in recorded:
            continue
        indicator_services.measurement_add(
            by=editor,
            indicator=indicator,
            period_end=period_end,
            value=Decimal(value),
            source_ref=spec["source_ref"] % {"year": year},
            quality=spec["quality"],
        )
        added += 1
    return created, added


def load_demo_indicators(organisations: dict[str, Organisation]) -> str:
    organisation = organisations[missions_demo.ORGANISATION]
    results = [_indicator(organisation, spec) for spec in INDICATORS]
    return _("Demo indicators: %(created)s created, %(values)s yearly values added.") % {
        "created": sum(created for created, _values in results),
        "values": sum(values for _created, values in results),
    }


# The reviewer's verdicts: mission key → [(criterion, rating 1–5, rationale)].
VERDICTS: dict[str, list[tuple[str, int, str]]] = {
    missions_demo.CHANGES_REQUESTED: [
        (
            "c1",
            4,
            "Parents and children see the benefit at their own school gate: easy to grasp and "
            "to rally behind.",
        ),
        (
            "c2",
            2,
            "The headline target is measurable, but the 4% baseline has no source and no "
            "indicator tracks it yet.",
        ),
        (
            "c3",
            3,
            "Realistic by 2030 if municipalities take part; little research is needed, so the "
            "innovation lies in how streets are redesigned and kept.",
        ),
        (
            "c4",
            2,
            "So far a municipal traffic measure: health, education and the police are not yet "
            "part of it.",
        ),
        (
            "c5",
            4,
            "Schools and municipalities propose their own streets, so the mission stays open "
            "to local ideas.",
        ),
    ],
    missions_demo.APPROVED: [
        (
            "c1",
            4,
            "A visible, everyday goal that caterers, cooks and diners can all act on.",
        ),
        (
            "c2",
            5,
            "Audited 2024 baseline, a clear target for 2030 and a yearly measurement.",
        ),
        (
            "c3",
            3,
            "Halving waste in six years is ambitious; the audits will show early whether it "
            "is realistic.",
        ),
        (
            "c4",
            4,
            "Brings together schools, hospitals, government offices and their caterers.",
        ),
        (
            "c5",
            3,
            "The open call for menu redesign is a start; canteens could propose their own "
            "ideas too.",
        ),
    ],
    "eu-cities": [
        (
            "c2",
            4,
            "Climate neutrality by 2030 is measurable, and the NetZeroCities reporting will "
            "show it city by city.",
        ),
        (
            "c5",
            5,
            "Each city chooses its own route in its Climate City Contract: many solutions by "
            "design.",
        ),
    ],
    "es-agri-2021": [
        (
            "c2",
            1,
            "No numeric target and no deadline: “promote” describes an activity, not an end "
            "state anyone could check.",
        ),
        (
            "c4",
            3,
            "Involves farmers, water authorities and researchers, but the partners are not "
            "named yet.",
        ),
    ],
}


def load_demo_verdicts(organisations: dict[str, Organisation]) -> str:
    """The reviewer's verdicts (once per mission and criterion)."""
    recorded = 0
    work = missions_demo.work_of(organisations, missions_demo.REVIEWER, VERDICTS.items())
    for reviewer, mission, verdicts in work:
        done = set(
            CriterionVerdict.objects.filter(mission=mission, reviewer=reviewer).values_list(
                "criterion", flat=True
            )
        )
        for criterion, rating, rationale in verdicts:
            if criterion in done:
                continue
            services.verdict_record(
                by=reviewer,
                mission=mission,
                criterion=criterion,
                rating=rating,
                rationale=rationale,
            )
            recorded += 1
    return _("Demo verdicts: %(recorded)s recorded by the reviewer on %(missions)s missions.") % {
        "recorded": recorded,
        "missions": len(VERDICTS),
    }
