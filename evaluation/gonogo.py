"""The EU-style go/no-go review: six items a reviewer judges (after the European Commission's
2021 assessment of proposed missions), in Lodestar's own words. Three items carry a hint from
what Lodestar already knows about the mission: added value from the canvas box "Why a
mission?", buy-in from the single-sponsor warning, budget from the underfunding warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation.criteria.rules import STATUS_LABELS, Status, get_rule
from evaluation.models import AssessmentRun, Finding, GoNoGoItem
from missions.models import Mission

QUESTIONS: dict[str, Promise] = {
    GoNoGoItem.ADDED_VALUE: gettext_lazy(
        "Does the mission add something that existing initiatives and partnerships do not, or "
        "would regular funding reach the goal more easily?"
    ),
    GoNoGoItem.RI_CONTENT: gettext_lazy(
        "Does reaching the goal need new research and innovation, above all in the first years?"
    ),
    GoNoGoItem.BUY_IN: gettext_lazy(
        "Do several ministries or agencies back it, and what does their backing mean in money "
        "and aligned policy?"
    ),
    GoNoGoItem.GOAL: gettext_lazy(
        "Is the goal bold yet within reach for the time and money available, measurable, and "
        "tied to a year?"
    ),
    GoNoGoItem.PLAN: gettext_lazy(
        "Is there a credible set of research, deployment and policy actions that leads to the goal?"
    ),
    GoNoGoItem.BUDGET: gettext_lazy(
        "Is the budget in proportion to the goal, and are its sources confirmed?"
    ),
}

# Which warning informs which item.
WARNING_HINTS = {GoNoGoItem.BUY_IN: "MANDATE_SINGLE_SPONSOR", GoNoGoItem.BUDGET: "OVER_UNDERFUNDED"}
RATIONALE_EXCERPT = 300


@dataclass(frozen=True)
class Hint:
    text: str
    kind: str  # "warning" (a finding is raised) | "ok" | "none" (nothing to go on)
    link_label: str = ""
    link_url: str = ""


def _warning_hint(code: str, findings: dict[str, Finding], last_run: AssessmentRun | None) -> Hint:
    rule = get_rule(code)
    label = str(rule.label) if rule else code
    finding = findings.get(code)
    if finding is not None:
        return Hint(
            _("Warning raised: “%(label)s”. %(explanation)s")
            % {"label": label, "explanation": rule.explanation if rule else ""},
            "warning",
        )
    status = last_run.checks.get(code) if last_run else None
    if isinstance(status, dict):  # a check that names missing data (evaluation/services.py)
        status = status.get("status")
    if status is None:
        return Hint(
            _("The automatic check “%(label)s” has not run yet for this mission.")
            % {"label": label},
            "none",
        )
    if status == Status.NOT_ASSESSED:
        return Hint(
            _(
                "The automatic check “%(label)s” cannot be judged yet: the data it needs is not recorded."
            )
            % {"label": label},
            "none",
        )
    return Hint(
        _("The automatic check “%(label)s”: %(status)s. No warning raised.")
        % {"label": label, "status": STATUS_LABELS[Status(status)]},
        "ok",
    )


def _rationale_hint(mission: Mission) -> Hint:
    try:
        box_model = apps.get_model("canvas", "CanvasBox")
    except LookupError:
        return Hint(_("Lodestar does not record why a mission is the right tool yet."), "none")
    text = (
        box_model.objects.filter(mission=mission, box_key="rationale", is_example=False)
        .values_list("text", flat=True)
        .first()
        or ""
    ).strip()
    if not text:
        return Hint(
            _(
                "The canvas box “Why a mission?”, where overlaps with existing initiatives are named, is still empty."
            ),
            "none",
        )
    excerpt = text if len(text) <= RATIONALE_EXCERPT else text[:RATIONALE_EXCERPT].rstrip() + "…"
    return Hint(_("From the canvas, “Why a mission?”: %(text)s") % {"text": excerpt}, "ok")


def hints_for(mission: Mission, last_run: AssessmentRun | None) -> dict[str, Hint]:
    """The hints for the added value, buy-in and budget items."""
    findings = {
        f.code: f
        for f in Finding.objects.current().filter(mission=mission, code__in=WARNING_HINTS.values())
    }
    hints: dict[str, Hint] = {
        item: _warning_hint(code, findings, last_run) for item, code in WARNING_HINTS.items()
    }
    hints[GoNoGoItem.ADDED_VALUE] = _rationale_hint(mission)
    return hints
