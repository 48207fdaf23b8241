"""Failure-mode warnings (docs/domain.md §5.3–5.4). A warning fires when its check is "not passed".

A warning fires only on recorded facts, and its evidence quotes them. What is merely missing is
not a warning: the rule answers "not assessed" naming the missing data (`needs`), and the
criteria page lists it under "To complete". "Not recorded" and "recorded as none" differ: a
mandate recorded as "none" is evidence, an empty one is not. A rule that can check only part of
its condition says which part it could not check in `evidence["not_checked"]`; one that passes
but notices a missing detail lists it in `evidence["to_complete"]` (keys of `needs`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from evaluation.criteria.facts import (
    CHANGE_LEVELS,
    GOVERNANCE_ROLES,
    OPEN_ORIGINS,
    Context,
    distinct,
    engaged_at_least,
    hhi,
    number,
    pace_finding,
    plain_number,
    share,
    stakeholder_name,
)
from evaluation.criteria.rules import (
    Result,
    Severity,
    check_when,
    not_applicable,
    not_assessed,
    not_passed,
    not_recorded_yet,
    passed,
    warning,
)
from evaluation.criteria.signals import public_shares_in_rewards

# --- Mission washing -------------------------------------------------------------------------


@warning(
    "WASH_REBADGED",
    severity=Severity.WARN,
    label=_("Mostly existing projects under a new name"),
    explanation=_(
        "When most projects or most of the money existed before the mission, it may be business "
        "as usual with a new label."
    ),
    hint=_("Add new projects, or explain what the mission changes about the existing ones."),
    fix="projects",
)
def rebadged(ctx: Context) -> Result:
    if not ctx.projects:
        return not_applicable(reason="no_projects")
    old = [p for p in ctx.projects if ctx.is_pre_existing(p)]
    shares = ctx.shares_held(old, ctx.projects)
    worst = max(s or 0 for s in shares.values())
    evidence = {
        "pre_existing": [p["key"] for p in old],
        "projects": len(ctx.projects),
        **shares,
        "warn_above": ctx.t["rebadged_warn_share"],
        "high_above": ctx.t["rebadged_high_share"],
    }
    if worst > ctx.t["rebadged_high_share"]:
        return not_passed(severity=Severity.HIGH, **evidence)
    if worst > ctx.t["rebadged_warn_share"]:
        return not_passed(**evidence)
    return passed(**evidence)


@warning(
    "WASH_NO_NEW_MONEY",
    severity=Severity.WARN,
    label=_("Little new money"),
    explanation=_("If almost all the money was already allocated before, the mission adds little."),
    hint=_("Commit new budget to the mission, beyond what existing projects already had."),
    fix="budget",
)
def no_new_money(ctx: Context) -> Result:
    projects_total = ctx.project_budget_total
    unallocated = max((ctx.committed_budget or Decimal(0)) - projects_total, Decimal(0))
    total = projects_total + unallocated
    if total <= 0:
        return not_applicable(reason="no_budget_recorded")
    new_projects = ctx.budget_of([p for p in ctx.projects if not ctx.is_pre_existing(p)])
    new_share = share(new_projects + unallocated, total)
    minimum = ctx.t["new_money_min_share"]
    return check_when(
        new_share is not None and new_share >= minimum,
        new_money=plain_number(new_projects + unallocated),
        total=plain_number(total),
        new_share=new_share,
        minimum=minimum,
        currency=ctx.mission.get("currency"),
    )


@warning(
    "WASH_ACTIVITY_STATEMENT",
    severity=Severity.WARN,
    label=_("Describes an activity, without a measurable end state"),
    explanation=_(
        "The statement says what government will do (such as “promote”) and no headline target "
        "says what will be achieved."
    ),
    hint=_(
        "Rewrite the statement as the result you want, and add a headline target with a number "
        "or a yes/no condition."
    ),
    fix="statement",
)
def activity_statement(ctx: Context) -> Result:
    s = ctx.statement
    if s.is_empty:
        return not_assessed("statement")
    measurable = ctx.measurable_headline_targets
    evidence = {
        "verb": s.activity_verb,
        "opening_word": s.opening_word,
        "found": s.end_state,
        "measurable_headline_targets": measurable,
    }
    # Fires on the statement as written: an activity verb, no measurable end state in it, and
    # no measurable headline target.
    return check_when(
        not (s.activity_verb and not s.has_measurable_end_state and not measurable), **evidence
    )


@warning(
    "WASH_UNLINKED",
    severity=Severity.WARN,
    label=_("Projects not linked to targets"),
    explanation=_(
        "Projects that do not say which target they move may be there only because they exist."
    ),
    hint=_("Link each project to the target it moves, and say how."),
    fix="projects",
)
def unlinked(ctx: Context) -> Result:
    if not ctx.projects:
        return not_applicable(reason="no_projects")
    loose = [
        p["key"]
        for p in ctx.projects
        if not any((c.get("rationale") or "").strip() for c in p.get("contributions") or [])
    ]
    ratio = share(len(loose), len(ctx.projects))
    limit = ctx.t["unlinked_max_share"]
    return check_when(
        ratio is not None and ratio <= limit, unlinked=loose, share=ratio, limit=limit
    )


@warning(
    "WASH_OUTPUT_ONLY",
    severity=Severity.WARN,
    label=_("Only output indicators"),
    explanation=_("Counting deliverables does not show whether anything changed for people."),
    hint=_("Add at least one indicator of outcome or impact."),
    fix="indicators",
)
def output_only(ctx: Context) -> Result:
    data = ctx.data.get("indicators") or []
    levels = distinct(data, "level")
    if not levels:
        # No indicator (with a level) is missing data, not "only output indicators".
        return not_assessed("indicators")
    return check_when(
        bool(CHANGE_LEVELS & set(levels)),
        indicator_levels=levels,
        indicators=[i.get("name") or i.get("key") for i in data],
    )


# --- Lock-in and capture -----------------------------------------------------------------------


@warning(
    "LOCKIN_CORE_TEAM",
    severity=Severity.WARN,
    label=_("The core team leads most projects"),
    explanation=_(
        "When the owner and coordinator lead most projects or money, outside ideas have little room."
    ),
    hint=_("Let other organisations lead projects, for example through an open call."),
    fix="projects",
)
def core_team(ctx: Context) -> Result:
    led = [p for p in ctx.projects if p.get("lead")]
    if not led:
        return not_applicable(reason="no_project_leads")
    core = set(ctx.core_team_keys)
    by_core = [p for p in led if p["lead"] in core]
    shares = ctx.shares_held(by_core, led)
    limit = ctx.t["core_team_max_share"]
    evidence = {
        "core_team": [ctx.actor_name(k) for k in sorted(core)],
        "projects_led": [p["key"] for p in by_core],
        **shares,
        "limit": limit,
    }
    if ctx.stakeholder_map is None:
        # Without the stakeholder map, mission board members are not known.
        evidence["not_checked"] = ["governance board members"]
    return check_when(max(s or 0 for s in shares.values()) < limit, **evidence)


@warning(
    "LOCKIN_CONCENTRATION",
    severity=Severity.WARN,
    label=_("Money concentrated in a few organisations"),
    explanation=_("When a few organisations lead most of the money, the mission risks capture."),
    hint=_("Spread project leadership over more organisations."),
    fix="projects",
)
def concentration(ctx: Context) -> Result:
    by_lead = ctx.budget_by_lead
    if not by_lead:
        return not_applicable(reason="no_led_budgets")
    amounts = sorted(by_lead.values(), reverse=True)
    index = hhi(amounts)
    total = sum(amounts, Decimal(0))
    # With three leads or fewer the top three always hold everything; the test then says
    # nothing, so it applies only to larger portfolios.
    top3 = share(sum(amounts[:3], Decimal(0)), total) if len(amounts) > 3 else None
    too_concentrated = (index is not None and index > ctx.t["concentration_hhi_max"]) or (
        top3 is not None and top3 >= ctx.t["concentration_top3_max_share"]
    )
    return check_when(
        not too_concentrated,
        hhi=index,
        hhi_limit=ctx.t["concentration_hhi_max"],
        top3_share=top3,
        top3_limit=ctx.t["concentration_top3_max_share"],
        leads=len(amounts),
    )


# Needs to know which organisations are new to the mission, which Lodestar does not record.
warning(
    "LOCKIN_NO_NEW_ENTRANTS",
    severity=Severity.INFO,
    label=_("No new organisations"),
    explanation=_("Missions stay fresh when new organisations keep joining."),
    hint=_("Reach organisations that have not worked with you before."),
    fix="projects",
)(not_recorded_yet("new_entrants"))


@warning(
    "LOCKIN_SINGLE_PATH",
    severity=Severity.WARN,
    label=_("One path only"),
    explanation=_(
        "If all projects are at the same stage or take the same approach, there is no plan B."
    ),
    hint=_("Add projects at other stages or with other approaches."),
    fix="projects",
)
def single_path(ctx: Context) -> Result:
    live = ctx.live_projects
    if len(live) < ctx.t["single_path_min_projects"]:
        return not_applicable(reason="too_few_projects", live_projects=len(live))
    recorded: set[Any] = {p.get("stage") for p in live}
    stages = sorted(recorded)
    return check_when(len(stages) > 1, stages=stages, not_checked=["solution approaches"])


@warning(
    "LOCKIN_NO_PRUNING",
    severity=Severity.INFO,
    label=_("No project ever stopped or changed"),
    explanation=_("A portfolio that never drops a project is probably not learning."),
    hint=_("At each review, decide for each project whether to continue, change or stop it."),
    fix="reviews",
)
def no_pruning(ctx: Context) -> Result:
    data = ctx.data.get("reviews")
    if data is None:
        return not_assessed("reviews")
    reviews = data.get("reviews") or []
    if len(reviews) < 2:
        return not_applicable(reason="fewer_than_two_reviews", reviews=len(reviews))
    pruned = sorted(
        {
            d.get("project")
            for r in reviews
            for d in r.get("decisions") or []
            if d.get("action") in {"stop", "rescope"}
        }
    )
    return check_when(bool(pruned), reviews=len(reviews), stopped_or_rescoped=pruned)


@warning(
    "LOCKIN_STALE_MAP",
    severity=Severity.INFO,
    label=_("Stakeholder map out of date"),
    explanation=_("A stakeholder map not updated for a year no longer shows who matters."),
    hint=_("Review the stakeholder map."),
    fix="stakeholders",
)
def stale_map(ctx: Context) -> Result:
    if ctx.stakeholder_map is None:
        return not_assessed("stakeholders")
    if not ctx.stakeholders:
        return not_applicable(reason="no_stakeholders")
    stale = ctx.stakeholder_map.get("map_stale")
    if stale is None:
        return not_assessed("stakeholders.map_stale")
    summary = ctx.stakeholder_map.get("summary") or {}
    return check_when(
        not stale,
        map_last_updated=summary.get("map_last_updated"),
        months=ctx.t["stale_map_months"],
    )


# --- Overcommitment ----------------------------------------------------------------------------


@warning(
    "OVER_TOO_MANY",
    severity=Severity.WARN,
    label=_("Too many missions at once"),
    explanation=_(
        "Missions are demanding; too many for one owner or policy area dilutes them all."
    ),
    hint=_("Merge, pause or hand over missions, or confirm the capacity to run them all."),
    fix="governance",
)
def too_many(ctx: Context) -> Result:
    counts = ctx.data.get("organisation") or {}
    owner_count = counts.get("owner_active_missions")
    domain_count = counts.get("policy_domain_missions")
    if owner_count is None and domain_count is None:
        return not_applicable(reason="no_owner_or_policy_domain")
    owner_max = ctx.t["owner_active_missions_max"]
    domain_max = ctx.t["policy_domain_missions_max"]
    return check_when(
        (owner_count or 0) <= owner_max and (domain_count or 0) <= domain_max,
        owner=ctx.actor_name(ctx.mission.get("owner")),
        owner_active_missions=owner_count,
        owner_limit=owner_max,
        policy_domain=ctx.mission.get("policy_domain"),
        policy_domain_missions=domain_count,
        policy_domain_limit=domain_max,
    )


@warning(
    "OVER_UNDERFUNDED",
    severity=Severity.HIGH,
    label=_("Underfunded"),
    explanation=_("Less than half of the money the mission needs is committed."),
    hint=_("Record the committed budget and the estimated need, and close the gap."),
    fix="budget",
)
def underfunded(ctx: Context) -> Result:
    committed, need = ctx.committed_budget, ctx.estimated_need
    minimum = ctx.t["underfunded_min_share"]
    evidence = {**ctx.funding_evidence, "minimum": minimum}
    # Underfunding is judged on two recorded amounts; either missing cannot be judged.
    if committed is None:
        return not_assessed("budget", **evidence)
    if not need:
        return not_assessed("budget.estimated_need", **evidence)
    ratio = share(committed, need)
    return check_when(ratio is not None and ratio >= minimum, share=ratio, **evidence)


@warning(
    "OVER_UNDERSTAFFED",
    severity=Severity.WARN,
    label=_("Understaffed"),
    explanation=_("A mission needs at least one person working on it full time."),
    hint=_("Record the mission team's full-time equivalents, and staff it."),
    fix="team",
)
def understaffed(ctx: Context) -> Result:
    fte = number(ctx.mission.get("team_fte"))
    minimum = ctx.t["understaffed_min_fte"]
    if fte is None:
        return not_assessed("team")
    return check_when(fte >= Decimal(str(minimum)), team_fte=plain_number(fte), minimum=minimum)


@warning(
    "OVER_STRETCH",
    severity=Severity.INFO,
    label=_("Far faster than the trend"),
    explanation=_("The target needs progress more than three times faster than the recent trend."),
    hint=_("Check with experts that the pace is achievable, or explain what will speed it up."),
    fix="targets",
)
def stretch(ctx: Context) -> Result:
    multiple = Decimal(str(ctx.t["stretch_max_trend_multiple"]))
    findings = [
        pace_finding(target, rate, trend_rate, stretched=rate > multiple * abs(trend_rate))
        for target, rate, trend_rate in ctx.headline_paces
        if trend_rate  # a flat trend (0 a year) leaves no pace to compare with
    ]
    if not findings:
        return not_assessed("targets.trend_annual_rate")
    return check_when(not any(f["stretched"] for f in findings), targets=findings)


@warning(
    "OVER_MILESTONE_SLIP",
    severity=Severity.WARN,
    label=_("Milestones missed in a row"),
    explanation=_("Two or more missed milestones in a row mean the plan needs another look."),
    hint=_("Review the target's plan and milestones with the project leads."),
    fix="targets",
)
def milestone_slip(ctx: Context) -> Result:
    limit = ctx.t["milestone_slip_consecutive"]
    slipping = []
    has_milestones = False
    for target in ctx.targets:
        run = longest = 0
        for m in sorted(target.get("milestones") or [], key=lambda m: m["year"]):
            has_milestones = True
            run = run + 1 if m.get("status") == "missed" else 0
            longest = max(longest, run)
        if longest >= limit:
            slipping.append({"target": target["key"], "missed_in_a_row": longest})
    if not has_milestones:
        return not_applicable(reason="no_milestones")
    return check_when(not slipping, targets=slipping, limit=limit)


warning(
    "OVER_PERSON_BOARDS",
    severity=Severity.INFO,
    label=_("One person on many boards"),
    explanation=_("Someone on more than three mission boards cannot give each enough attention."),
    hint=_("Share board seats among more people."),
    fix="governance",
)(not_recorded_yet("governance_bodies"))


# --- Mandate and legitimacy ------------------------------------------------------------------


@warning(
    "MANDATE_MISSING",
    severity=Severity.HIGH,
    label=_("No recorded mandate"),
    explanation=_(
        "Without a decision by someone with authority, the mission can be ignored or stopped."
    ),
    hint=_("Record who decided the mission, the decision's reference and its date."),
    fix="mandate",
)
def mandate_missing(ctx: Context) -> Result:
    """Fires only when the mandate is recorded as "none" ("no mandate yet"). Not recorded: cannot
    be judged. Recorded, with its reference or date missing: passes, and the missing details go
    to the mission's "To complete" list (`to_complete`)."""
    source = ctx.mission.get("mandate_source") or ""
    reference = (ctx.mission.get("mandate_reference") or "").strip()
    date = ctx.mission.get("mandate_date")
    if not source:
        return not_assessed("mandate")
    if source == "none":
        # Recorded as "no mandate yet": normal while a mission is drafted or proposed, serious
        # once it runs.
        early = ctx.mission.get("status") in ("draft", "proposed")
        return not_passed(
            severity=Severity.WARN if early else None,
            source=source,
            status=ctx.mission.get("status"),
        )
    to_complete = [
        need
        for need, absent in (("mandate.reference", not reference), ("mandate.date", not date))
        if absent
    ]
    evidence = {"source": source, "reference": reference or None, "date": date}
    if to_complete:
        evidence["to_complete"] = to_complete
    return passed(**evidence)


