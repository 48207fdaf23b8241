"""The theory of change pages of a mission: the page (diagram, the same as a table, and the
forms to add a step and a link), and pages to change or delete a step or a link. Plain forms
that work without JavaScript. The mission is found first through `selectors.toc_mission`,
scoped to the user's organisations, so another organisation's mission answers 404 whatever
the method; a member who may not edit gets 403 on any change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from config.forms import add_service_error
from evaluation.toc import selectors, services
from evaluation.toc.forms import LinkEditForm, LinkForm, StepForm
from missions.editing import edit_page, saved_and_back
from missions.models import Mission


def _require_edit(request: AuthenticatedHttpRequest, mission: Mission) -> None:
    services.require_editable(request.user, mission)


def _base(request: AuthenticatedHttpRequest, mission: Mission, **extra: Any) -> dict[str, Any]:
    return {
        "mission": mission,
        "organisation": mission.organisation,
        "section": "toc",
        "can_edit": request.user.has_perm("evaluation.change_toc", mission),
        **extra,
    }


def _toc_url(mission: Mission, anchor: str = "") -> str:
    url = reverse(
        "evaluation:toc",
        kwargs={"org_slug": mission.organisation.slug, "mission_key": mission.key},
    )
    return f"{url}#{anchor}" if anchor else url


def _page(
    request: AuthenticatedHttpRequest,
    mission: Mission,
    *,
    step_form: StepForm | None = None,
    link_form: LinkForm | None = None,
) -> HttpResponse:
    step_form = step_form or StepForm(mission=mission)
    link_form = link_form or LinkForm(mission=mission)
    return render(
        request,
        "evaluation/toc/toc.html",
        _base(
            request,
            mission,
            page=selectors.toc_page(mission),
            step_form=step_form,
            link_form=link_form,
        ),
        status=422 if step_form.errors or link_form.errors else 200,
    )


def toc(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = selectors.toc_mission(user=request.user, organisation=org_slug, key=mission_key)
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET"])  # the forms post to their own addresses
    return _page(request, mission)


def step_add(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = selectors.toc_mission(user=request.user, organisation=org_slug, key=mission_key)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])  # after the 404 for other organisations
    _require_edit(request, mission)
    form = StepForm(request.POST, mission=mission)
    if form.is_valid():
        try:
            step = services.node_create(actor=request.user, mission=mission, **form.values())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Step “%(title)s” added.") % {"title": step.title})
            return redirect(_toc_url(mission, "add-link"))
    return _page(request, mission, step_form=form)


def link_add(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = selectors.toc_mission(user=request.user, organisation=org_slug, key=mission_key)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])  # after the 404 for other organisations
    _require_edit(request, mission)
    form = LinkForm(request.POST, mission=mission)
    if form.is_valid():
        try:
            link = services.link_create(actor=request.user, mission=mission, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Link added: “%(from)s” leads to “%(to)s”.")
                % {"from": link.from_node.title, "to": link.to_node.title},
            )
            return redirect(_toc_url(mission, "diagram"))
    return _page(request, mission, link_form=form)


def step_edit(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, step_key: str
) -> HttpResponse:
    mission = selectors.toc_mission(user=request.user, organisation=org_slug, key=mission_key)
    _require_edit(request, mission)
    step = selectors.step_get(mission, step_key)
    step.mission = mission
    form = (
        StepForm(request.POST, mission=mission)
        if request.method == "POST"
        else StepForm(
            mission=mission,
            initial={
                "kind": step.kind,
                "title": step.title,
                "description": step.description,
                "project": step.project,
                "target": step.target,
                "indicators": list(step.indicators.all()),
                "version": step.version,
            },
        )
    )
    return edit_page(
        request,
        form,
        lambda _fields, expected: services.node_update(
            actor=request.user, node=step, expected_version=expected, **form.values()
        ),
        shown_version=step.version,
        template="evaluation/toc/step_edit.html",
        context=_base(request, mission, step=step),
        done=lambda result: saved_and_back(
            request,
            result,
            _("Step “%(title)s” saved.") % {"title": step.title},
            _toc_url(mission, "steps"),
        ),
    )


def step_delete(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, step_key: str
) -> HttpResponse:
    mission = selectors.toc_mission(user=request.user, organisation=org_slug, key=mission_key)
    _require_edit(request, mission)
    step = selectors.step_get(mission, step_key)
    step.mission = mission
    if request.method == "POST":
        services.node_delete(actor=request.user, node=step)
        messages.success(request, _("Step “%(title)s” deleted.") % {"title": step.title})
        return redirect(_toc_url(mission, "steps"))
    links = step.outgoing.count() + step.incoming.count()
    return render(
        request, "evaluation/toc/delete.html", _base(request, mission, step=step, links=links)
    )


def link_edit(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, link_id: int
) -> HttpResponse:
    mission = selectors.toc_mission(user=request.user, organisation=org_slug, key=mission_key)
    _require_edit(request, mission)
    link = selectors.link_get(mission, link_id)
    link.mission = mission
    form = (
        LinkEditForm(request.POST)
        if request.method == "POST"
        else LinkEditForm(
            initial={
                "assumption": link.assumption,
                "evidence": link.evidence,
                "version": link.version,
            }
        )
    )
    return edit_page(
        request,
        form,
        lambda fields, expected: services.link_update(
            actor=request.user,
            link=link,
            expected_version=expected,
            assumption=fields["assumption"],
            evidence=fields["evidence"],
        ),
        template="evaluation/toc/link_edit.html",
        context=_base(request, mission, link=link),
        done=lambda result: saved_and_back(
            request, result, _("Link saved."), _toc_url(mission, "links")
        ),
    )


def link_delete(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, link_id: int
) -> HttpResponse:
    mission = selectors.toc_mission(user=request.user, organisation=org_slug, key=mission_key)
    _require_edit(request, mission)
    link = selectors.link_get(mission, link_id)
    link.mission = mission
    if request.method == "POST":
        services.link_delete(actor=request.user, link=link)
        messages.success(request, _("Link deleted."))
        return redirect(_toc_url(mission, "links"))
    return render(request, "evaluation/toc/delete.html", _base(request, mission, link=link))
