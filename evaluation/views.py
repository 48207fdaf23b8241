"""The criteria page of a mission: the five criteria with the checks behind them, the
failure-mode warnings, and the reviewer's verdicts. One template; htmx swaps its partials.

Every view first finds the mission through `missions.selectors.mission_detail`, scoped to the
user's organisations, so another organisation's mission answers 404 whatever the method."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from evaluation import selectors, services
from evaluation.forms import FindingDecisionForm, VerdictForm
from evaluation.models import CriterionCode, Finding
from missions.models import Mission
from missions.selectors import mission_detail

TEMPLATE = "evaluation/criteria.html"


def _mission(request: HttpRequest, org_slug: str, mission_key: str) -> Mission:
    return mission_detail(user=request.user, organisation=org_slug, key=mission_key)


def _partial(request: HttpRequest) -> bool:
    return bool(request.htmx and not request.htmx.boosted)


def _verdict_form(mission: Mission, code: str, data: Any = None) -> VerdictForm:
    return VerdictForm(data, auto_id=f"verdict-{code}-%s")


def _decision_form(finding: Finding, data: Any = None) -> FindingDecisionForm:
    return FindingDecisionForm(data, auto_id=f"warning-{finding.pk}-%s")


def _context(
    request: HttpRequest,
    mission: Mission,
    *,
    bound_verdict: tuple[str, VerdictForm] | None = None,
    bound_decision: tuple[int, FindingDecisionForm] | None = None,
) -> dict[str, Any]:
    assessment = selectors.assessment_for(mission)
    user = request.user
    criterion_items = []
    for row in assessment.criteria:
        form = (
            bound_verdict[1]
            if bound_verdict and bound_verdict[0] == row.code
            else _verdict_form(mission, row.code)
        )
        criterion_items.append({"row": row, "form": form})
    warning_items = []
    for row in assessment.warnings:
        form = (
            bound_decision[1]
            if bound_decision and bound_decision[0] == row.finding.pk
            else _decision_form(row.finding)
        )
        warning_items.append({"row": row, "form": form})
    return {
        "mission": mission,
        "organisation": mission.organisation,
        "section": "criteria",
        "can_edit": user.has_perm("missions.change_mission", mission),
        "assessment": assessment,
        "criterion_items": criterion_items,
        "warning_items": warning_items,
        "can_verdict": user.has_perm("evaluation.record_verdict", mission),
        "can_decide": user.has_perm("evaluation.decide_finding", mission),
        "can_request": user.has_perm("evaluation.request_assessment", mission),
    }


@vary_on_headers("HX-Request")
def criteria(request: HttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    return render(request, TEMPLATE, _context(request, mission))


@vary_on_headers("HX-Request")
def criteria_status(request: HttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    """The polled status region. While a run is queued or running it keeps polling; once the
    run has finished it swaps in the fresh results (out of band) and stops the polling."""
    mission = _mission(request, org_slug, mission_key)
    if not _partial(request):
        return redirect("evaluation:criteria", org_slug=org_slug, mission_key=mission_key)
    context = _context(request, mission)
    if context["assessment"].is_assessing:
        return render(request, f"{TEMPLATE}#assessment-status", context)
    context["refresh_results"] = True
    # 286: htmx swaps this response in and stops polling.
    return render(request, f"{TEMPLATE}#assessment-status", context, status=286)


@vary_on_headers("HX-Request")
def assess(request: HttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.assessment_request_by(actor=request.user, mission=mission)
    if _partial(request):
        return render(request, f"{TEMPLATE}#assessment-status", _context(request, mission))
    messages.success(request, _("An assessment has been requested."))
    return redirect("evaluation:criteria", org_slug=org_slug, mission_key=mission_key)


@vary_on_headers("HX-Request")
def verdict(request: HttpRequest, org_slug: str, mission_key: str, criterion: str) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    if criterion not in CriterionCode.values:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("evaluation.record_verdict", mission):
        raise PermissionDenied
    form = _verdict_form(mission, criterion, request.POST)
    if form.is_valid():
        try:
            services.verdict_record(
                actor=request.user, mission=mission, criterion=criterion, **form.cleaned_data
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
    saved = not form.errors
    status = 200 if saved else 422
    if _partial(request):
        context = _context(request, mission, bound_verdict=None if saved else (criterion, form))
        context["item"] = next(i for i in context["criterion_items"] if i["row"].code == criterion)
        context["verdict_saved"] = saved
        return render(request, f"{TEMPLATE}#criterion-row", context, status=status)
    if saved:
        messages.success(request, _("Your verdict has been recorded."))
        return redirect("evaluation:criteria", org_slug=org_slug, mission_key=mission_key)
    context = _context(request, mission, bound_verdict=(criterion, form))
    context["error_form"] = form
    return render(request, TEMPLATE, context, status=status)


@vary_on_headers("HX-Request")
def decide(request: HttpRequest, org_slug: str, mission_key: str, finding_id: int) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    finding = Finding.objects.filter(mission=mission, pk=finding_id).first()
    if finding is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("evaluation.decide_finding", mission):
        raise PermissionDenied
    form = _decision_form(finding, request.POST)
    if form.is_valid():
        try:
            services.finding_decide(
                actor=request.user,
                finding=finding,
                status=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
    saved = not form.errors
    status = 200 if saved else 422
    if _partial(request):
        context = _context(request, mission, bound_decision=None if saved else (finding.pk, form))
        item = next(
            (i for i in context["warning_items"] if i["row"].finding.pk == finding.pk), None
        )
        if item is None:  # resolved meanwhile
            return HttpResponse("", status=200)
        context["item"] = item
        context["decision_saved"] = saved
        return render(request, f"{TEMPLATE}#warning-row", context, status=status)
    if saved:
        messages.success(request, _("Your decision about the warning has been recorded."))
        return redirect("evaluation:criteria", org_slug=org_slug, mission_key=mission_key)
    context = _context(request, mission, bound_decision=(finding.pk, form))
    context["error_form"] = form
    return render(request, TEMPLATE, context, status=status)
