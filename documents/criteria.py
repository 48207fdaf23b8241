"""The criteria section of briefings, as plain data, read through evaluation's selectors.

The one adapter between documents and the criteria engine: if `evaluation.selectors` is not
there (or not yet the shape this expects), every criterion reads "not assessed yet" and there
are no warnings, so briefings still render.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missions.models import Mission

logger = logging.getLogger(__name__)

TOP_WARNINGS = 3

# Used only when the criteria engine is unavailable: the five criteria of Mazzucato (2018).
FALLBACK_CRITERIA = [
    ("c1", gettext_lazy("Bold, inspiring and relevant to society")),
    ("c2", gettext_lazy("Clear direction: targeted, measurable and time-bound")),
    ("c3", gettext_lazy("Ambitious but realistic research and innovation actions")),
    ("c4", gettext_lazy("Cross-disciplinary, cross-sectoral and cross-actor")),
    ("c5", gettext_lazy("Multiple, bottom-up solutions")),
]


def short_labels() -> dict[str, str]:
    """One or two words per status, for the pack's summary table."""
    return {
        "green": _("Meets"),
        "amber": _("Partly"),
        "red": _("Does not meet"),
        "awaiting_review": _("Awaiting review"),
        "not_assessed": _("Not assessed"),
    }


def not_assessed() -> dict[str, Any]:
    return {
        "assessed": False,
        "criteria": [
            {
                "code": code.upper(),
                "name": str(name),
                "status": "not_assessed",
                "status_label": _("Not assessed yet"),
                "status_short": short_labels()["not_assessed"],
                "automatic": _("Not checked yet"),
                "rating": None,
                "rationale": "",
                "reviewer": "",
            }
            for code, name in FALLBACK_CRITERIA
        ],
        "warnings": [],
        "open_warnings": {},
    }


def criteria_for(mission: Mission) -> dict[str, Any]:
    """`{"assessed", "criteria": [{code, name, status, status_label, automatic, rating,
    rationale, reviewer}], "warnings": [top open warnings], "open_warnings": {severity label: count}}`
    for a mission the caller has already scoped to the user."""
    try:
        from evaluation.selectors import assessment_for_briefing
    except ImportError:
        return not_assessed()
    try:
        assessment = assessment_for_briefing(mission)
        criteria = []
        for row in assessment.criteria:
            verdict = row.verdict
            reviewer = ""
            if verdict is not None and verdict.reviewer is not None:
                reviewer = verdict.reviewer.get_full_name() or verdict.reviewer.email
            criteria.append(
                {
                    "code": row.code.upper(),
                    "name": str(row.criterion.name),
                    "status": row.status.key,
                    "status_label": str(row.status.label),
                    "status_short": short_labels().get(row.status.key, str(row.status.label)),
                    # Beside the verdict, never as one (how they combine: the note under the
                    # table, evaluation's status_reason).
                    "automatic": str(row.auto_label),
                    "rating": verdict.rating if verdict else None,
                    "rationale": verdict.rationale if verdict else "",
                    "reviewer": reviewer,
                }
            )
        open_rows = [w for w in assessment.warnings if w.finding.status == "open"]
        counts: dict[str, int] = {}
        for warning in open_rows:
            label = str(warning.severity_label)
            counts[label] = counts.get(label, 0) + 1
        warnings = [
            {
                "code": w.finding.code,
                "severity": w.finding.severity,
                "severity_label": str(w.severity_label),
                "label": str(w.rule.label) if w.rule else w.finding.code,
                "explanation": str(w.rule.explanation) if w.rule else "",
            }
            for w in open_rows[:TOP_WARNINGS]
        ]
        return {
            "assessed": assessment.assessed_once or any(c["rating"] is not None for c in criteria),
            "criteria": criteria,
            "warnings": warnings,
            "open_warnings": counts,
        }
    except (AttributeError, KeyError, TypeError) as exc:  # the engine's API moved under us
        logger.warning("documents: criteria unavailable for %s: %s", mission.pk, exc)
        return not_assessed()