warning(
    "MANDATE_SINGLE_SPONSOR",
    severity=Severity.WARN,
    label=_("Only one sponsor"),
    explanation=_("Missions need commitment from at least two ministries or agencies."),
    hint=_("Record co-owners and what each has committed (money or policy)."),
    fix="governance",
)(not_recorded_yet("governance.co_owners"))


@warning(
    "LEGIT_NO_CITIZENS",
    severity=Severity.WARN,
    label=_("Citizens not involved"),
    explanation=_("Without citizens' voices the mission lacks legitimacy where it must work."),
    hint=_("Consult citizens during design and add a citizen group to the stakeholders."),
    fix="stakeholders",
)
def no_citizens(ctx: Context) -> Result:
    # The mission's own public consultations that people sent ideas to: citizens consulted
    # directly, at least at IAP2 "consult".
    public = ctx.public_consultations_heard
    if not public and (ctx.stakeholder_map is None or not (ctx.stakeholders or ctx.activities)):
        return not_assessed("stakeholders")
    approved = ctx.mission.get("approved_on")
    consulted = [a for a in ctx.consultations if not approved or (a.get("date") or "") <= approved]
    consulted += [c for c in public if not approved or (c.get("opens_on") or "") <= approved]
    citizen_groups = [s for s in ctx.stakeholders if "citizen_group" in (s.get("roles") or [])]
    group_keys = {s.get("key") for s in citizen_groups}
    # Citizens engaged at consult or above: a citizen group engaged so now, or a consultation
    # (or more) that civil society or a citizen group took part in.
    citizens_engaged = sorted(
        {s["key"] for s in citizen_groups if engaged_at_least(s.get("engagement_now"), "consult")}
        | {
            a["key"]
            for a in ctx.consultations
            if (a.get("participants") or {}).get("civil_society")
            or group_keys & set(a.get("stakeholders") or [])
        }
        | {c["key"] for c in public}
    )
    reasons = [
        reason
        for reason, missing in (
            # Citizens who sent in ideas themselves stand for more than a group that speaks
            # for them.
            ("no_citizen_group", not citizen_groups and not public),
            ("no_consultation_during_design", not consulted),
            ("citizens_only_informed", not citizens_engaged),
        )
        if missing
    ]
    # Fires only on recorded facts: a citizen group recorded but engaged below "consult", or
    # engagement activities recorded without citizens in them. With neither a citizen group nor
    # any engagement activity recorded, citizens' involvement cannot be judged yet.
    if reasons and not citizen_groups and not ctx.activities and not public:
        return not_assessed("stakeholders.engagement")
    return check_when(
        not reasons,
        reasons=reasons,
        citizen_groups=[stakeholder_name(s) for s in citizen_groups],
        consultations_during_design=[a.get("key") for a in consulted],
        citizens_engaged=citizens_engaged,
        design_ended=approved,
    )


