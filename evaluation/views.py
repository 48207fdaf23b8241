"""The criteria page of a mission: the five criteria with the checks behind them, the
failure-mode warnings, and the reviewer's verdicts. One template; htmx swaps its partials.

Every view first finds the mission through `missions.selectors.mission_detail`, scoped to the
user's organisations, so another organisation's mission answers 404 whatever the method."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from accounts.selectors import organisation_for
from config.forms import render_form, try_service
from evaluation import selectors, services
from evaluation.forms import FindingDecisionForm, GoNoGoForm, ReadinessForm, VerdictForm
from evaluation.models import CriterionCode, Finding, ReadinessCheck
from evaluation.readiness import ADVICE, answer_rows
from missions.forms import MissionStartForm
from missions.models import Mission
from missions.pages import mission_context, mission_from_url, require_permission
from missions.selectors import challenge_list
from missions.services import mission_create

TEMPLATE = "evaluation/criteria.html"


def _partial(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx and not request.htmx.boosted)


def _mission(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> Mission:
    """The mission of the criteria page and its parts, which read its assessment and never its
    targets or projects: the mission alone."""
    return mission_from_url(request, org_slug, mission_key, parts="none")


def _verdict_form(mission: Mission, code: str, data: Any = None) -> VerdictForm:
    return VerdictForm(data, auto_id=f"verdict-{code}-%s")


def _decision_form(finding: Finding, data: Any = None) -> FindingDecisionForm:
    return FindingDecisionForm(data, auto_id=f"warning-{finding.pk}-%s")


def _context(
    request: AuthenticatedHttpRequest,
    mission: Mission,
    *,
    bound_verdict: tuple[str, VerdictForm] | None = None,
    bound_decision: tuple[int, FindingDecisionForm] | None = None,
    gonogo_form: GoNoGoForm | None = None,
) -> dict[str, Any]:
    # When the page's data was read: an out-of-band refresh read earlier than a part the person
    # has just saved must not put the older copy back (static/js/init.mjs).
    read_at_ms = time.time_ns() // 1_000_000
    assessment = selectors.assessment_for(mission)
    gonogo = selectors.gonogo_for(mission, assessment.last_run)
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
    for warning in assessment.warnings:
        decision_form = (
            bound_decision[1]
            if bound_decision and bound_decision[0] == warning.finding.pk
            else _decision_form(warning.finding)
        )
        warning_items.append({"row": warning, "form": decision_form})
    return mission_context(
        request,
        mission,
        "criteria",
        assessment=assessment,
        criterion_items=criterion_items,
        warning_items=warning_items,
        can_verdict=user.has_perm("evaluation.record_verdict", mission),
        can_decide=user.has_perm("evaluation.decide_finding", mission),
        can_request=user.has_perm("evaluation.request_assessment", mission),
        gonogo=gonogo,
        gonogo_form=gonogo_form or _gonogo_form(gonogo),
        can_gonogo=user.has_perm("evaluation.record_gonogo", mission),
        readiness=next(iter(selectors.readiness_checks_for(mission, limit=1)), None),
        read_at_ms=read_at_ms,
    )


def _whole_page_after(
    request: HtmxHttpRequest,
    mission: Mission,
    form: forms.Form,
    note: str,
    *,
    anchor: str = "",
    **bound: Any,
) -> HttpResponse:
    """Without htmx, after a verdict, a warning decision or a go/no-go review was sent: back to
    the page (at `anchor`) with `note` once saved, else the whole page with the refused form
    (`bound`, for `_context`) and its errors summarised at the top."""
    if not form.errors:
        messages.success(request, note)
        url = reverse("evaluation:criteria", args=[mission.organisation.slug, mission.key])
        return redirect(f"{url}#{anchor}" if anchor else url)
    context = _context(request, mission, **bound)
    context["error_form"] = form
    return render(request, TEMPLATE, context, status=422)


def _gonogo_form(gonogo: selectors.GoNoGoPanel, data: Any = None) -> GoNoGoForm:
    """The go/no-go form, starting from the latest review's answers."""
    initial = {}
    for row in gonogo.rows:
        if row.answer is not None:
            initial[f"{row.item.value}_decision"] = row.answer.decision
            initial[f"{row.item.value}_rationale"] = row.answer.rationale
    return GoNoGoForm(data, initial=initial, auto_id="gonogo-%s")


