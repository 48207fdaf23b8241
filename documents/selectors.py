"""Reads for documents: the plain-data contexts PDFs are rendered from, and the document lists.

Contexts are JSON-ready dicts built here, in the request, through other apps' selectors
(`missions.selectors.mission_detail`, `missions.exchange.export_mission`,
`documents.criteria`); the renderer and the worker never read those apps' models.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organisation, User
from documents import criteria
from documents.models import (
    BriefingNote,
    BriefingPiece,
    DocumentKind,
    DocumentStatus,
    GeneratedDocument,
)
from evaluation.criteria.statement import guess_language, words_of
from evaluation.indicators import progress
from missions import selectors as mission_selectors
from missions.exchange import export_mission
from missions.formatting import decimal_or_none, money, number
from missions.models import Direction, MandateSource, Mission, MissionStatus
from rewards import figures as reward_figures

HEADLINE_MAX = 5


def _progress(target: dict[str, Any], latest: dict[str, Any] | None) -> tuple[str, str]:
    """On track / at risk / off track by the one progress rule, the indicator pages' own
    (evaluation/indicators/progress.py: the band, fractional years), with a milestone's actual
    value standing for the period ending 31 December of its year; "not assessed" without one."""
    trajectory = progress.Trajectory.of(SimpleNamespace(**target))
    rated = (
        progress.rate(
            trajectory, datetime.date(latest["year"], 12, 31), decimal_or_none(latest["value"])
        )
        if latest is not None
        else None
    )
    if rated is None:
        return "not_assessed", _("Not assessed")
    return rated.rating.value, str(rated.rating.label)


def _targets(exported: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for target in exported:
        measured = [m for m in target["milestones"] if m["actual_value"] is not None]
        latest = (
            {"value": measured[-1]["actual_value"], "year": measured[-1]["year"]}
            if measured
            else None
        )
        status, status_label = _progress(target, latest)
        binary = target["direction"] == Direction.BINARY
        unit = target["unit"]
        rows.append(
            {
                "title": target["title"],
                "is_headline": target["is_headline"],
                "baseline": _("n/a")
                if binary
                else (
                    f"{number(target['baseline_value'])} {unit}".strip()
                    + (f" ({target['baseline_year']})" if target["baseline_year"] else "")
                ),
                "target": target["success_condition"]
                if binary
                else f"{number(target['target_value'])} {unit}".strip(),
                "year": target["target_year"] or "—",
                "latest": (
                    f"{number(latest['value'])} {unit} ({latest['year']})".strip()
                    if latest
                    else _("No data yet")
                ),
                "progress": status,
                "progress_label": status_label,
            }
        )
    return rows


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label) if value else ""
    except ValueError:
        return value


def _canvas(mission: Mission, exported: dict[str, Any]) -> list[dict[str, Any]]:
    """The twelve boxes, from the box registry (canvas.boxes): the text written in each and
    what the mission's records say about it (documents.canvas_print)."""
    from documents import canvas_print

    return canvas_print.boxes(mission, exported)


def _map_tree(user: User, mission: Mission) -> list[dict[str, Any]]:
    tree = mission_selectors.mission_map(
        user=user, organisation=mission.organisation, challenge_key=mission.challenge.key
    )
    for challenge in tree:
        challenge["missions"] = [
            m for m in challenge["missions"] if mission.key in (m["key"], m["parent"])
        ]
    return tree


def _grid_items(exported: dict[str, Any]) -> list[dict[str, Any]]:
    """The stakeholders as the power/interest grid draws them, numbered by name as on the map
    page, with sector, attitude and group in words (documents.canvas_print)."""
    from documents import canvas_print

    return canvas_print.stakeholder_rows(exported)


# The exchange sections a briefing reads: the targets it prints, the projects' public-value
# terms ("Public money at risk and what the public gets back") and what the public said. The
# projects themselves it only counts (mission_context).
BRIEFING_SECTIONS = ("targets", "rewards", "participation")
# The projects a briefing names as having public money and no reward condition, at most.
UNCONDITIONED_MAX = 4


