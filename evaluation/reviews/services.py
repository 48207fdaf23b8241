"""Recording a review. Reviews are history: there is no change or delete."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from evaluation.reviews.models import Independence, ProjectAction, Review, ReviewType
from missions import hooks
from missions.models import Mission


def check(
    mission: Mission, *, date: datetime.date, type: str, independence: str, findings: str,
    decisions: list[dict[str, Any]], target_changes: list[dict[str, Any]],
) -> None:  # fmt: skip
    problems: dict[str, list[str]] = {}
    if type not in ReviewType.values:
        problems.setdefault("type", []).append(_("Choose the type of review."))
    if independence not in Independence.values:
        problems.setdefault("independence", []).append(_("Choose internal or external."))
    if len(findings) > 4000:
        problems.setdefault("findings", []).append(_("Keep the findings under 4,000 characters."))
    if date > timezone.localdate():
        problems.setdefault("date", []).append(_("A review is recorded once it has happened."))
    projects = set(mission.projects.values_list("key", flat=True))
    for decision in decisions:
        if decision.get("project") not in projects or decision.get("action") not in (
            ProjectAction.values
        ):
            problems.setdefault("decisions", []).append(
                _("Each decision needs a project of this mission and an action.")
            )
            break
    targets = set(mission.targets.values_list("key", flat=True))
    for change in target_changes:
        if change.get("target") not in targets or not (change.get("change") or "").strip():
            problems.setdefault("target_changes", []).append(
                _("Each target change needs a target of this mission and what changed.")
            )
            break
        if not (change.get("reason") or "").strip():
            problems.setdefault("target_changes", []).append(_("Give the reason for the change."))
            break
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def review_record(
    *, by: User | None, mission: Mission, date: datetime.date, type: str, independence: str,
    findings: str = "", decisions: list[dict[str, Any]] | None = None,
    target_changes: list[dict[str, Any]] | None = None,
) -> Review:  # fmt: skip
    if by is not None and not by.has_perm("evaluation.record_review", mission):
        raise PermissionDenied(_("Only editors and reviewers can record reviews."))
    decisions, target_changes = decisions or [], target_changes or []
    check(
        mission, date=date, type=type, independence=independence, findings=findings,
        decisions=decisions, target_changes=target_changes,
    )  # fmt: skip
    review = Review.objects.create(
        mission=mission, date=date, type=type, independence=independence, findings=findings,
        decisions=decisions, target_changes=target_changes, created_by=by,
    )  # fmt: skip
    hooks.mission_changed(mission.pk)
    return review
