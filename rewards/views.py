"""The risks-and-rewards pages: a mission's projects with their public-value terms and
conditions (and the forms that record them), and the organisation's portfolio view."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from missions.editing import edit_page, saved_and_back
from missions.models import Mission
from missions.pages import (
    mission_context,
    mission_from_url,
    organisation_from_url,
    post_only,
    require_permission,
)
from rewards import selectors, services
from rewards.forms import ConditionForm, TermsForm
from rewards.models import ProjectTerms, RewardCondition

EDIT = "missions.change_mission"


def _page_url(mission: Mission, anchor: str = "") -> str:
    url = reverse("rewards:mission", args=[mission.organisation.slug, mission.key])
    return f"{url}#{anchor}" if anchor else url


def _context(request: AuthenticatedHttpRequest, mission: Mission, **extra: Any) -> dict[str, Any]:
    return mission_context(request, mission, "rewards", **extra)


def mission_page(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    rows, picture = selectors.mission_projects(mission)
    return render(
        request,
        "rewards/mission.html",
        _context(request, mission, rows=rows, picture=picture),
    )


def terms_edit(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, project_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    project = selectors.project_of(mission, project_key)
    require_permission(request, EDIT, mission)
    terms = selectors.terms_of(project)
    form = TermsForm(
        request.POST or None,
        instance=terms or ProjectTerms(mission=mission, project=project),
        initial={"version": terms.version if terms else None},
    )

    def save(fields: Mapping[str, Any], expected: int) -> ProjectTerms:
        fresh = selectors.project_of(mission, project_key)
        return services.terms_save(
            by=request.user, project=fresh, expected_version=expected, **fields
        )

    return edit_page(
        request,
        form,
        save,
        template="rewards/terms.html",
        context=_context(request, mission, project=project, terms=terms),
        done=lambda result: saved_and_back(
            request,
            result,
            _("Terms of “%(project)s” saved.") % {"project": project.title},
            _page_url(mission, f"project-{project.key}"),
        ),
        shown_version=terms.version if terms else 0,
    )


def terms_delete(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, project_key: str
) -> HttpResponse:
    """POST: remove a project's terms (recorded by mistake, say); its conditions stay."""
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    project = selectors.project_of(mission, project_key)
    if refused := post_only(request):
        return refused
    require_permission(request, EDIT, mission)
    terms = selectors.terms_of(project)
    if terms is not None:
        services.terms_delete(by=request.user, terms=terms)
        messages.success(request, _("Terms of “%(project)s” removed.") % {"project": project.title})
    return redirect(_page_url(mission, f"project-{project.key}"))


def condition_add(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, project_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    project = selectors.project_of(mission, project_key)
    require_permission(request, EDIT, mission)
    form = ConditionForm(
        request.POST or None, instance=RewardCondition(mission=mission, project=project)
    )

    def save(fields: Mapping[str, Any], _expected: int) -> RewardCondition:
        values = dict(fields)
        return services.condition_create(
            by=request.user,
            project=selectors.project_of(mission, project_key),
            description=values.pop("description"),
            **values,
        )

    return edit_page(
        request,
        form,
        save,
        template="rewards/condition.html",
        context=_context(request, mission, project=project, condition=None),
        done=lambda result: saved_and_back(
            request,
            result,
            _("Condition added to “%(project)s”.") % {"project": project.title},
            _page_url(mission, f"project-{project.key}"),
        ),
    )


def condition_edit(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, condition_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    condition = selectors.condition_of(mission, condition_key)
    require_permission(request, EDIT, mission)
    form = ConditionForm(
        request.POST or None, instance=condition, initial={"version": condition.version}
    )

    def save(fields: Mapping[str, Any], expected: int) -> RewardCondition:
        return services.condition_update(
            by=request.user,
            condition=selectors.condition_of(mission, condition_key),
            expected_version=expected,
            **fields,
        )

    return edit_page(
        request,
        form,
        save,
        template="rewards/condition.html",
        context=_context(request, mission, project=condition.project, condition=condition),
        done=lambda result: saved_and_back(
            request,
            result,
            _("Condition saved."),
            _page_url(mission, f"project-{condition.project.key}"),
        ),
        shown_version=condition.version,
    )


def condition_delete(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, condition_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    condition = selectors.condition_of(mission, condition_key)
    if refused := post_only(request):
        return refused
    require_permission(request, EDIT, mission)
    services.condition_delete(by=request.user, condition=condition)
    messages.success(request, _("Condition removed."))
    return redirect(_page_url(mission, f"project-{condition.project.key}"))


def portfolio(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    organisation = organisation_from_url(request, org_slug)
    missions, partners = selectors.portfolio(user=request.user, organisation=organisation)
    return render(
        request,
        "rewards/portfolio.html",
        {
            "organisation": organisation,
            "missions": missions,
            "partners": partners,
            "flagged": sum(1 for line in missions if line.picture.flagged),
        },
    )
