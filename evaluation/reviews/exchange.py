"""The "reviews" section of the exchange format (and so of snapshots and of the assessment
input, read by EVAL_NO_REVIEW and LOCKIN_NO_PRUNING):

    "reviews": [{"date", "type", "independence", "findings",
                 "decisions": [{"project", "action", "reason"}],
                 "target_changes": [{"target", "change", "reason"}], "recorded_at"}]

Oldest first. Importing adds the reviews the mission does not have yet (matched by date, type
and time recorded) and never changes or deletes one: reviews are history.
"""

from __future__ import annotations

from typing import Any

from evaluation.reviews.models import Independence, ProjectAction, Review, ReviewType
from missions import exchange
from missions.exchange import ExchangeError, FieldSpec, SectionContext, read_object
from missions.models import Mission

SECTION = "reviews"
REVIEW_SPECS = [
    FieldSpec("date", "date", required=True),
    FieldSpec("type", "str", required=True, choices=ReviewType),
    FieldSpec("independence", "str", required=True, choices=Independence),
    FieldSpec("findings", "str", max_length=4000, default=""),
    FieldSpec("recorded_at", "datetime"),
]
DECISION_SPECS = [
    FieldSpec("project", "key", required=True),
    FieldSpec("action", "str", required=True, choices=ProjectAction),
    FieldSpec("reason", "str", max_length=500, default=""),
]
CHANGE_SPECS = [
    FieldSpec("target", "key", required=True),
    FieldSpec("change", "str", required=True, max_length=500),
    FieldSpec("reason", "str", required=True, max_length=500),
]


def export_reviews(mission: Mission) -> list[dict[str, Any]]:
    # Plain rows (values_list), not model instances: this runs in every assessment.
    rows = (
        Review.objects.filter(mission=mission)
        .order_by("date", "created_at", "pk")
        .values_list(
            "date", "type", "independence", "findings", "decisions", "target_changes", "created_at"
        )
    )
    return [
        {
            "date": date.isoformat(),
            "type": kind,
            "independence": independence,
            "findings": findings,
            "decisions": list(decisions),
            "target_changes": list(target_changes),
            "recorded_at": created_at.isoformat(),
        }
        for date, kind, independence, findings, decisions, target_changes, created_at in rows
    ]


def validate_reviews(data: Any, path: str, context: SectionContext) -> list[ExchangeError]:
    errors: list[ExchangeError] = []
    for item_path, item, _review in exchange.read_items(data, path, REVIEW_SPECS, errors):
        # A decision has nothing to check beyond its own fields.
        list(
            exchange.read_items(
                item.get("decisions"), f"{item_path}.decisions", DECISION_SPECS, errors
            )
        )
        for c_path, _item, change in exchange.read_items(
            item.get("target_changes"), f"{item_path}.target_changes", CHANGE_SPECS, errors
        ):
            if change.get("target") and change["target"] not in context.target_keys:
                errors.append(exchange.unknown_target(f"{c_path}.target", change["target"]))
    return errors


def load_reviews(mission: Mission, data: list[dict[str, Any]], context: SectionContext) -> None:
    stored = {(r.date, r.type, r.created_at) for r in Review.objects.filter(mission=mission)}
    for item in data:
        values = read_object(item, "", REVIEW_SPECS, [])
        assert values is not None  # validated before loading  # noqa: S101
        if (values["date"], values["type"], values["recorded_at"]) in stored:
            continue
        review = Review(
            mission=mission,
            date=values["date"],
            type=values["type"],
            independence=values["independence"],
            findings=values["findings"],
            decisions=[read_object(d, "", DECISION_SPECS, []) for d in item.get("decisions") or []],
            target_changes=[
                read_object(c, "", CHANGE_SPECS, []) for c in item.get("target_changes") or []
            ],
            created_by=context.user,
        )
        if values["recorded_at"] is not None:
            review.created_at = values["recorded_at"]
        review.save()
        context.summary.count("created", "reviews")


def register() -> None:
    exchange.register_section(
        exchange.Section(SECTION, export_reviews, validate_reviews, load_reviews), order=410
    )