def _language_of_words(mission: Mission) -> str:
    """The language the mission is written in: recorded, else recognised from its title and
    statement as the criteria's statement analysis does; blank when neither says."""
    if mission.language:
        return mission.language
    guessed = guess_language(words_of(f"{mission.title} {mission.statement}"))
    return "" if guessed == "und" else guessed


def mission_context(
    *, user: User, organisation: Organisation | str, key: str, kind: str
) -> dict[str, Any]:
    """One mission as the plain data its canvas or briefing prints. 404 if the user may not
    see it."""
    canvas = kind == DocumentKind.CANVAS
    # Everything a document prints of the mission's parts comes from its export, which reads
    # each section in the order it prints it: nothing prefetched with the mission would be
    # read. A briefing needs only the sections it prints; a canvas's facts read every one.
    mission = mission_selectors.mission_detail(
        user=user, organisation=organisation, key=key, parts="none"
    )
    exported = export_mission(mission, only=None if canvas else BRIEFING_SECTIONS)
    data: dict[str, Any] = {
        "id": mission.pk,
        "key": mission.key,
        # The language its own words are in (the page's `lang` where it differs: hyphenation).
        "lang": _language_of_words(mission),
        "title": mission.title,
        "statement": mission.statement,
        "challenge": mission.challenge.title,
        "organisation": mission.organisation.name,
        "status": mission.status,
        "status_label": _label(MissionStatus, mission.status),
        "version": mission.version,
        "owner": mission.owner.name if mission.owner else "",
        "coordinator": mission.coordinator.name if mission.coordinator else "",
        "years": _years(mission.start_year, mission.deadline_year),
        "deadline_year": mission.deadline_year,
        "geography": mission.geography,
        "mandate": _label(MandateSource, mission.mandate_source),
        "budget": {
            "committed": money(mission.committed_budget, mission.currency),
            "need": money(mission.estimated_need, mission.currency),
            "share": (
                round(mission.committed_budget / mission.estimated_need * 100)
                if mission.committed_budget is not None and mission.estimated_need
                else None
            ),
            "gap": (
                money(mission.estimated_need - mission.committed_budget, mission.currency)
                if mission.committed_budget is not None
                and mission.estimated_need is not None
                and mission.estimated_need > mission.committed_budget
                else ""
            ),
            "team_fte": number(mission.team_fte) if mission.team_fte is not None else "",
        },
        "targets": _targets(exported.get("targets", [])),
        # A briefing counts the projects; only a canvas prints them (its facts).
        "project_count": len(exported["projects"]) if canvas else mission.projects.count(),
    }
    if kind == DocumentKind.CANVAS:
        data["boxes"] = _canvas(mission, exported)
        data["map_tree"] = _map_tree(user, mission)
        data["stakeholders"] = _grid_items(exported)
    else:
        data.update(criteria.criteria_for(mission))
        data["open_warning_total"] = sum(data["open_warnings"].values())
        data["note"] = briefing_note_data(mission)
        data["rewards"] = briefing_rewards(exported.get("rewards"), mission.currency)
        data["participation"] = briefing_participation(exported.get("participation"))
    headline = [t for t in data["targets"] if t["is_headline"]]
    data["headline_targets"] = headline[:HEADLINE_MAX]
    if kind != DocumentKind.CANVAS:
        data["key_figures"] = _key_figures(mission, data)
    return data


def _years(start: int | None, deadline: int | None) -> str:
    """The mission's years as a reader says them: "2021–2030", "from 2021", "by 2030"."""
    if start and deadline:
        return f"{start}–{deadline}"
    if start:
        return _("from %(year)s") % {"year": start}
    if deadline:
        return _("by %(year)s") % {"year": deadline}
    return ""