@warning(
    "LEGIT_NO_FEEDBACK",
    severity=Severity.INFO,
    label=_("Consultation without visible effect"),
    explanation=_("People who were consulted should see what changed because of them."),
    hint=_("For each consultation, record how it influenced decisions."),
    fix="stakeholders",
)
def no_feedback(ctx: Context) -> Result:
    if ctx.stakeholder_map is None:
        return not_assessed("stakeholders")
    consulted = ctx.consultations
    if not consulted:
        return not_applicable(reason="no_consultations")
    silent = [a.get("key") for a in consulted if not (a.get("influence_on_decision") or "").strip()]
    return check_when(not silent, without_feedback=silent, consultations=len(consulted))


# --- Silos -------------------------------------------------------------------------------------


@warning(
    "SILO_SINGLE_DOMAIN",
    severity=Severity.WARN,
    label=_("One sector only"),
    explanation=_("A mission worked on by one sector or one ministry stays in its silo."),
    hint=_("Involve projects from other sectors and stakeholders from other ministries."),
    fix="projects",
)
def single_domain(ctx: Context) -> Result:
    found = ctx.sectors
    governing: set[Any] = {
        s.get("actor") or s.get("key")
        for s in ctx.stakeholders
        if GOVERNANCE_ROLES & set(s.get("roles") or [])
    }
    governance = sorted(governing)
    if not found and not governance:
        return not_applicable(reason="no_sectors_recorded")
    evidence: dict = {"sectors": found}
    problems = []
    if found and len(found) == 1:
        problems.append("one_sector")
    if ctx.stakeholder_map is None:
        evidence["not_checked"] = ["governance stakeholders"]
    else:
        evidence["governance"] = [ctx.actor_name(k) for k in governance]
        if len(governance) == 1:
            problems.append("one_governing_organisation")
    return check_when(not problems, problems=problems, **evidence)


