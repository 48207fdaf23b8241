"""The reviews page of a mission: the history of reviews, and the form to record one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from config.forms import render_form, try_service
from evaluation.reviews import services
from evaluation.reviews.forms import ReviewForm
from evaluation.reviews.models import ProjectAction, Review
from missions.pages import mission_from_url


def reviews(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    can_record = request.user.has_perm("evaluation.record_review", mission)
    form = ReviewForm(mission=mission)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("Only editors and reviewers can record reviews."))
        form = ReviewForm(request.POST, mission=mission)
        recorded = try_service(
            form,
            lambda: services.review_record(
                by=request.user, mission=mission, **form.review_values()
            ),
        )
        if recorded is not None:
            messages.success(request, _("Review recorded."))
            return redirect("evaluation:reviews", org_slug=org_slug, mission_key=mission_key)
    titles = {p.key: p.title for p in mission.projects.all()}
    targets = {t.key: t.title for t in mission.targets.all()}
    actions = dict(ProjectAction.choices)
    rows = []
    for review in Review.objects.filter(mission=mission).select_related("created_by"):
        rows.append(
            {
                "review": review,
                "decisions": [
                    (titles.get(d["project"], d["project"]), actions.get(d["action"], d["action"]))
                    for d in review.decisions
                ],
                "changes": [
                    (targets.get(c["target"], c["target"]), c["change"], c["reason"])
                    for c in review.target_changes
                ],
            }
        )
    return render_form(
        request,
        "evaluation/reviews.html",
        {
            "mission": mission,
            "organisation": mission.organisation,
            "section": "reviews",
            "can_edit": can_record,
            "rows": rows,
            "form": form,
        },
        form,
    )