def _key_figures(mission: Mission, data: dict[str, Any]) -> list[str]:
    """The figures a briefing gives up front: budget committed of the need, headline targets
    on track. Only what is recorded: an unknown budget or an unmeasured target is said to be
    so, never printed as a dash or a zero."""
    figures = []
    committed, need = mission.committed_budget, mission.estimated_need
    budget = data["budget"]
    if committed is not None and need:
        figures.append(
            _("%(committed)s committed of %(need)s needed (%(share)s%%)")
            % {"committed": budget["committed"], "need": budget["need"], "share": budget["share"]}
        )
    elif committed is not None:
        figures.append(
            _("%(committed)s committed; no estimate of the need recorded")
            % {"committed": budget["committed"]}
        )
    elif need:
        figures.append(
            _("%(need)s needed; no committed budget recorded") % {"need": budget["need"]}
        )
    headline = data["headline_targets"]
    rated = [t for t in headline if t["progress"] != "not_assessed"]
    if rated:
        on_track = sum(1 for t in rated if t["progress"] == progress.Rating.ON_TRACK)
        figures.append(
            ngettext(
                "%(on_track)s of %(count)s measured headline target on track",
                "%(on_track)s of %(count)s measured headline targets on track",
                len(rated),
            )
            % {"on_track": on_track, "count": len(rated)}
        )
    elif headline:
        figures.append(
            ngettext(
                "%(count)s headline target, not measured yet",
                "%(count)s headline targets, none measured yet",
                len(headline),
            )
            % {"count": len(headline)}
        )
    return figures


def briefing_participation(section: dict[str, Any] | None) -> str:
    """One sentence on what the public said, from the participation section's summary (the
    figures the criteria read): empty when the mission has had no public consultation, so the
    briefing prints nothing rather than a heading over nothing."""
    summary = (section or {}).get("summary") or {}
    if not summary.get("consultations"):
        return ""
    ideas = summary.get("ideas") or 0
    if not ideas:
        return ngettext(
            "%(count)s public consultation; no idea sent in yet.",
            "%(count)s public consultations; no idea sent in yet.",
            summary["consultations"],
        ) % {"count": summary["consultations"]}
    text = ngettext(
        "%(ideas)s idea from the public",
        "%(ideas)s ideas from the public",
        ideas,
    ) % {"ideas": ideas}
    people, places = summary.get("participants") or 0, summary.get("places") or 0
    if people:
        text += " " + ngettext(
            "(%(people)s person taking part", "(%(people)s people taking part", people
        ) % {"people": people}
        text += (
            ngettext(", from %(places)s place)", ", from %(places)s places)", places)
            % {"places": places}
            if places
            else ")"
        )
    organisations = summary.get("organisations") or []
    if organisations:
        text += "; " + ngettext(
            "%(count)s civil-society organisation among them",
            "%(count)s civil-society organisations among them",
            len(organisations),
        ) % {"count": len(organisations)}
    text += ". " + _("%(answered)s answered in public, %(taken)s taken up.") % {
        "answered": summary.get("answered") or 0,
        "taken": summary.get("taken_up") or 0,
    }
    return text