@vary_on_headers("HX-Request")
def criteria(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    return render(request, TEMPLATE, _context(request, mission))


@vary_on_headers("HX-Request")
def criteria_status(request: HtmxHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    """The polled status region. While a run is queued or running it keeps polling; once the
    run has finished it swaps in the fresh results (out of band) and stops the polling."""
    mission = _mission(request, org_slug, mission_key)
    if not _partial(request):
        return redirect("evaluation:criteria", org_slug=org_slug, mission_key=mission_key)
    context = _context(request, mission)
    if context["assessment"].is_assessing:
        return render(request, f"{TEMPLATE}#assessment-status", context)
    context["refresh_results"] = True
    context.update(selectors.header_summary(mission))  # the header panel, swapped out of band
    # 286: htmx swaps this response in and stops polling.
    return render(request, f"{TEMPLATE}#assessment-status", context, status=286)


@vary_on_headers("HX-Request")
def assess(request: HtmxHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.assessment_request_by(by=request.user, mission=mission)
    if _partial(request):
        return render(request, f"{TEMPLATE}#assessment-status", _context(request, mission))
    messages.success(request, _("An assessment has been requested."))
    return redirect("evaluation:criteria", org_slug=org_slug, mission_key=mission_key)


@vary_on_headers("HX-Request")
def verdict(
    request: HtmxHttpRequest, org_slug: str, mission_key: str, criterion: str
) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    if criterion not in CriterionCode.values:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require_permission(request, "evaluation.record_verdict", mission)
    form = _verdict_form(mission, criterion, request.POST)
    try_service(
        form,
        lambda: services.verdict_record(
            by=request.user, mission=mission, criterion=criterion, **form.cleaned_data
        ),
    )
    saved = not form.errors
    if _partial(request):
        context = _context(request, mission, bound_verdict=None if saved else (criterion, form))
        context["item"] = next(i for i in context["criterion_items"] if i["row"].code == criterion)
        context["verdict_saved"] = saved
        return render_form(request, f"{TEMPLATE}#criterion-row", context, form)
    note = _("Your verdict has been recorded.")
    return _whole_page_after(request, mission, form, note, bound_verdict=(criterion, form))


@vary_on_headers("HX-Request")
def decide(
    request: HtmxHttpRequest, org_slug: str, mission_key: str, finding_id: int
) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    finding = Finding.objects.filter(mission=mission, pk=finding_id).first()
    if finding is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require_permission(request, "evaluation.decide_finding", mission)
    form = _decision_form(finding, request.POST)
    try_service(
        form,
        lambda: services.finding_decide(
            by=request.user,
            finding=finding,
            status=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        ),
    )
    saved = not form.errors
    if _partial(request):
        context = _context(request, mission, bound_decision=None if saved else (finding.pk, form))
        item = next(
            (i for i in context["warning_items"] if i["row"].finding.pk == finding.pk), None
        )
        if item is None:  # resolved meanwhile
            return HttpResponse("", status=200)
        context["item"] = item
        context["decision_saved"] = saved
        return render_form(request, f"{TEMPLATE}#warning-row", context, form)
    note = _("Your decision about the warning has been recorded.")
    return _whole_page_after(request, mission, form, note, bound_decision=(finding.pk, form))


@vary_on_headers("HX-Request")
def criteria_summary(request: HtmxHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    """The header panel on its own, for htmx: polled while an assessment is under way and
    fetched again after any inline save (the `missionChanged` event)."""
    mission = _mission(request, org_slug, mission_key)
    if not _partial(request):
        return redirect("evaluation:criteria", org_slug=org_slug, mission_key=mission_key)
    context = {**selectors.header_summary(mission), "mission": mission}
    return render(request, "evaluation/_criteria_summary.html", context)


@vary_on_headers("HX-Request")
def gonogo(request: HtmxHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    """Record a go/no-go review (reviewers, leads and administrators)."""
    mission = _mission(request, org_slug, mission_key)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require_permission(request, "evaluation.record_gonogo", mission)
    form = GoNoGoForm(request.POST, auto_id="gonogo-%s")
    try_service(
        form,
        lambda: services.gonogo_record(by=request.user, mission=mission, answers=form.answers()),
    )
    saved = not form.errors
    if _partial(request):
        context = _context(request, mission, gonogo_form=None if saved else form)
        context["gonogo_saved"] = saved
        return render_form(request, f"{TEMPLATE}#gonogo", context, form)
    note = _("Your go/no-go review has been recorded.")
    return _whole_page_after(request, mission, form, note, anchor="gonogo", gonogo_form=form)


# --- Readiness check ---------------------------------------------------------------------------

READINESS_TEMPLATE = "evaluation/readiness.html"


def _readiness_context(check: ReadinessCheck | None) -> dict[str, Any]:
    if check is None:
        return {}
    return {
        "check": check,
        "advice": ADVICE[check.advice],
        "answer_rows": answer_rows(check.answers),
    }


def _readiness_post(
    request: AuthenticatedHttpRequest, organisation: Any, mission: Mission | None
) -> tuple[ReadinessForm, ReadinessCheck | None]:
    form = ReadinessForm(request.POST or None, auto_id="readiness-%s")
    check = try_service(
        form,
        lambda: services.readiness_check_record(
            by=request.user, organisation=organisation, mission=mission, answers=form.answers()
        ),
    )
    return form, check


def readiness(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """The readiness check on its own, before a mission exists."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    require_permission(request, "evaluation.take_readiness_check", organisation)
    form, check = _readiness_post(request, organisation, None)
    if check is not None:
        return redirect("evaluation:readiness_result", org_slug=org_slug, check_id=check.pk)
    return render_form(
        request,
        READINESS_TEMPLATE,
        {"organisation": organisation, "form": form, "error_form": form},
        form,
    )


def readiness_result(
    request: AuthenticatedHttpRequest, org_slug: str, check_id: int
) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    check = ReadinessCheck.objects.filter(organisation=organisation, pk=check_id).first()
    if check is None:
        raise Http404
    if check.mission is not None:
        return redirect("evaluation:mission_readiness", org_slug, check.mission.key)
    return render(
        request,
        "evaluation/readiness_result.html",
        {
            "organisation": organisation,
            "can_start": request.user.has_perm("missions.add_mission", organisation),
            **_readiness_context(check),
        },
    )


def readiness_start_mission(
    request: AuthenticatedHttpRequest, org_slug: str, check_id: int
) -> HttpResponse:
    """ "Start a mission" from a readiness check: the usual start form, with the check's notes
    carried along, and the check attached to the new mission."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    check = ReadinessCheck.objects.filter(
        organisation=organisation, pk=check_id, mission__isnull=True
    ).first()
    if check is None:
        raise Http404
    require_permission(request, "missions.add_mission", organisation)
    answers = check.answers
    initial = {
        "challenge_title": (answers.get("challenge", {}).get("note") or "")[:120],
        "statement": (answers.get("objective", {}).get("note") or "")[:600],
    }
    form = MissionStartForm(request.POST or None, initial=initial, organisation=organisation)
    mission = try_service(form, lambda: _start_with_check(request, organisation, check, form))
    if mission is not None:
        messages.success(
            request,
            _("Mission “%(title)s” started as a draft, with your readiness check.")
            % {"title": mission},
        )
        return redirect("missions:overview", org_slug=org_slug, mission_key=mission.key)
    return render_form(
        request,
        "evaluation/readiness_start.html",
        {
            "organisation": organisation,
            "form": form,
            "challenges": challenge_list(user=request.user, organisation=organisation),
            **_readiness_context(check),
        },
        form,
    )


def _start_with_check(
    request: AuthenticatedHttpRequest,
    organisation: Any,
    check: ReadinessCheck,
    form: MissionStartForm,
) -> Mission:
    mission = mission_create(by=request.user, organisation=organisation, **form.cleaned_data)
    services.readiness_check_attach(by=request.user, check=check, mission=mission)
    return mission


def mission_readiness(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    """The readiness check for an existing mission: the latest result and a form to take it
    (again). Every check is kept."""
    mission = mission_from_url(request, org_slug, mission_key)
    can_take = request.user.has_perm("evaluation.take_readiness_check", mission)
    if request.method == "POST" and not can_take:
        raise PermissionDenied
    form, check = _readiness_post(request, mission.organisation, mission)
    if check is not None:
        messages.success(request, _("Your readiness check has been saved."))
        return redirect("evaluation:mission_readiness", org_slug, mission_key)
    checks = selectors.readiness_checks_for(mission)
    context = {
        "mission": mission,
        "organisation": mission.organisation,
        "section": "criteria",
        "form": form,
        "error_form": form,
        "can_take": can_take,
        "checks": checks,
        **_readiness_context(checks[0] if checks else None),
    }
    return render_form(request, "evaluation/mission_readiness.html", context, form)