warning(
    "SILO_NO_COORD_BODY",
    severity=Severity.WARN,
    label=_("No body that coordinates across government"),
    explanation=_("A cross-ministry steering group keeps departments pulling the same way."),
    hint=_("Set up or name an interministerial steering body."),
    fix="governance",
)(not_recorded_yet("governance_bodies"))


warning(
    "SILO_SINGLE_FUND",
    severity=Severity.INFO,
    label=_("A single source of money"),
    explanation=_("All money from one budget line means one department carries the mission."),
    hint=_("Record the funding sources; seek co-funding from other budgets."),
    fix="budget",
)(not_recorded_yet("funding_sources"))


# --- Risks and rewards, evaluation, top-down ---------------------------------------------------


@warning(
    "RISK_NO_SHARING",
    severity=Severity.WARN,
    label=_("Public money carries the risk without a share in the rewards"),
    explanation=_(
        "When public money carries most of the risk of a mission's projects, the public should "
        "share in what it makes possible: fair access and prices, rights over the results, or "
        "a share of the returns."
    ),
    hint=_(
        "On the Risks and rewards page, record the conditions agreed on access and price, "
        "intellectual property or returns for the projects the public mostly pays for."
    ),
    fix="risks_rewards",
)
def risk_no_sharing(ctx: Context) -> Result:
    # The same check as the C4 signal "c4_shared_rewards": one where public money carries
    # most of the risk with no reward or access condition.
    return public_shares_in_rewards(ctx)