def briefing_rewards(section: dict[str, Any] | None, currency: str) -> dict[str, Any]:
    """The briefing's "Public money at risk and what the public gets back", in sentences (the
    PDF and the Word copy print the same ones): the public money at risk and in which forms,
    the public side's share of all that was put in, the reward or access conditions and how
    many were checked met or breached, and the projects with public money but none.

    From the mission's "rewards" exchange section through rewards.figures, the calculation the
    rewards page and the canvas use, so the briefing never disagrees with them."""
    section = section or {}
    picture = reward_figures.from_export(section)
    if not picture.recorded:
        return {
            "facts": [],
            "warning": "",
            "note": "",
            "none": _("No public-value terms are recorded for this mission's projects yet."),
        }
    facts = []
    # A project's public money is its own record, which may be empty: "not recorded" then,
    # never a sum of zero or a share of 0% that reads as if the public put in nothing.
    if picture.public_recorded:
        forms = picture.by_risk_labelled
        text = _("Public money at risk: %(public)s.") % {"public": money(picture.public, currency)}
        if len(forms) == 1:
            text += " " + _("Form: %(form)s.") % {"form": forms[0][0]}
        elif forms:
            text += " " + _("Forms: %(forms)s.") % {
                "forms": "; ".join(f"{label} {money(amount, currency)}" for label, amount in forms)
            }
        facts.append(text)
        if picture.public_percent is not None and picture.others_recorded:
            facts.append(
                _(
                    "The public side put in %(percent)s%% of all the money and value recorded; "
                    "private, philanthropic and in-kind contributions: %(others)s."
                )
                % {"percent": picture.public_percent, "others": money(picture.others, currency)}
            )
        elif picture.public_percent is not None:
            facts.append(
                _(
                    "Only public money is recorded: no private, philanthropic or in-kind contribution."
                )
            )
    else:
        facts.append(_("Public money at risk: not recorded for the projects with terms."))
    # Only access, rights and money-back conditions give the public a share of the reward
    # (rewards.models.REWARD_FAMILIES); direction and transparency conditions are not counted.
    if picture.reward_conditions:
        facts.append(
            ngettext(
                "%(count)s reward or access condition: %(met)s checked and met, "
                "%(breached)s checked and breached.",
                "%(count)s reward or access conditions: %(met)s checked and met, "
                "%(breached)s checked and breached.",
                picture.reward_conditions,
            )
            % {
                "count": picture.reward_conditions,
                "met": picture.met,
                "breached": picture.breached,
            }
        )
    else:
        facts.append(_("No reward or access condition is recorded on the public money."))
    warning = ""
    unconditioned = [p.title for p in picture.unconditioned]
    if unconditioned:
        names = ", ".join(unconditioned[:UNCONDITIONED_MAX])
        if len(unconditioned) > UNCONDITIONED_MAX:
            more = len(unconditioned) - UNCONDITIONED_MAX
            names += " " + ngettext("and %(count)s more", "and %(count)s more", more) % {
                "count": more
            }
        warning = ngettext(
            "Public money with no reward or access condition in this project: %(projects)s.",
            "Public money with no reward or access condition in these projects: %(projects)s.",
            len(unconditioned),
        ) % {"projects": names}
        if picture.flagged:
            warning = " ".join(
                [
                    _(
                        "The public side carries most of the risk and nothing gives it a share "
                        "of the reward."
                    ),
                    warning,
                ]
            )
    unverified = any(t.get("source_unverified") for t in section.get("terms") or [])
    return {
        "facts": facts,
        "warning": warning,
        "note": _("Some of these terms come from a source not verified.") if unverified else "",
        "none": "",
    }


# The texts the author writes, in the note's order: each has its limit (BriefingNote.LIMITS).
NOTE_FIELDS = tuple(BriefingNote.LIMITS)


def briefing_note_data(mission: Mission) -> dict[str, str]:
    """What the author wrote for the mission's briefing (documents.models.BriefingNote), as
    plain data; empty strings where nothing was written (the templates leave those out)."""
    note = BriefingNote.objects.filter(mission=mission).first()
    data = {name: (getattr(note, name) if note else "").strip() for name in NOTE_FIELDS}
    data["decision_by"] = today_text(note.decision_by) if note and note.decision_by else ""
    return data


def pack_mission_ids(*, user: User, organisation: Organisation, keys: list[str]) -> list[int]:
    """The ids of the chosen missions the user may see, in the order given (unknown keys: 404),
    in one query: a pack request looks its pieces up by these before building any context."""
    found = dict(
        Mission.objects.visible_to(user)
        .filter(organisation=organisation, key__in=keys)
        .values_list("key", "pk")
    )
    missing = [key for key in keys if key not in found]
    if missing:
        raise Http404(_("There is no mission %(key)s here.") % {"key": missing[0]})
    return [found[key] for key in keys]


