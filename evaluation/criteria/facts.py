"""Facts about one assessment input that the rules share, and the number helpers they are
computed with. Pure: everything here reads only the input.

`Context` wraps the input and computes each fact once per assessment. Facts are what the input
says, summed up or followed through (the committed budget, the pace a target needs, the
consultations held, where the theory of change leads), never a judgement: the rules compare them
with the thresholds. A signal and a warning often read the same fact from two sides, so it has
one home here.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from evaluation.criteria import statement as statement_analysis

LIVE_PROJECT_STATUSES = {"planned", "active"}
OPEN_ORIGINS = {"open_call", "bottom_up", "citizen_idea"}
RI_STAGES = {"research", "development", "demonstration"}
UPTAKE_STAGES = {"deployment", "diffusion"}
UPTAKE_INSTRUMENTS = {"regulation", "procurement"}
ENGAGEMENT_LEVELS = ["inform", "consult", "involve", "collaborate", "empower"]
QUADRUPLE_HELIX = ["government", "industry", "academia", "civil_society"]
# Stakeholder roles that govern a mission.
GOVERNANCE_ROLES = {"owner", "co_owner", "coordinator", "board_member"}
# Indicator levels that show change for people, not deliverables (docs/domain.md §5.2).
CHANGE_LEVELS = {"outcome", "impact"}


# --- Numbers -----------------------------------------------------------------------------------


def number(value: Any) -> Decimal | None:
    """A decimal from the exchange format's number text, or None."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def plain_number(value: Decimal | float | None) -> float | int | None:
    """A number for evidence JSON: whole numbers as int, others rounded to 4 places."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return round(float(value), 4)


def share(part: Decimal | int, whole: Decimal | int) -> float | None:
    if not whole:
        return None
    return round(float(Decimal(part) / Decimal(whole)), 4)


def hhi(amounts: list[Decimal]) -> float | None:
    """Herfindahl–Hirschman index of shares (0 = spread thin, 1 = all in one)."""
    total = sum(amounts, Decimal(0))
    if total <= 0:
        return None
    return round(float(sum((a / total) ** 2 for a in amounts)), 4)


# --- Facts about one record --------------------------------------------------------------------


def engaged_at_least(level: str | None, minimum: str) -> bool:
    """Whether an engagement level is `minimum` or more (inform < consult < … < empower)."""
    if level not in ENGAGEMENT_LEVELS:
        return False
    return ENGAGEMENT_LEVELS.index(level) >= ENGAGEMENT_LEVELS.index(minimum)


def measurable(target: dict[str, Any]) -> bool:
    """A headline target that defines success: numbers with unit and baseline, or a yes/no
    target with its success condition."""
    if target.get("direction") == "binary":
        return bool((target.get("success_condition") or "").strip())
    return (
        number(target.get("target_value")) is not None
        and bool((target.get("unit") or "").strip())
        and number(target.get("baseline_value")) is not None
        and target.get("baseline_year") is not None
    )


def required_rate(target: dict[str, Any]) -> Decimal | None:
    """The yearly change a target needs, from its baseline to its target value."""
    baseline, goal = number(target.get("baseline_value")), number(target.get("target_value"))
    start, end = target.get("baseline_year"), target.get("target_year")
    if baseline is None or goal is None or not start or not end or end <= start:
        return None
    return abs(goal - baseline) / (end - start)


def pace_finding(
    target: dict[str, Any], rate: Decimal, trend_rate: Decimal, **verdict: bool
) -> dict[str, Any]:
    """Evidence on one target's pace: the yearly change it needs beside its trend, and what the
    rule concluded (c1_trend: `faster`; OVER_STRETCH: `stretched`)."""
    return {
        "target": target["key"],
        "required_rate": plain_number(rate),
        "trend_rate": plain_number(trend_rate),
        **verdict,
    }


def distinct(records: list[dict[str, Any]], field: str) -> list[Any]:
    """The different values the records give `field` (empty ones left out), sorted."""
    return sorted({r.get(field) for r in records if r.get(field)})


def stakeholder_name(stakeholder: dict[str, Any]) -> str | None:
    """How evidence names a stakeholder: its organisation, else the person, else its key."""
    return stakeholder.get("actor_name") or stakeholder.get("person_name") or stakeholder.get("key")


# --- Facts about the whole input, computed once ------------------------------------------------


class Context:
    """The assessment input plus derived facts the rules share. Pure: reads only `data`."""

    def __init__(self, data: dict[str, Any], thresholds: dict[str, Any]):
        self.data = data
        self.t = thresholds

    @property
    def mission(self) -> dict[str, Any]:
        return self.data["mission"]

    @property
    def actors(self) -> dict[str, dict[str, Any]]:
        return self.data.get("actors") or {}

    @cached_property
    def start_year(self) -> int | None:
        """The mission's start year, else the year of its approval or mandate."""
        return statement_analysis.start_year_of(self.mission)

    @cached_property
    def statement(self) -> statement_analysis.StatementAnalysis:
        return statement_analysis.analyse(
            self.mission.get("statement") or "",
            glossary=self.t["acronym_glossary"],
            language=self.mission.get("language") or "",
            start_year=self.start_year,
        )

    # --- Targets

    @cached_property
    def targets(self) -> list[dict[str, Any]]:
        return list(self.mission.get("targets") or [])

    @cached_property
    def headline_targets(self) -> list[dict[str, Any]]:
        return [t for t in self.targets if t.get("is_headline")]

    @cached_property
    def measurable_headline_targets(self) -> list[str]:
        """The keys of the headline targets that say what success is (`measurable`)."""
        return [t["key"] for t in self.headline_targets if measurable(t)]

    @cached_property
    def headline_paces(self) -> list[tuple[dict[str, Any], Decimal, Decimal]]:
        """(target, the yearly change it needs, its historical yearly trend) for each headline
        target where both are known (the trend comes from its indicator's values)."""
        paces = []
        for target in self.headline_targets:
            rate, trend_rate = required_rate(target), number(target.get("trend_annual_rate"))
            if rate is not None and trend_rate is not None:
                paces.append((target, rate, trend_rate))
        return paces

    # --- Projects and money

    @cached_property
    def projects(self) -> list[dict[str, Any]]:
        return list(self.mission.get("projects") or [])

    @cached_property
    def live_projects(self) -> list[dict[str, Any]]:
        """Projects planned or under way (not paused, stopped or completed)."""
        return [p for p in self.projects if p.get("status") in LIVE_PROJECT_STATUSES]

    @cached_property
    def sectors(self) -> list[str]:
        """The different sectors the projects record, in lower case."""
        return sorted({s.strip().casefold() for p in self.projects for s in p.get("sectors") or []})

    def budget(self, project: dict[str, Any]) -> Decimal:
        return number(project.get("budget")) or Decimal(0)

    def budget_of(self, projects: list[dict[str, Any]]) -> Decimal:
        return sum((self.budget(p) for p in projects), Decimal(0))

    @cached_property
    def project_budget_total(self) -> Decimal:
        return self.budget_of(self.projects)

    def shares_held(
        self, part: list[dict[str, Any]], whole: list[dict[str, Any]]
    ) -> dict[str, float | None]:
        """The share of `whole` that the projects in `part` make up, by number and by budget
        (None when `whole` records no budget), as evidence quotes them."""
        return {
            "share_of_projects": share(len(part), len(whole)),
            "share_of_budget": share(self.budget_of(part), self.budget_of(whole)),
        }

    def is_pre_existing(self, project: dict[str, Any]) -> bool:
        """Existed before the mission: origin says so, or it started before approval."""
        if project.get("origin") == "pre_existing":
            return True
        start, approved = project.get("start_date"), self.mission.get("approved_on")
        return bool(start and approved and start < approved)

    @cached_property
    def budget_by_lead(self) -> dict[str, Decimal]:
        """Project budget per lead organisation, for projects with both a lead and a budget."""
        shares: dict[str, Decimal] = {}
        for project in self.projects:
            amount = self.budget(project)
            if project.get("lead") and amount > 0:
                shares[project["lead"]] = shares.get(project["lead"], Decimal(0)) + amount
        return shares

    @cached_property
    def committed_budget(self) -> Decimal | None:
        return number(self.mission.get("committed_budget"))

    @cached_property
    def estimated_need(self) -> Decimal | None:
        return number(self.mission.get("estimated_need"))

    @property
    def funding_evidence(self) -> dict[str, Any]:
        """The mission's money as evidence quotes it (c3_budget, OVER_UNDERFUNDED)."""
        return {
            "committed": plain_number(self.committed_budget),
            "estimated_need": plain_number(self.estimated_need),
            "currency": self.mission.get("currency"),
        }

    # --- Actors and stakeholders

    def actor(self, key: str | None) -> dict[str, Any] | None:
        return self.actors.get(key) if key else None

    def actor_name(self, key: str | None) -> str | None:
        actor = self.actor(key)
        if actor:
            return actor["name"]
        found = next((s for s in self.stakeholders if s.get("actor") == key), None)
        return (found.get("actor_name") or key) if found else key

    def actor_helix(self, key: str | None) -> str | None:
        actor = self.actor(key)
        if actor:
            return actor.get("helix")
        found = next((s for s in self.stakeholders if s.get("actor") == key), None)
        return found.get("helix") if found else None

    @cached_property
    def stakeholder_map(self) -> dict[str, Any] | None:
        """The "stakeholders" section (None: the stakeholder data does not exist)."""
        data = self.data.get("stakeholders")
        return data if isinstance(data, dict) else None

    @cached_property
    def stakeholders(self) -> list[dict[str, Any]]:
        return list((self.stakeholder_map or {}).get("stakeholders") or [])

    @cached_property
    def activities(self) -> list[dict[str, Any]]:
        return list((self.stakeholder_map or {}).get("engagement") or [])

    @cached_property
    def consultations(self) -> list[dict[str, Any]]:
        """The engagement activities that asked people at least for their views (IAP2 consult
        or above), rather than only informing them."""
        return [a for a in self.activities if engaged_at_least(a.get("iap2_level"), "consult")]

    # --- The public's participation (the participation app's section)

    @cached_property
    def participation(self) -> dict[str, Any]:
        """The section's summary: consultations, ideas, participants, places, organisations,
        answers (see participation/exchange.py). Empty when the section does not exist."""
        data = self.data.get("participation")
        return (data.get("summary") or {}) if isinstance(data, dict) else {}

    @cached_property
    def public_consultations_heard(self) -> list[dict[str, Any]]:
        """The mission's own public consultations that received at least one idea."""
        data = self.data.get("participation")
        if not isinstance(data, dict):
            return []
        with_ideas = {i.get("consultation") for i in data.get("ideas") or []}
        return [c for c in data.get("consultations") or [] if c.get("key") in with_ideas]

    @cached_property
    def core_team_keys(self) -> list[str]:
        """Owner and coordinator, plus the actors the stakeholder map puts in the core team
        (owners, coordinators, mission board members and others marked so)."""
        keys = [self.mission.get("owner"), self.mission.get("coordinator")]
        keys += [s.get("actor") for s in self.stakeholders if s.get("core_team")]
        return sorted({k for k in keys if k})

    @cached_property
    def involved_actor_keys(self) -> list[str]:
        keys = set(self.core_team_keys)
        for project in self.projects:
            if project.get("lead"):
                keys.add(project["lead"])
            keys.update(project.get("partners") or [])
        return sorted(keys)

    # --- Theory of change

    @cached_property
    def theory_of_change(self) -> dict[str, Any] | None:
        """The "theory_of_change" section: {"steps", "links"} (None: not recorded)."""
        data = self.data.get("theory_of_change")
        return data if isinstance(data, dict) else None

    @cached_property
    def steps_after_outcome(self) -> set[str]:
        """The keys of the theory-of-change steps an outcome step leads to, directly or through
        other steps."""
        toc = self.theory_of_change or {}
        kinds = {s["key"]: s.get("kind") for s in toc.get("steps") or []}
        after: dict[str, set[str]] = {}
        for link in toc.get("links") or []:
            after.setdefault(link["from"], set()).add(link["to"])
        reached: set[str] = set()
        todo = [key for key, kind in kinds.items() if kind == "outcome"]
        while todo:
            for key in after.get(todo.pop(), set()) - reached:
                reached.add(key)
                todo.append(key)
        return reached
