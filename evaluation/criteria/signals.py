"""The automatic signals behind criteria C1–C5 (docs/domain.md §7.4). Each is a pure check over the
assessment input; its weight in the criterion's score is a setting (thresholds.py)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from evaluation.criteria.facts import (
    OPEN_ORIGINS,
    QUADRUPLE_HELIX,
    RI_STAGES,
    UPTAKE_INSTRUMENTS,
    UPTAKE_STAGES,
    Context,
    distinct,
    hhi,
    measurable,
    number,
    pace_finding,
    plain_number,
    share,
    stakeholder_name,
)
from evaluation.criteria.rules import (
    Result,
    check_when,
    graded,
    not_applicable,
    not_assessed,
    passed,
    signal,
)
from missions.formatting import money
from rewards import figures as rewards_figures

FORD_FIELDS = {
    "natural sciences": "natural_sciences",
    "engineering and technology": "engineering_technology",
    "medical and health sciences": "medical_health",
    "agricultural and veterinary sciences": "agricultural_veterinary",
    "agricultural sciences": "agricultural_veterinary",
    "social sciences": "social_sciences",
    "humanities and the arts": "humanities_arts",
    "humanities": "humanities_arts",
}


def _at_least(ctx: Context, setting: str, **found: list[Any]) -> Result:
    """Passed when each list in `found` holds at least the number the setting names; the
    evidence quotes the lists and that minimum."""
    minimum = ctx.t[setting]
    return check_when(min(map(len, found.values())) >= minimum, **found, minimum=minimum)


def _some_live_project(ctx: Context, wanted: Callable[[dict[str, Any]], bool]) -> Result:
    """Passed when at least one live project is of the kind `wanted` picks; the evidence
    lists them."""
    if not ctx.projects:
        return not_assessed("projects")
    found = [p["key"] for p in ctx.live_projects if wanted(p)]
    return check_when(bool(found), projects=found)


# --- C1 Bold, inspiring, relevant --------------------------------------------------------------


@signal(
    "c1_statement_length",
    criterion="c1",
    label=_("A short mission statement"),
    explanation=_("A statement people remember is one sentence of at most about 40 words."),
    hint=_("Write one sentence that says what will be true, for whom and by when."),
    fix="statement",
)
def statement_length(ctx: Context) -> Result:
    s = ctx.statement
    if s.is_empty:
        return not_assessed("statement")
    limit = ctx.t["statement_max_words"]
    return check_when(s.word_count <= limit, words=s.word_count, limit=limit)


@signal(
    "c1_acronyms",
    criterion="c1",
    label=_("No unexplained abbreviations"),
    explanation=_("Citizens and ministers stumble over abbreviations they do not know."),
    hint=_("Write abbreviations out, or explain them in brackets the first time."),
    fix="statement",
)
def acronyms(ctx: Context) -> Result:
    s = ctx.statement
    if s.is_empty:
        return not_applicable(reason="no_statement")
    limit = ctx.t["unexplained_acronyms_max"]
    return check_when(
        len(s.unexplained_acronyms) <= limit, unexplained=s.unexplained_acronyms, limit=limit
    )


@signal(
    "c1_readability",
    criterion="c1",
    label=_("Easy to read"),
    explanation=_(
        "Measured with LIX (sentence length and share of long words), which works across "
        "European languages."
    ),
    hint=_("Use shorter, everyday words and split long sentences."),
    fix="statement",
)
def readability(ctx: Context) -> Result:
    s = ctx.statement
    if s.is_empty:
        return not_applicable(reason="no_statement")
    limit = ctx.t["statement_max_lix"]
    return check_when(
        s.lix is not None and s.lix <= limit,
        lix=s.lix,
        limit=limit,
        flesch=s.flesch,
        language=s.language,
    )


@signal(
    "c1_no_activity_verb",
    criterion="c1",
    label=_("Describes an end state, not an activity"),
    explanation=_(
        "Statements that open with “promote” or “support” describe what government will do, "
        "not what will have changed."
    ),
    hint=_("Start from the result: “By 2030, …” and describe what will be true."),
    fix="statement",
)
def no_activity_verb(ctx: Context) -> Result:
    s = ctx.statement
    if s.is_empty:
        return not_assessed("statement")
    return check_when(not s.activity_verb, opening_word=s.opening_word, verb=s.activity_verb)


@signal(
    "c1_sdg",
    criterion="c1",
    label=_("Linked to a Sustainable Development Goal"),
    explanation=_("Linking to the UN goals shows the wider societal relevance."),
    hint=_("Choose the Sustainable Development Goals the mission serves."),
    fix="sdgs",
)
def sdg(ctx: Context) -> Result:
    goals = sorted(set(ctx.mission.get("sdgs") or []) | set(ctx.data["challenge"]["sdgs"] or []))
    if not goals:
        return not_assessed("sdgs")
    return passed(sdgs=goals)


@signal(
    "c1_affected_population",
    criterion="c1",
    label=_("Says how many people are affected"),
    explanation=_("The size of the problem shows why the mission matters."),
    hint=_("With the mission statement, record how many people the challenge affects."),
    fix="affected_population",
)
def affected_population(ctx: Context) -> Result:
    population = ctx.mission.get("affected_population")
    if population is None:
        return not_assessed("affected_population")
    return check_when(population > 0, affected_population=population)


@signal(
    "c1_engagement",
    criterion="c1",
    label=_("The public was consulted while designing it"),
    explanation=_("Missions need public support, which starts with asking people early."),
    hint=_("Record at least one consultation, workshop or citizen panel held during design."),
    fix="stakeholders",
)
def engagement(ctx: Context) -> Result:
    public = [c.get("title") for c in ctx.public_consultations_heard]
    if not ctx.activities and not public:
        # No engagement activity recorded: not evidence that nobody was asked.
        return not_assessed("stakeholders.engagement")
    activities = [a.get("type") for a in ctx.consultations]
    return check_when(
        bool(activities or public),
        activities=activities,
        recorded=len(ctx.activities),
        public_consultations=public,
    )


@signal(
    "c1_ambition",
    criterion="c1",
    label=_("Headline targets are ambitious"),
    explanation=_(
        # xgettext:no-python-format
        "A target should move at least 20% from its baseline (or be a yes/no change), or it is "
        "business as usual."
    ),
    hint=_("Set headline targets that change the situation substantially, not marginally."),
    fix="targets",
)
def ambition(ctx: Context) -> Result:
    if not ctx.headline_targets:
        return not_assessed("targets")
    minimum = Decimal(str(ctx.t["ambition_min_relative_change"]))
    findings = []
    for target in ctx.headline_targets:
        if target.get("direction") == "binary":
            findings.append({"target": target["key"], "binary": True, "ambitious": True})
            continue
        baseline, goal = number(target.get("baseline_value")), number(target.get("target_value"))
        if baseline is None or goal is None:
            findings.append({"target": target["key"], "ambitious": None})
            continue
        change = None if baseline == 0 else abs(goal - baseline) / abs(baseline)
        ambitious = goal != baseline if change is None else change >= minimum
        findings.append(
            {
                "target": target["key"],
                "relative_change": plain_number(change),
                "ambitious": ambitious,
            }
        )
    known = [f for f in findings if f["ambitious"] is not None]
    if not known:
        return not_assessed("targets.baseline", targets=findings, minimum=plain_number(minimum))
    return check_when(
        all(f["ambitious"] for f in known), targets=findings, minimum=plain_number(minimum)
    )


@signal(
    "c1_trend",
    criterion="c1",
    label=_("Faster than the current trend"),
    explanation=_("Reaching the target should need clearly faster progress than today's trend."),
    hint=_("Record the historical trend of each headline target's indicator."),
    fix="targets",
)
def trend(ctx: Context) -> Result:
    # Targets do not record a historical trend yet (docs/domain.md §7.1 trend_annual_rate); the
    # check runs as soon as the exchange format carries one.
    multiple = Decimal(str(ctx.t["ambition_min_trend_multiple"]))
    findings = [
        pace_finding(target, rate, trend_rate, faster=rate >= multiple * abs(trend_rate))
        for target, rate, trend_rate in ctx.headline_paces
    ]
    if not findings:
        return not_assessed("targets.trend_annual_rate")
    return check_when(all(f["faster"] for f in findings), targets=findings)


# --- C2 Clear direction ----------------------------------------------------------------------


@signal(
    "c2_headline_target",
    criterion="c2",
    label=_("A measurable headline target"),
    explanation=_(
        "At least one headline target needs a baseline (value and year), a target value and a "
        "unit, or a clear yes/no condition."
    ),
    hint=_("Add a headline target with its baseline, target value, unit and year."),
    fix="targets",
)
def headline_target(ctx: Context) -> Result:
    if not ctx.headline_targets:
        return not_assessed("targets")
    found = ctx.measurable_headline_targets
    incomplete = [t["key"] for t in ctx.headline_targets if not measurable(t)]
    if found:
        return passed(measurable=found, incomplete=incomplete)
    # Headline targets are recorded but none says yet what success is: the details are missing.
    return not_assessed("targets.baseline", measurable=found, incomplete=incomplete)


@signal(
    "c2_deadline",
    criterion="c2",
    label=_("A deadline within reach"),
    explanation=_(
        "A deadline 3 to 20 years ahead is long enough for research and short enough to matter."
    ),
    hint=_("Set the mission's deadline year, and its start year."),
    fix="deadline",
)
def deadline(ctx: Context) -> Result:
    end = ctx.mission.get("deadline_year")
    start = ctx.start_year
    low, high = ctx.t["horizon_min_years"], ctx.t["horizon_max_years"]
    if not end:
        return not_assessed("deadline", deadline_year=None, start_year=start)
    if start is None:
        # The deadline is set; the horizon cannot be judged without a start.
        return passed(deadline_year=end, start_year=None, horizon=None)
    horizon = end - start
    return check_when(
        low <= horizon <= high,
        deadline_year=end,
        start_year=start,
        horizon=horizon,
        range=[low, high],
    )


@signal(
    "c2_end_state",
    criterion="c2",
    label=_("The statement names a measurable end state"),
    explanation=_(
        "The statement itself should contain a number, a percentage or a clear yes/no outcome."
    ),
    hint=_("Put the result in the statement, such as “100 cities” or “every child”."),
    fix="statement",
)
def end_state(ctx: Context) -> Result:
    s = ctx.statement
    if s.is_empty:
        return not_assessed("statement")
    return check_when(s.has_measurable_end_state, found=s.end_state)


@signal(
    "c2_indicators",
    criterion="c2",
    label=_("Each headline target has an indicator with a data source"),
    explanation=_("Progress can only be followed if the data exists and arrives regularly."),
    hint=_("Give each headline target an indicator, with its data source and how often it comes."),
    fix="indicators",
)
def indicators(ctx: Context) -> Result:
    data = ctx.data.get("indicators")
    if not ctx.headline_targets:
        return not_assessed("targets")
    if not data:
        return not_assessed("indicators")
    missing = [
        t["key"]
        for t in ctx.headline_targets
        if not any(
            i.get("target") == t["key"] and i.get("data_source") and i.get("frequency")
            for i in data
        )
    ]
    return graded(
        not missing,
        len(missing) < len(ctx.headline_targets),
        targets_without_indicator=missing,
    )


@signal(
    "c2_milestone",
    criterion="c2",
    label=_("A milestone before the deadline"),
    explanation=_("Milestones let you see early whether the mission is on course."),
    hint=_("Add at least one milestone to a headline target, before the deadline."),
    fix="targets",
)
def milestone(ctx: Context) -> Result:
    end = ctx.mission.get("deadline_year")
    years = sorted(
        m["year"] for t in ctx.headline_targets for m in t.get("milestones") or [] if m.get("year")
    )
    if not years:
        return not_assessed("targets.milestones")
    if end is None:
        return not_assessed("deadline", milestone_years=years)
    early = [y for y in years if y < end]
    return check_when(bool(early), milestone_years=years, deadline_year=end)


@signal(
    "c2_geography",
    criterion="c2",
    label=_("Where it applies is defined"),
    explanation=_("A target needs a place: a country, a region, a set of cities."),
    hint=_("Say which area the mission covers."),
    fix="geography",
)
def geography(ctx: Context) -> Result:
    places = [ctx.mission.get("geography") or ""] + [
        t.get("geography") or "" for t in ctx.headline_targets
    ]
    places = [p for p in places if p.strip()]
    if not places:
        return not_assessed("geography")
    return passed(geography=places)


@signal(
    "c2_statement_year",
    criterion="c2",
    label=_("The statement's year matches the deadline"),
    explanation=_("Saying the year in the statement makes the commitment visible."),
    hint=_("Put the deadline year in the statement, as in “By 2030, …”."),
    fix="statement",
)
def statement_year(ctx: Context) -> Result:
    end = ctx.mission.get("deadline_year")
    if ctx.statement.is_empty:
        return not_assessed("statement")
    if end is None:
        return not_assessed("deadline")
    years = ctx.statement.years
    return check_when(end in years, statement_years=years, deadline_year=end)


# --- C3 Ambitious but realistic R&I ------------------------------------------------------------


@signal(
    "c3_rd_content",
    criterion="c3",
    label=_("Research and innovation projects"),
    explanation=_(
        "At least one project at research, development or demonstration stage shows the "
        "mission needs new knowledge."
    ),
    hint=_("Add or reclassify a project at research, development or demonstration stage."),
    fix="projects",
)
def rd_content(ctx: Context) -> Result:
    return _some_live_project(ctx, lambda p: p.get("stage") in RI_STAGES)


@signal(
    "c3_full_cycle",
    criterion="c3",
    label=_("Projects that bring solutions into use"),
    explanation=_(
        "Deployment projects, procurement or regulation turn research into change on the ground."
    ),
    hint=_("Add a deployment project, or use procurement or regulation as an instrument."),
    fix="projects",
)
def full_cycle(ctx: Context) -> Result:
    return _some_live_project(
        ctx,
        lambda p: p.get("stage") in UPTAKE_STAGES or p.get("instrument") in UPTAKE_INSTRUMENTS,
    )


@signal(
    "c3_budget",
    criterion="c3",
    label=_("Money committed for at least half of the need"),
    explanation=_("A mission without committed money is a wish, not a plan."),
    hint=_("Record the committed budget and the estimated need; commit at least half of it."),
    fix="budget",
)
def budget(ctx: Context) -> Result:
    committed, need = ctx.committed_budget, ctx.estimated_need
    if committed is None:
        return not_assessed("budget")
    if not need:
        return not_assessed("budget.estimated_need", committed=plain_number(committed))
    minimum = ctx.t["budget_min_committed_share"]
    ratio = share(committed, need)
    return check_when(
        committed > 0 and ratio is not None and ratio >= minimum,
        **ctx.funding_evidence,
        share=ratio,
        minimum=minimum,
    )


@signal(
    "c3_targets_covered",
    criterion="c3",
    label=_("Every headline target has a project working on it"),
    explanation=_("A target no project contributes to will not move."),
    hint=_("Link at least one project to each headline target, saying how it contributes."),
    fix="projects",
)
def targets_covered(ctx: Context) -> Result:
    if not ctx.headline_targets:
        return not_assessed("targets")
    if not ctx.projects:
        return not_assessed("projects")
    linked = {
        c["target"] for p in ctx.projects for c in p.get("contributions") or [] if c.get("target")
    }
    uncovered = [t["key"] for t in ctx.headline_targets if t["key"] not in linked]
    return check_when(not uncovered, uncovered=uncovered)


@signal(
    "c3_stage_spread",
    criterion="c3",
    label=_("Projects at different stages"),
    explanation=_("A healthy portfolio spans research through to use."),
    hint=_("Add projects at other stages, from research to deployment."),
    fix="projects",
)
def stage_spread(ctx: Context) -> Result:
    if not ctx.projects:
        return not_assessed("projects")
    return _at_least(ctx, "stage_spread_min", stages=distinct(ctx.live_projects, "stage"))


# --- C4 Across disciplines, sectors and actors -------------------------------------------------


@signal(
    "c4_sectors",
    criterion="c4",
    label=_("Several sectors involved"),
    explanation=_(
        "Missions cut across sectors; one sector alone rarely solves a societal problem."
    ),
    hint=_("Record the sectors of each project; involve projects from other sectors."),
    fix="projects",
)
def sectors(ctx: Context) -> Result:
    if not ctx.sectors:
        return not_assessed("projects.sectors")
    return _at_least(ctx, "sectors_min", sectors=ctx.sectors)


@signal(
    "c4_disciplines",
    criterion="c4",
    label=_("Several disciplines involved"),
    explanation=_("Technical and social knowledge are both needed to change a system."),
    hint=_("Record the disciplines of each project, including social sciences or humanities."),
    fix="projects",
)
def disciplines(ctx: Context) -> Result:
    found = sorted(
        {
            FORD_FIELDS.get(d.strip().casefold(), d.strip().casefold())
            for p in ctx.projects
            for d in p.get("disciplines") or []
        }
    )
    if not found:
        return not_assessed("projects.disciplines")
    return _at_least(ctx, "disciplines_min", fields=found)


@signal(
    "c4_helices",
    criterion="c4",
    label=_("Government, industry, research and civil society all involved"),
    explanation=_("All four parts of society should have an active role, not only be listed."),
    hint=_("Map stakeholders from each of the four groups and plan how to involve them."),
    fix="stakeholders",
)
def helices(ctx: Context) -> Result:
    wanted = set(QUADRUPLE_HELIX)
    # Counted: stakeholders who matter to the mission (not in the "monitor" quadrant) and who
    # have a part in it other than criticising it, and the organisations leading projects.
    by_helix: dict[str, set[str]] = {}
    for s in ctx.stakeholders:
        if s.get("quadrant") != "monitor" and set(s.get("roles") or []) != {"critic"}:
            by_helix.setdefault(s.get("helix") or "", set()).add(stakeholder_name(s) or "")
    for project in ctx.projects:
        lead = project.get("lead")
        helix = ctx.actor_helix(lead)
        if lead and helix:
            by_helix.setdefault(helix, set()).add(ctx.actor_name(lead) or lead)
    present = {h for h in by_helix if h in wanted}
    if not present:
        return not_assessed("stakeholders")
    evidence = {
        "present": sorted(present),
        "missing": sorted(wanted - present),
        "actors": {f"helix_{h}": sorted(by_helix[h]) for h in sorted(present)},
    }
    return graded(wanted <= present, len(present) >= len(wanted) - 1, **evidence)


@signal(
    "c4_government_horizontal",
    criterion="c4",
    label=_("More than one government body in charge"),
    explanation=_("Missions need several ministries or agencies, not one department alone."),
    hint=_("Name a coordinator or co-owner from another ministry or agency."),
    fix="governance",
)
def government_horizontal(ctx: Context) -> Result:
    if not ctx.core_team_keys:
        return not_assessed("governance")
    found = [k for k in ctx.core_team_keys if ctx.actor_helix(k) == "government"]
    return _at_least(ctx, "government_actors_min", government=[ctx.actor_name(k) for k in found])


@signal(
    "c4_government_vertical",
    criterion="c4",
    label=_("More than one level of government"),
    explanation=_("National, regional and local government each hold part of the solution."),
    hint=_("Involve regions or municipalities (or the national level) in projects or governance."),
    fix="governance",
)
def government_vertical(ctx: Context) -> Result:
    levels = sorted(
        {
            actor["government_level"]
            for k in ctx.involved_actor_keys
            if (actor := ctx.actor(k))
            and actor.get("helix") == "government"
            and actor.get("government_level")
        }
    )
    if not levels:
        return not_assessed("governance")
    minimum = ctx.t["government_levels_min"]
    if len(levels) < minimum and not ctx.projects:
        # Other levels usually take part through projects; none is recorded yet.
        return not_assessed("projects", levels=levels, minimum=minimum)
    return _at_least(ctx, "government_levels_min", levels=levels)


@signal(
    "c4_lead_concentration",
    criterion="c4",
    label=_("No organisation leads most of the money"),
    explanation=_("When one organisation leads more than half the budget, others are passengers."),
    hint=_("Spread project leadership, or record the lead and budget of each project."),
    fix="projects",
)
def lead_concentration(ctx: Context) -> Result:
    by_lead = ctx.budget_by_lead
    if not by_lead:
        return not_applicable(reason="no_led_budgets")
    total = sum(by_lead.values(), Decimal(0))
    top_key = max(by_lead, key=lambda k: by_lead[k])
    top_share = share(by_lead[top_key], total)
    limit = ctx.t["lead_budget_share_max"]
    return check_when(
        top_share is not None and top_share <= limit,
        top_lead=ctx.actor_name(top_key),
        top_share=top_share,
        limit=limit,
    )


def public_shares_in_rewards(ctx: Context) -> Result:
    """Passed unless public money carries most of the risk of the projects with terms and no
    reward or access condition is recorded on it (rewards.figures, the picture the mission's
    Risks and rewards page shows); not assessed until terms and public funding are recorded.
    The C4 signal below and the RISK_NO_SHARING warning both ask this."""
    picture = rewards_figures.from_export(ctx.data.get("rewards"))
    if not picture.recorded:
        # No terms recorded for any project: a task to complete, not a failure.
        return not_assessed("rewards.terms")
    if not picture.public_recorded:
        # Terms without the projects' public funding: whose money carries the risk is unknown.
        return not_assessed("rewards.public_money")
    public_share = picture.public_share
    return check_when(
        not picture.flagged,
        public_money=money(picture.public, ctx.mission.get("currency") or "EUR"),
        share=None if public_share is None else float(round(public_share, 2)),
        reward_conditions=picture.reward_conditions,
        projects=len(picture.projects),
    )


@signal(
    "c4_shared_rewards",
    criterion="c4",
    label=_("The public shares in the rewards where its money carries the risk"),
    explanation=_(
        "Missions are built by public and private partners together: where public money "
        "carries most of the risk, the public side should share in the results too."
    ),
    hint=_(
        "Record the conditions agreed on access and price, intellectual property or returns "
        "on the Risks and rewards page."
    ),
    fix="risks_rewards",
)
def shared_rewards(ctx: Context) -> Result:
    return public_shares_in_rewards(ctx)


@signal(
    "c4_public_spread",
    criterion="c4",
    label=_("Ideas came from many people in more than one place"),
    explanation=_(
        "A consultation that hears a handful of people from one town is not the public: the "
        "mission's legitimacy needs voices from across the places it affects."
    ),
    hint=_(
        "Reach more people and places: work with local civil-society organisations and "
        "municipalities to spread the word about the consultation."
    ),
    fix="participation",
)
def public_spread(ctx: Context) -> Result:
    facts = ctx.participation
    if not facts.get("ideas"):
        return not_assessed("participation")
    people, places = facts.get("participants") or 0, facts.get("places") or 0
    return check_when(
        people >= ctx.t["participation_people_min"] and places >= ctx.t["participation_places_min"],
        participants=people,
        places=places,
        organisations=facts.get("organisations") or [],
        minimum_participants=ctx.t["participation_people_min"],
        minimum_places=ctx.t["participation_places_min"],
    )


# --- C5 Many solutions, bottom-up -------------------------------------------------------------


@signal(
    "c5_ideas_answered",
    criterion="c5",
    label=_("Every idea from the public was answered, and some were taken up"),
    explanation=_(
        "Asking for ideas and not answering them costs trust; taking some up is what makes "
        "the mission bottom-up as well as top-down."
    ),
    hint=_(
        "Publish an answer to each idea whose decision date has passed, and turn the best "
        "into projects."
    ),
    fix="participation",
)
def ideas_answered(ctx: Context) -> Result:
    facts = ctx.participation
    due, answered = facts.get("due") or 0, facts.get("answered_due") or 0
    if not due:
        # No consultation has reached its decision date with ideas in it yet.
        return not_assessed("participation.answers")
    return check_when(
        answered / due >= ctx.t["participation_answered_share_min"]
        and (facts.get("taken_up") or 0) >= 1,
        answered=answered,
        due=due,
        taken_up=facts.get("taken_up") or 0,
        minimum_share=ctx.t["participation_answered_share_min"],
    )


@signal(
    "c5_projects",
    criterion="c5",
    label=_("A portfolio of projects"),
    explanation=_("Several projects let the mission try different routes and drop what fails."),
    hint=_("Add projects to the portfolio."),
    fix="projects",
)
def projects(ctx: Context) -> Result:
    minimum = ctx.t["projects_min"]
    count = len(ctx.live_projects)
    if not ctx.projects:
        return not_assessed("projects")
    return check_when(count >= minimum, live_projects=count, minimum=minimum)


@signal(
    "c5_instruments",
    criterion="c5",
    label=_("More than one kind of instrument"),
    explanation=_("Grants alone rarely change a market; prizes, procurement and rules help."),
    hint=_("Use other instruments as well, such as challenge prizes or procurement."),
    fix="projects",
)
def instruments(ctx: Context) -> Result:
    if not ctx.projects:
        return not_assessed("projects")
    return _at_least(ctx, "instruments_min", instruments=distinct(ctx.live_projects, "instrument"))


@signal(
    "c5_approaches",
    criterion="c5",
    label=_("Competing solution approaches"),
    explanation=_("Backing several approaches avoids betting everything on one."),
    hint=_("Tag each project with its solution approach."),
    fix="projects",
)
def approaches(ctx: Context) -> Result:
    tagged = [p for p in ctx.live_projects if "solution_approaches" in p]
    if not tagged:
        return not_assessed("projects.solution_approaches")
    found = sorted({a for p in tagged for a in p["solution_approaches"]})
    return _at_least(ctx, "approaches_min", approaches=found)


@signal(
    "c5_open_origin",
    criterion="c5",
    label=_("Open to ideas from outside"),
    explanation=_("Open calls and bottom-up proposals bring in solutions government did not plan."),
    hint=_("Fund at least one project through an open call or a bottom-up proposal."),
    fix="projects",
)
def open_origin(ctx: Context) -> Result:
    return _some_live_project(ctx, lambda p: p.get("origin") in OPEN_ORIGINS)


@signal(
    "c5_budget_spread",
    criterion="c5",
    label=_("Money spread across projects"),
    explanation=_("When one project takes most of the money, the portfolio is a single bet."),
    hint=_("Balance the budget across projects, or record each project's budget."),
    fix="projects",
)
def budget_spread(ctx: Context) -> Result:
    amounts = [ctx.budget(p) for p in ctx.live_projects if ctx.budget(p) > 0]
    index = hhi(amounts)
    if index is None:
        return not_applicable(reason="no_project_budgets")
    limit = ctx.t["portfolio_hhi_max"]
    return check_when(index <= limit, hhi=index, limit=limit, projects_with_budget=len(amounts))