@warning(
    "EVAL_NO_TOC",
    severity=Severity.WARN,
    label=_("No theory of change"),
    explanation=_(
        "Without a theory of change, nobody can say why the projects should move the targets."
    ),
    hint=_(
        "On the theory of change page, add the mission's activities, outputs, outcomes and "
        "impact, and link them."
    ),
    fix="theory_of_change",
)
def no_toc(ctx: Context) -> Result:
    toc = ctx.theory_of_change
    if toc is None or not toc.get("steps"):
        # Not written yet: a task to complete, not a failure.
        return not_assessed("theory_of_change")
    steps, links = toc.get("steps") or [], toc.get("links") or []
    # Steps with no link between them say what exists, not how change comes about.
    return check_when(bool(steps) and bool(links), steps=len(steps), links=len(links))


@warning(
    "EVAL_TOC_TARGET_NO_OUTCOME",
    severity=Severity.WARN,
    label=_("Headline target without an outcome leading to it"),
    explanation=_(
        "A headline target that no outcome in the theory of change leads to has no stated "
        "path from the projects' outputs to it."
    ),
    hint=_(
        "Link each headline target to an outcome step, or to an impact step that an outcome "
        "leads to."
    ),
    fix="theory_of_change",
)
def toc_target_no_outcome(ctx: Context) -> Result:
    toc = ctx.theory_of_change
    if toc is None:
        return not_assessed("theory_of_change")
    if not toc.get("steps"):
        return not_applicable(reason="no_theory_of_change")
    if not ctx.headline_targets:
        return not_applicable(reason="no_headline_target")
    led_to = ctx.steps_after_outcome
    missing = [
        target.get("title") or target["key"]
        for target in ctx.headline_targets
        if not any(
            s["kind"] == "outcome" or (s["kind"] == "impact" and s["key"] in led_to)
            for s in toc["steps"]
            if s.get("target") == target["key"]
        )
    ]
    return check_when(not missing, targets=missing)