def _rows_by_mission(rows: Any, key: str = "mission_id") -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def _evaluation_rows(mission_ids: list[int]) -> dict[int, list[Any]]:
    """What the criteria section reads of the evaluation app, per mission: the assessment
    state (last completed run), every current warning row, the verdicts (append-only, so
    count and newest id) with their reviewers' names, and count/newest id of every other
    evaluation table that points at a mission. Raises if the app is not the shape expected."""
    from django.apps import apps
    from django.db.models import Count, Max

    from evaluation.criteria import thresholds
    from evaluation.models import AssessmentState, CriterionVerdict, Finding

    result: dict[int, list[Any]] = {pk: [] for pk in mission_ids}
    for label, rows in (
        ("state", AssessmentState.objects.filter(mission_id__in=mission_ids).values()),
        ("findings", Finding.objects.filter(mission_id__in=mission_ids).order_by("pk").values()),
        (
            "reviewers",
            CriterionVerdict.objects.filter(mission_id__in=mission_ids)
            .order_by("pk")
            .values("mission_id", "reviewer_id", "reviewer__full_name", "reviewer__email"),
        ),
    ):
        for mission_id, grouped in _rows_by_mission(rows).items():
            result[mission_id].append([label, grouped])
    for model in apps.get_app_config("evaluation").get_models():
        if "mission" not in {f.name for f in model._meta.get_fields()}:
            continue
        # A model found at run time promises no `objects`; every model has `_default_manager`
        # (here `objects` itself: no evaluation model has a second manager).
        counts = (
            model._default_manager.filter(mission_id__in=mission_ids)
            .order_by()
            .values("mission_id")
            .annotate(n=Count("pk"), top=Max("pk"))
        )
        for row in counts:
            result[row["mission_id"]].append([model._meta.label, row["n"], row["top"]])
    settings_rows = thresholds.current()
    return {pk: [*rows, settings_rows] for pk, rows in result.items()}


