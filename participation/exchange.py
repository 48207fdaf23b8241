"""The "participation" section of the exchange format (and so of snapshots and of the criteria
engine's assessment input):

    "participation": {
      "published": bool,                              # derived; ignored on import
      "consultations": [{
          "key", "title", "purpose", "decision_by", "opens_on", "closes_on", "questions", "themes"
      }],
      "ideas": [{
          "consultation": consultation key, "number", "title", "body", "place", "theme",
          "on_behalf_of", "hidden_reason" ("" when shown), "answer", "response",
          "merged_into": number | null, "project": project key | null,
          "sent_on", "supporters", "comments"          # derived; ignored on import
      }],
      "summary": {...}                                # derived (see `summarise`); ignored
    }

Participants' personal data never goes into it: not their addresses, not their display names.
An imported idea has no author; the organisation it was sent in for stays.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canvas.boxes import BY_KEY
from missions import exchange
from missions.exchange import ExchangeError, FieldSpec, SectionContext, read_items, read_object
from missions.models import Mission, MissionProject
from participation.models import Answer, Comment, Consultation, Idea, Publication, Support
from stakeholders.models import Stakeholder

SECTION = "participation"

CONSULTATION_SPECS = [
    FieldSpec("key", "key", required=True),
    FieldSpec("title", "str", required=True, max_length=160),
    FieldSpec("purpose", "str", required=True, max_length=1000),
    FieldSpec("decision_by", "date", required=True),
    FieldSpec("opens_on", "date", required=True),
    FieldSpec("closes_on", "date", required=True),
    FieldSpec("questions", "str", required=True, max_length=2000),
    FieldSpec("themes", "str", max_length=1000, default=""),
]
IDEA_SPECS = [
    FieldSpec("consultation", "key", required=True),
    FieldSpec("number", "int", required=True),
    FieldSpec("title", "str", required=True, max_length=120),
    FieldSpec("body", "str", required=True, max_length=2000),
    FieldSpec("place", "str", max_length=80, default=""),
    FieldSpec("theme", "str", max_length=80, default=""),
    FieldSpec("on_behalf_of", "str", max_length=120, default=""),
    FieldSpec("hidden_reason", "str", max_length=300, default=""),
    FieldSpec("answer", "str", choices=Answer, default=Answer.PENDING),
    FieldSpec("response", "str", max_length=1500, default=""),
    FieldSpec("merged_into", "int"),
    FieldSpec("project", "key"),
    FieldSpec("stakeholder", "key"),
    FieldSpec("canvas_box", "str", max_length=40, default=""),
]


# --- Export ---------------------------------------------------------------------------------


def export_participation(mission: Mission) -> dict[str, Any]:
    consultations = list(Consultation.objects.filter(mission=mission).order_by("key"))
    ideas = (
        []
        if not consultations
        else list(
            Idea.objects.filter(mission=mission)
            .select_related("consultation", "project", "merged_into", "stakeholder")
            .annotate(
                supporter_total=Count("supports", distinct=True),
                comment_total=Count("comments", filter=Q(comments__hidden_at=None), distinct=True),
            )
            .order_by("consultation__key", "number")
        )
    )
    # A mission nobody consulted costs two queries; the rest only when there are ideas.
    people = _participants(mission) if ideas else 0
    section = {
        "published": Publication.objects.filter(mission=mission, withdrawn_at=None).exists(),
        "consultations": [
            {
                "key": c.key,
                "title": c.title,
                "purpose": c.purpose,
                "decision_by": c.decision_by.isoformat(),
                "opens_on": c.opens_on.isoformat(),
                "closes_on": c.closes_on.isoformat(),
                "questions": c.questions,
                "themes": c.themes,
            }
            for c in consultations
        ],
        "ideas": [
            {
                "consultation": i.consultation.key,
                "number": i.number,
                "title": i.title,
                "body": i.body,
                "place": i.place,
                "theme": i.theme,
                "on_behalf_of": i.on_behalf_of,
                "hidden_reason": i.hidden_reason if i.hidden_at else "",
                "answer": i.answer,
                "response": i.response,
                "merged_into": i.merged_into.number if i.merged_into else None,
                "project": i.project.key if i.project else None,
                "stakeholder": i.stakeholder.key if i.stakeholder else None,
                "canvas_box": i.canvas_box,
                "sent_on": timezone.localdate(i.created_at).isoformat(),
                "supporters": i.supporter_total,
                "comments": i.comment_total,
            }
            for i in ideas
        ],
    }
    return {**section, "summary": summarise(section, participants=people)}


def _participants(mission: Mission) -> int:
    """How many different people sent in, supported or commented (those who deleted their
    data are not counted: nothing is left to tell them apart). One query; UNION drops the
    people counted twice."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT COUNT(*) FROM (
                SELECT participant_id FROM {Idea._meta.db_table}
                 WHERE mission_id = %s AND participant_id IS NOT NULL
                UNION
                SELECT s.participant_id FROM {Support._meta.db_table} s
                  JOIN {Idea._meta.db_table} i ON i.id = s.idea_id
                 WHERE i.mission_id = %s AND s.participant_id IS NOT NULL
                UNION
                SELECT c.participant_id FROM {Comment._meta.db_table} c
                  JOIN {Idea._meta.db_table} i ON i.id = c.idea_id
                 WHERE i.mission_id = %s AND c.participant_id IS NOT NULL
            ) AS people
            """,  # noqa: S608 - table names from the models, values as parameters
            [mission.pk] * 3,
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def summarise(
    section: dict[str, Any], *, participants: int | None = None, today: datetime.date | None = None
) -> dict[str, Any]:
    """The participation facts the criteria, the dashboard and the briefing read.

    `due`: the ideas whose consultation's decision date has passed, which should have an answer
    by now; `answered_due` of them have one."""
    today = today or timezone.localdate()
    shown = [i for i in section.get("ideas") or [] if not i.get("hidden_reason")]
    decision_by = {c["key"]: c.get("decision_by") or "" for c in section.get("consultations") or []}
    due = [
        i for i in shown if (decision_by.get(i.get("consultation")) or "9999") < today.isoformat()
    ]
    return {
        "consultations": len(section.get("consultations") or []),
        "ideas": len(shown),
        "contributions": sum(
            1 + (i.get("supporters") or 0) + (i.get("comments") or 0) for i in shown
        ),
        "participants": participants,
        "places": len({(i.get("place") or "").strip().lower() for i in shown} - {""}),
        "organisations": sorted({i["on_behalf_of"] for i in shown if i.get("on_behalf_of")}),
        "answered": sum(1 for i in shown if i.get("answer") != Answer.PENDING),
        "taken_up": sum(1 for i in shown if i.get("answer") == Answer.ADOPTED or i.get("project")),
        "due": len(due),
        "answered_due": sum(1 for i in due if i.get("answer") != Answer.PENDING),
    }


# --- Validate -------------------------------------------------------------------------------


def validate_participation(data: Any, path: str, context: SectionContext) -> list[ExchangeError]:
    errors: list[ExchangeError] = []
    if not isinstance(data, dict):
        return [ExchangeError(path, _("expected an object with consultations and ideas."))]
    keys: list[tuple[str, Any]] = []
    for item_path, _item, values in read_items(
        data.get("consultations"), f"{path}.consultations", CONSULTATION_SPECS, errors
    ):
        keys.append((f"{item_path}.key", values.get("key")))
        opens, closes = values.get("opens_on"), values.get("closes_on")
        if opens and closes and closes < opens:
            errors.append(
                ExchangeError(f"{item_path}.closes_on", _("must be on or after opens_on."))
            )
    exchange.report_duplicates(keys, _("Consultation key"), errors)
    known = {key for _path, key in keys if isinstance(key, str)}
    numbers: list[tuple[str, Any]] = []
    for item_path, _item, values in read_items(
        data.get("ideas"), f"{path}.ideas", IDEA_SPECS, errors
    ):
        consultation = values.get("consultation")
        if isinstance(consultation, str) and consultation not in known:
            errors.append(
                ExchangeError(
                    f"{item_path}.consultation",
                    _("refers to consultation %(key)r, which the section does not have.")
                    % {"key": consultation},
                )
            )
        number = values.get("number")
        if isinstance(number, int) and number < 1:
            errors.append(ExchangeError(f"{item_path}.number", _("must be 1 or more.")))
        numbers.append((f"{item_path}.number", f"{consultation} {number}"))
        box = values.get("canvas_box")
        if box and box not in BY_KEY:
            errors.append(
                ExchangeError(
                    f"{item_path}.canvas_box",
                    _("is %(key)r, which is not a canvas box.") % {"key": box},
                )
            )
        project = values.get("project")
        if isinstance(project, str) and project not in context.project_keys:
            errors.append(
                ExchangeError(
                    f"{item_path}.project",
                    _("refers to project %(key)r, which this mission does not have.")
                    % {"key": project},
                )
            )
    exchange.report_duplicates(numbers, _("Idea number"), errors)
    return errors


# --- Load -----------------------------------------------------------------------------------


def load_participation(mission: Mission, data: dict[str, Any], context: SectionContext) -> None:
    existing = {c.key: c for c in Consultation.objects.filter(mission=mission)}
    stored = dict(existing)
    wanted = []
    for item in data.get("consultations") or []:
        values = read_object(item, "", CONSULTATION_SPECS, [])
        assert values is not None  # validated before loading  # noqa: S101
        wanted.append(values["key"])
        consultation = stored.get(values["key"]) or Consultation(
            mission=mission, created_by=context.user
        )
        consultation.updated_by = context.user
        exchange.save_if_changed(consultation, values, "consultations", context.summary)
        stored[values["key"]] = consultation
    exchange.delete_missing(existing, wanted, "consultations", context.summary)
    projects = {p.key: p for p in MissionProject.objects.filter(mission=mission)}
    # Loaded before this section (its order is lower); a stakeholder the document does not
    # have any more leaves the idea without the link.
    stakeholders = {s.key: s for s in Stakeholder.objects.filter(mission=mission)}
    ideas = {
        (i.consultation.key, i.number): i
        for i in Idea.objects.filter(mission=mission).select_related("consultation")
    }
    merges: list[tuple[Idea, int | None]] = []
    wanted_ideas = []
    now = timezone.now()
    for item in data.get("ideas") or []:
        values = read_object(item, "", IDEA_SPECS, [])
        assert values is not None  # noqa: S101
        consultation = stored[values.pop("consultation")]
        project_key, merged_number = values.pop("project"), values.pop("merged_into")
        stakeholder_key = values.pop("stakeholder")
        values["stakeholder"] = stakeholders.get(stakeholder_key) if stakeholder_key else None
        key = (consultation.key, values["number"])
        wanted_ideas.append(key)
        idea = ideas.get(key) or Idea(mission=mission, consultation=consultation)
        values["project"] = projects.get(project_key) if project_key else None
        values["hidden_at"] = (idea.hidden_at or now) if values["hidden_reason"] else None
        if values["answer"] != Answer.PENDING and idea.responded_at is None:
            values["responded_at"] = now
        exchange.save_if_changed(idea, values, "ideas", context.summary)
        ideas[key] = idea
        merges.append((idea, merged_number))
    exchange.delete_missing(ideas, wanted_ideas, "ideas", context.summary)
    for idea, merged_number in merges:
        target = ideas.get((idea.consultation.key, merged_number)) if merged_number else None
        if target != idea.merged_into and target is not idea:
            idea.merged_into = target
            Idea.objects.filter(pk=idea.pk).update(merged_into=target)


def register() -> None:
    exchange.register_section(
        exchange.Section(SECTION, export_participation, validate_participation, load_participation),
        order=330,
    )