@warning(
    "EVAL_TOC_OUTPUT_ONLY",
    severity=Severity.WARN,
    label=_("Theory of change measured by outputs only"),
    explanation=_(
        "When every indicator in the theory of change counts deliverables, nobody will see "
        "whether the outcomes and impact happen."
    ),
    hint=_("Attach an outcome or impact indicator to an outcome or impact step."),
    fix="theory_of_change",
)
def toc_output_only(ctx: Context) -> Result:
    toc = ctx.theory_of_change
    if toc is None:
        return not_assessed("theory_of_change")
    if ctx.data.get("indicators") is None:
        return not_assessed("indicators")
    used = {key for s in toc.get("steps") or [] for key in s.get("indicators") or []}
    if not used:
        return not_applicable(reason="no_indicator_in_theory_of_change")
    levels = {i["key"]: i.get("level") for i in ctx.data["indicators"] if "key" in i}
    found = sorted({levels.get(key) or "" for key in used} - {""})
    return check_when(
        bool(CHANGE_LEVELS & set(found)), indicator_levels=found, indicators=sorted(used)
    )


@warning(
    "EVAL_NO_BASELINE",
    severity=Severity.HIGH,
    label=_("Headline target without a baseline"),
    explanation=_("Without a starting value and year, progress cannot be measured."),
    hint=_("Give each headline target its baseline value and year."),
    fix="targets",
)
def no_baseline(ctx: Context) -> Result:
    numeric = [t for t in ctx.headline_targets if t.get("direction") != "binary"]
    if not numeric:
        return not_applicable(reason="no_numeric_headline_target")
    missing = [
        t["key"]
        for t in numeric
        if number(t.get("baseline_value")) is None or t.get("baseline_year") is None
    ]
    # A baseline not filled in is missing data: it goes to "To complete", never a warning.
    if missing:
        return not_assessed("targets.baseline", targets=missing)
    return passed(targets=missing)


