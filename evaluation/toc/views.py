"""The theory of change pages of a mission: the page (diagram, the same as a table, and the
forms to add a step and a link), and pages to change or delete a step or a link. Plain forms
that work without JavaScript. The mission is found first through `missions.pages`,
scoped to the user's organisations, so another organisation's mission answers 404 whatever
the method; a member who may not edit gets 403 on any change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from config.forms import render_form, try_service
from evaluation.toc import selectors, services
from evaluation.toc.forms import LinkEditForm, LinkForm, StepForm
from evaluation.toc.models import ToCLink, ToCNode
from missions.editing import edit_page, saved_and_back
from missions.models import Mission
from missions.pages import mission_context, mission_from_url


def _mission(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> Mission:
    return mission_from_url(request, org_slug, mission_key, permission="evaluation.view_toc")


def _editable[P: ToCNode | ToCLink](
    request: AuthenticatedHttpRequest,
    org_slug: str,
    mission_key: str,
    get: Callable[[Mission], P],
) -> tuple[Mission, P]:
    """The mission and one of its steps or links (`get`), for a page that changes it: 404 for
    another organisation's mission, then 403 for a member who may not edit, then 404 for a
    part the mission does not have."""
    mission = _mission(request, org_slug, mission_key)
    services.require_editable(request.user, mission)
    part = get(mission)
    part.mission = mission
    return mission, part


def _base(request: AuthenticatedHttpRequest, mission: Mission, **extra: Any) -> dict[str, Any]:
    return mission_context(
        request, mission, "toc", edit_permission="evaluation.change_toc", **extra
    )


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
    return render_form(
        request,
        "evaluation/toc/toc.html",
        _base(
            request,
            mission,
            page=selectors.toc_page(mission),
            step_form=step_form,
            link_form=link_form,
        ),
        step_form,
        link_form,
    )


def toc(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET"])  # the forms post to their own addresses
    return _page(request, mission)


def step_add(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])  # after the 404 for other organisations
    services.require_editable(request.user, mission)
    form = StepForm(request.POST, mission=mission)
    step = try_service(
        form, lambda: services.node_create(by=request.user, mission=mission, **form.values())
    )
    if step is None:
        return _page(request, mission, step_form=form)
    messages.success(request, _("Step “%(title)s” added.") % {"title": step.title})
    return redirect(_toc_url(mission, "add-link"))


def link_add(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])  # after the 404 for other organisations
    services.require_editable(request.user, mission)
    form = LinkForm(request.POST, mission=mission)
    link = try_service(
        form,
        lambda: services.link_create(by=request.user, mission=mission, **form.cleaned_data),
    )
    if link is None:
        return _page(request, mission, link_form=form)
    messages.success(
        request,
        _("Link added: “%(from)s” leads to “%(to)s”.")
        % {"from": link.from_node.title, "to": link.to_node.title},
    )
    return redirect(_toc_url(mission, "diagram"))


def step_edit(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, step_key: str
) -> HttpResponse:
    mission, step = _editable(
        request, org_slug, mission_key, lambda mission: selectors.step_get(mission, step_key)
    )
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
            by=request.user, node=step, expected_version=expected, **form.values()
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


def _delete_page(
    request: AuthenticatedHttpRequest,
    mission: Mission,
    remove: Callable[[], object],
    *,
    done: str,
    anchor: str,
    shown: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """The page that asks before deleting a step or a link (what `shown` gives it); POST
    `remove`s it and goes back to the page's `anchor`."""
    if request.method != "POST":
        return render(request, "evaluation/toc/delete.html", _base(request, mission, **shown()))
    remove()
    messages.success(request, done)
    return redirect(_toc_url(mission, anchor))


def step_delete(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, step_key: str
) -> HttpResponse:
    mission, step = _editable(
        request, org_slug, mission_key, lambda mission: selectors.step_get(mission, step_key)
    )
    return _delete_page(
        request,
        mission,
        lambda: services.node_delete(by=request.user, node=step),
        done=_("Step “%(title)s” deleted.") % {"title": step.title},
        anchor="steps",
        shown=lambda: {"step": step, "links": step.outgoing.count() + step.incoming.count()},
    )


def link_edit(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, link_id: int
) -> HttpResponse:
    mission, link = _editable(
        request, org_slug, mission_key, lambda mission: selectors.link_get(mission, link_id)
    )
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
            by=request.user,
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
    mission, link = _editable(
        request, org_slug, mission_key, lambda mission: selectors.link_get(mission, link_id)
    )
    return _delete_page(
        request,
        mission,
        lambda: services.link_delete(by=request.user, link=link),
        done=_("Link deleted."),
        anchor="links",
        shown=lambda: {"link": link},
    )