def briefing_fingerprints(mission_ids: list[int]) -> dict[int, str]:
    """A hash per mission of every database row its briefing is built from, in a constant
    number of queries for any number of missions (no context is built): the mission row with
    its challenge, owner and coordinator names, its targets and milestones, its projects
    (the briefing prints their number, and the names and public money of those with terms),
    the projects' public-value terms and reward conditions, and the criteria engine's rows. Raw row values are
    hashed, not just `updated_at`, so a queryset `.update()` that skips auto_now is seen too.

    Empty when the criteria engine is not the shape expected: the caller then builds the
    contexts, which is slower but never stale."""
    import hashlib
    import json

    from django.db.models import Count

    from missions.models import Milestone, MissionProject, Target
    from participation.models import Comment, Consultation, Idea, Support
    from rewards.models import ProjectTerms, RewardCondition

    try:
        evaluation = _evaluation_rows(mission_ids)
    except Exception as exc:
        import logging

        logging.getLogger(__name__).warning("documents: no briefing fingerprints: %s", exc)
        return {}
    missions = {
        row["id"]: row
        for row in Mission.objects.filter(pk__in=mission_ids).values(
            *[f.attname for f in Mission._meta.concrete_fields],
            "challenge__title",
            "owner__name",
            "coordinator__name",
            "organisation__name",
        )
    }
    targets = _rows_by_mission(
        Target.objects.filter(mission_id__in=mission_ids).order_by("pk").values()
    )
    milestones = _rows_by_mission(
        Milestone.objects.filter(target__mission_id__in=mission_ids)
        .order_by("pk")
        .values("target__mission_id", *[f.attname for f in Milestone._meta.concrete_fields]),
        key="target__mission_id",
    )
    projects = _rows_by_mission(
        MissionProject.objects.filter(mission_id__in=mission_ids)
        .order_by("pk")
        .values("mission_id", "id", "version", "updated_at", "key", "title", "public_funding")
    )
    terms = _rows_by_mission(
        ProjectTerms.objects.filter(mission_id__in=mission_ids).order_by("pk").values()
    )
    conditions = _rows_by_mission(
        RewardCondition.objects.filter(mission_id__in=mission_ids).order_by("pk").values()
    )
    # What the public said: the consultations, the ideas as the summary reads them, and how
    # many supported or commented (the summary counts the people).
    consultations = _rows_by_mission(
        Consultation.objects.filter(mission_id__in=mission_ids)
        .order_by("pk")
        .values("mission_id", "id", "version")
    )
    ideas = _rows_by_mission(
        Idea.objects.filter(mission_id__in=mission_ids)
        .order_by("pk")
        .values(
            "mission_id",
            "id",
            "version",
            "participant_id",
            "place",
            "on_behalf_of",
            "hidden_at",
            "answer",
            "project_id",
        )
    )
    reactions = _rows_by_mission(
        Support.objects.filter(idea__mission_id__in=mission_ids)
        .values("idea__mission_id")
        .annotate(n=Count("pk"), people=Count("participant_id", distinct=True))
        .order_by(),
        key="idea__mission_id",
    )
    comments = _rows_by_mission(
        Comment.objects.filter(idea__mission_id__in=mission_ids)
        .values("idea__mission_id")
        .annotate(n=Count("pk"), people=Count("participant_id", distinct=True))
        .order_by(),
        key="idea__mission_id",
    )
    notes = {
        row["mission_id"]: row
        for row in BriefingNote.objects.filter(mission_id__in=mission_ids).values()
    }
    result = {}
    for pk in mission_ids:
        payload = [
            notes.get(pk),
            missions.get(pk),
            targets.get(pk, []),
            milestones.get(pk, []),
            projects.get(pk, []),
            terms.get(pk, []),
            conditions.get(pk, []),
            evaluation.get(pk, []),
            consultations.get(pk, []),
            ideas.get(pk, []),
            reactions.get(pk, []),
            comments.get(pk, []),
        ]
        text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
        result[pk] = hashlib.sha256(text.encode()).hexdigest()
    return result


def document_list(*, user: User, organisation: Organisation) -> QuerySet[GeneratedDocument]:
    """The organisation's documents, newest first, for the "Your documents" page."""
    return (
        GeneratedDocument.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("requested_by", "mission")
        .defer("context", "extras")
    )


def document_for(*, user: User, organisation: Organisation, document_id: int) -> GeneratedDocument:
    """One document of the organisation, for a member; 404 for anyone else."""
    return get_object_or_404(
        GeneratedDocument.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("organisation", "requested_by"),
        pk=document_id,
    )


def pack_progress(document: GeneratedDocument) -> dict[str, int] | None:
    """How many of an unfinished pack's briefings are made, of how many, for its page while it
    is on its way; None for any other document."""
    if document.kind != DocumentKind.PACK or document.is_finished:
        return None
    ids = set(document.context.get("pieces", []))
    done = BriefingPiece.objects.filter(pk__in=ids, status=DocumentStatus.DONE).count()
    return {"done": done, "total": len(ids)}


def previous_briefing(
    *, mission_id: int, before_hash: str, language: str
) -> GeneratedDocument | None:
    """The latest finished briefing of the mission made from different inputs, in the same
    language. One in another language is a translation, not an earlier state: its words (a
    status, an amount written the Spanish way) differ from this one's without anything having
    changed."""
    return (
        GeneratedDocument.objects.filter(
            mission_id=mission_id,
            kind=DocumentKind.BRIEFING,
            status="done",
            context__language=language,
        )
        .exclude(input_hash=before_hash)
        .order_by("-queued_at", "-pk")
        .first()
    )


def today_text(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")