@warning(
    "EVAL_NO_REVIEW",
    severity=Severity.WARN,
    label=_("No recent review"),
    explanation=_(
        "Missions should be reviewed at least yearly, and evaluated independently halfway."
    ),
    hint=_("Plan and record reviews."),
    fix="learning",
)
def no_review(ctx: Context) -> Result:
    data = ctx.data.get("reviews")
    if data is None or not data.get("reviews"):
        # No review recorded yet: to complete, not a warning.
        return not_assessed("reviews")
    reviews = data["reviews"]
    recent = bool(data.get("recent_review"))
    external_missing = bool(data.get("past_midpoint")) and not any(
        r.get("independence") == "external" for r in reviews
    )
    return check_when(
        recent and not external_missing,
        latest_review=max(r.get("date") or "" for r in reviews) or None,
        recent_review=recent,
        past_midpoint_without_external_review=external_missing,
    )


@warning(
    "TOPDOWN_ONLY",
    severity=Severity.WARN,
    label=_("Only top-down projects"),
    explanation=_("Innovators outside government need a way in, such as an open call."),
    hint=_("Fund at least one project through an open call or a bottom-up proposal."),
    fix="projects",
)
def topdown_only(ctx: Context) -> Result:
    if not ctx.projects:
        return not_applicable(reason="no_projects")
    found = [p["key"] for p in ctx.projects if p.get("origin") in OPEN_ORIGINS]
    # Quotes the recorded facts: the projects and where each came from.
    return check_when(
        bool(found),
        open_projects=found,
        projects=[p["key"] for p in ctx.projects],
        origins=distinct(ctx.projects, "origin"),
    )
