"""Mission pages: list, start, overview (inline-edited groups), targets, projects, map, history,
exchange-format export and import, and the actor register.

Each page is one template; the parts htmx swaps are `{% partialdef %}` blocks inside it. Without
JavaScript every "Change" link opens the same page with that part in edit mode.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from accounts.selectors import organisation_for
from config.forms import render_form, try_service
from config.inputs import whole_number
from config.wording import in_sentence
from missions import copying, selectors, services
from missions.editing import NOTHING_CHANGED, announce_change, edit_page, form_fields, submit
from missions.forms import (
    MISSION_GROUPS,
    MilestoneEditForm,
    MilestoneForm,
    MissionCopyForm,
    MissionStartForm,
    ProjectForm,
    TargetForm,
)
from missions.mission_map import mission_map_svg
from missions.models import (
    Instrument,
    Milestone,
    Mission,
    MissionProject,
    MissionStatus,
    Stage,
    Target,
)
from missions.pages import mission_context, mission_from_url, post_only, require_permission
from missions.workflow import transitions_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# --- List, start, import, export -------------------------------------------------------------


def mission_list(request: HtmxHttpRequest, org_slug: str) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    search = request.GET.get("q", "").strip()[:200]
    status = request.GET.get("status", "")
    if status not in MissionStatus.values:
        status = ""
    include_archived = request.GET.get("archived") == "1"
    filters: selectors.MissionFilters = {
        "organisation": organisation,
        "search": search,
        "status": status,
        "include_archived": include_archived,
    }
    if request.GET.get("format") == "csv":
        missions = selectors.mission_queryset(user=request.user, **filters)
        response = HttpResponse(selectors.missions_csv(missions), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-missions.csv"'
        return response
    page = selectors.mission_list(user=request.user, page=request.GET.get("page", 1), **filters)
    query = request.GET.copy()
    query.pop("page", None)
    template = "missions/list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(
        request,
        template,
        {
            "organisation": organisation,
            "page": page,
            "search": search,
            "status": status,
            "include_archived": include_archived,
            "statuses": MissionStatus.choices,
            "query": query.urlencode(),
            "can_add": request.user.has_perm("missions.add_mission", organisation),
            "can_import": request.user.has_perm("missions.import_missions", organisation),
            "covering_note_limit": _covering_note_limit(),
        },
    )


def _covering_note_limit() -> int:
    """The longest covering note the pack form may send (the documents app takes the pack
    request and sets the limit); 0 when that app is not installed."""
    from django.apps import apps

    if not apps.is_installed("documents"):
        return 0
    return getattr(apps.get_app_config("documents"), "covering_note_limit", 0)


def mission_start(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    require_permission(request, "missions.add_mission", organisation)
    form = MissionStartForm(request.POST or None, organisation=organisation)
    mission = try_service(
        form,
        lambda: services.mission_create(
            by=request.user, organisation=organisation, **form.cleaned_data
        ),
    )
    if mission is not None:
        messages.success(request, _("Mission “%(title)s” started as a draft.") % {"title": mission})
        return redirect("missions:overview", org_slug=org_slug, mission_key=mission.key)
    challenges = selectors.challenge_list(user=request.user, organisation=organisation)
    return render_form(
        request,
        "missions/start.html",
        {"organisation": organisation, "form": form, "challenges": challenges},
        form,
    )


def mission_copy(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """Start a mission from a copy of one of the organisation's missions (`?from=` names it)."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    require_permission(request, "missions.add_mission", organisation)
    missions = Mission.objects.visible_to(request.user).filter(organisation=organisation)
    initial = {}
    if request.method != "POST" and (chosen := request.GET.get("from")):
        initial["source"] = missions.filter(key=chosen).first()
    form = MissionCopyForm(
        request.POST or None, missions=missions.order_by("title"), initial=initial
    )
    mission = try_service(
        form,
        lambda: copying.mission_copy(
            by=request.user,
            source=form.cleaned_data["source"],
            title=form.cleaned_data["title"],
            parts=form.cleaned_data["parts"],
        ),
    )
    if mission is not None:
        messages.success(
            request, _("Mission “%(title)s” started as a draft from a copy.") % {"title": mission}
        )
        return redirect("missions:overview", org_slug=org_slug, mission_key=mission.key)
    return render_form(
        request, "missions/copy.html", {"organisation": organisation, "form": form}, form
    )


# --- Overview and its inline-edited groups ---------------------------------------------------


@vary_on_headers("HX-Request")
def mission_overview(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="overview")
    return _render_overview(request, mission)


def _render_overview(
    request: AuthenticatedHttpRequest,
    mission: Mission,
    *,
    editing: str = "",
    form: BaseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = mission_context(request, mission, "overview")
    transitions = transitions_for(mission=mission, user=request.user)
    context.update(
        {
            "groups": [(name, label) for name, (_form, label) in MISSION_GROUPS.items()],
            "editing": editing,
            "form": form,
            "my_steps": [t for t in transitions if t.allowed],
            "other_steps": [t for t in transitions if not t.allowed],
            "can_archive": request.user.has_perm("missions.archive_mission", mission),
            "can_copy": request.user.has_perm("missions.add_mission", mission.organisation),
            "can_restore": request.user.has_perm("missions.restore_mission", mission),
            "can_delete": request.user.has_perm("missions.delete_mission", mission),
        }
    )
    return render(request, "missions/overview.html", context, status=status)


@vary_on_headers("HX-Request")
def mission_group_edit(
    request: HtmxHttpRequest, org_slug: str, mission_key: str, group: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="overview")
    if group not in MISSION_GROUPS:
        return render(request, "404.html", status=404)
    require_permission(request, "missions.change_mission", mission)
    form_class, label = MISSION_GROUPS[group]
    form = form_class(
        request.POST or None,
        instance=mission,
        organisation=mission.organisation,
        initial={"version": mission.version},
    )
    result = submit(
        request,
        form,
        lambda fields, expected: services.mission_update(
            by=request.user,
            mission=Mission.objects.get(pk=mission.pk),
            expected_version=expected,
            **fields,
        ),
        shown_version=mission.version,
    )
    if result is not None and result.saved is not None:
        changed = result.changed
        mission = mission_from_url(request, org_slug, mission_key, parts="overview")
        if request.htmx:
            shown = _group(request, mission, group, label, saved=True, changed=changed)
            return announce_change(shown, changed)
        if changed:
            messages.success(request, _("Saved: %(part)s.") % {"part": label})
        else:
            messages.info(request, _("Nothing changed: %(part)s.") % {"part": label})
        return redirect("missions:overview", org_slug=org_slug, mission_key=mission_key)
    status = result.status if result is not None else 200
    if request.htmx:
        return _group(request, mission, group, label, status=status, editing=group, form=form)
    return _render_overview(request, mission, editing=group, form=form, status=status)


def _group(
    request: HtmxHttpRequest,
    mission: Mission,
    group: str,
    label: StrOrPromise,
    *,
    status: int = 200,
    **shown: Any,
) -> HttpResponse:
    """One group of the overview on its own, for htmx: in edit mode, or as just saved."""
    context = mission_context(request, mission, "overview", group=group, label=label, **shown)
    return render(request, "missions/overview.html#group", context, status=status)


def mission_transition(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, transition: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    if response := post_only(request):
        return response
    try:
        services.mission_transition(by=request.user, mission=mission, transition=transition)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        mission.refresh_from_db()
        messages.success(
            request,
            _("The mission is now %(status)s.")
            % {"status": in_sentence(mission.get_status_display())},
        )
    return redirect("missions:overview", org_slug=org_slug, mission_key=mission_key)


def mission_archive(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    if response := post_only(request):
        return response
    if request.POST.get("action") == "restore":
        services.mission_restore(by=request.user, mission=mission)
        messages.success(request, _("The mission was restored."))
    else:
        services.mission_archive(by=request.user, mission=mission)
        messages.success(
            request, _("The mission was archived. It stays readable and can be restored.")
        )
    return redirect("missions:overview", org_slug=org_slug, mission_key=mission_key)


def mission_delete(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    require_permission(request, "missions.delete_mission", mission)
    if request.method == "POST":
        try:
            services.mission_delete_draft(by=request.user, mission=mission)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("missions:overview", org_slug=org_slug, mission_key=mission_key)
        messages.success(request, _("The draft “%(title)s” was deleted.") % {"title": mission})
        return redirect("missions:list", org_slug=org_slug)
    return render(request, "missions/delete.html", mission_context(request, mission, "overview"))


# --- Targets and milestones ------------------------------------------------------------------


@vary_on_headers("HX-Request")
def mission_targets(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    """The targets page; POST adds a target."""
    mission = mission_from_url(request, org_slug, mission_key)
    form = _new_target_form(mission, request.POST or None)
    if request.method == "POST":
        require_permission(request, "missions.change_mission", mission)
        target = try_service(
            form,
            lambda: services.target_create(by=request.user, mission=mission, **form_fields(form)),
        )
        if target is not None:
            messages.success(request, _("Target “%(title)s” added.") % {"title": target})
            return redirect(_card_url(org_slug, mission_key, "targets", target.key))
    return _section_page(request, mission, "targets", form)


def _new_target_form(mission: Mission, data: Any = None) -> TargetForm:
    """The add-target form. A mission's first target is its headline target unless the person
    says otherwise, so the box starts ticked while the mission has none."""
    return TargetForm(data, prefix="new", initial={"is_headline": not mission.targets.all()})


def _target(mission: Mission, target_key: str) -> Target:
    return get_object_or_404(Target, mission=mission, key=target_key)


def _milestone(mission: Mission, target_key: str, milestone_id: int) -> tuple[Target, Milestone]:
    target = _target(mission, target_key)
    return target, get_object_or_404(Milestone, target=target, pk=milestone_id)


@vary_on_headers("HX-Request")
def target_edit(
    request: HtmxHttpRequest, org_slug: str, mission_key: str, target_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    target = _target(mission, target_key)
    require_permission(request, "missions.change_mission", mission)
    form = TargetForm(
        request.POST or None,
        instance=target,
        initial={"version": target.version},
        prefix=f"t-{target.key}",
    )
    result = submit(
        request,
        form,
        lambda fields, expected: services.target_update(
            by=request.user,
            target=Target.objects.get(pk=target.pk),
            expected_version=expected,
            **fields,
        ),
        shown_version=target.version,
    )
    if result is not None and result.saved is not None:
        note = _("Target saved.") if result.changed else NOTHING_CHANGED
        return _after_part_saved(
            request, org_slug, mission_key, "targets", target.key, note, changed=result.changed
        )
    status = result.status if result is not None else 200
    return _render_part(request, mission, "targets", "target", target, form, status)


def target_delete(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, target_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    target = _target(mission, target_key)
    if response := post_only(request):
        return response
    services.target_delete(by=request.user, target=target)
    messages.success(request, _("Target “%(title)s” deleted.") % {"title": target})
    return redirect("missions:targets", org_slug=org_slug, mission_key=mission_key)


def milestone_add(
    request: HtmxHttpRequest, org_slug: str, mission_key: str, target_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    target = _target(mission, target_key)
    if response := post_only(request):
        return response
    require_permission(request, "missions.change_mission", mission)
    form = MilestoneForm(request.POST, prefix=f"m-{target.key}")
    added = try_service(
        form,
        lambda: services.milestone_create(by=request.user, target=target, **form_fields(form)),
    )
    if added is not None:
        return _after_part_saved(
            request, org_slug, mission_key, "targets", target.key, _("Milestone added.")
        )
    return _render_part(
        request, mission, "targets", "target", target, None, 422, milestone_form=form
    )


def milestone_edit(
    request: HtmxHttpRequest, org_slug: str, mission_key: str, target_key: str, milestone_id: int
) -> HttpResponse:
    """A page of its own for one milestone: mark it met or missed, with the value reached."""
    mission = mission_from_url(request, org_slug, mission_key)
    target, milestone = _milestone(mission, target_key, milestone_id)
    require_permission(request, "missions.change_mission", mission)
    form = MilestoneEditForm(
        request.POST or None, instance=milestone, initial={"version": milestone.version}
    )
    context = mission_context(request, mission, "targets")
    context.update({"target": target, "milestone": milestone})
    return edit_page(
        request,
        form,
        lambda fields, expected: services.milestone_update(
            by=request.user,
            milestone=Milestone.objects.select_related("target").get(pk=milestone.pk),
            expected_version=expected,
            **fields,
        ),
        shown_version=milestone.version,
        template="missions/milestone_edit.html",
        context=context,
        done=lambda result: _after_part_saved(
            request,
            org_slug,
            mission_key,
            "targets",
            target.key,
            _("Milestone %(year)s saved.") % {"year": result.saved.year if result.saved else ""}
            if result.changed
            else NOTHING_CHANGED,
            changed=result.changed,
        ),
    )


def milestone_delete(
    request: HtmxHttpRequest, org_slug: str, mission_key: str, target_key: str, milestone_id: int
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    target, milestone = _milestone(mission, target_key, milestone_id)
    if response := post_only(request):
        return response
    services.milestone_delete(by=request.user, milestone=milestone)
    return _after_part_saved(
        request, org_slug, mission_key, "targets", target.key, _("Milestone deleted.")
    )


# --- Projects ----------------------------------------------------------------------------------


def _contributions(form: ProjectForm) -> dict[Target, str]:
    """Each chosen target with its rationale. The form has one rationale box; when it comes back
    as it was shown, a target keeps the rationale it already had (a project may explain each
    target differently), so saving the form unchanged rewrites nobody's words."""
    rationale = form.cleaned_data.get("rationale", "")
    kept: dict[int, str] = {}
    if form.instance.pk and "rationale" not in form.changed_data:
        kept = {c.target_id: c.rationale for c in form.instance.contributions.all()}
    return {
        target: kept.get(target.pk, rationale) for target in form.cleaned_data.get("targets", [])
    }


@vary_on_headers("HX-Request")
def mission_projects(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    """The projects page; POST adds a project."""
    mission = mission_from_url(request, org_slug, mission_key)
    form = ProjectForm(
        request.POST or None,
        mission=mission,
        prefix="new",
        initial=_lead_on_return(request),
        add_lead_url=_add_lead_url(request, mission, _new_project_url(mission)),
    )
    if request.method == "POST":
        require_permission(request, "missions.change_mission", mission)
        project = try_service(form, lambda: _project_create(request, mission, form))
        if project is not None:
            messages.success(request, _("Project “%(title)s” added.") % {"title": project})
            return redirect(_card_url(org_slug, mission_key, "projects", project.key))
    return _section_page(request, mission, "projects", form)


def _project_create(
    request: AuthenticatedHttpRequest, mission: Mission, form: ProjectForm
) -> MissionProject:
    project = services.project_create(by=request.user, mission=mission, **form_fields(form))
    services.project_contributions_set(
        by=request.user, project=project, contributions=_contributions(form)
    )
    return project


@vary_on_headers("HX-Request")
def project_edit(
    request: HtmxHttpRequest, org_slug: str, mission_key: str, project_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    project = get_object_or_404(MissionProject, mission=mission, key=project_key)
    require_permission(request, "missions.change_mission", mission)
    edit_url = reverse("missions:project_edit", args=[org_slug, mission_key, project.key])
    form = ProjectForm(
        request.POST or None,
        instance=project,
        mission=mission,
        initial={"version": project.version, **_lead_on_return(request)},
        prefix=f"p-{project.key}",
        add_lead_url=_add_lead_url(request, mission, f"{edit_url}#project-{project.key}"),
    )
    contributions_changed = False

    def save(fields: Mapping[str, Any], expected: int) -> MissionProject:
        nonlocal contributions_changed
        updated = services.project_update(
            by=request.user,
            project=MissionProject.objects.get(pk=project.pk),
            expected_version=expected,
            **fields,
        )
        contributions_changed = services.project_contributions_set(
            by=request.user, project=updated, contributions=_contributions(form)
        )
        return updated

    result = submit(request, form, save, shown_version=project.version)
    if result is not None and result.saved is not None:
        changed = result.changed or contributions_changed
        note = _("Project saved.") if changed else NOTHING_CHANGED
        return _after_part_saved(
            request, org_slug, mission_key, "projects", project.key, note, changed=changed
        )
    status = result.status if result is not None else 200
    return _render_part(request, mission, "projects", "project", project, form, status)


def _new_project_url(mission: Mission) -> str:
    url = reverse("missions:projects", args=[mission.organisation.slug, mission.key])
    return f"{url}#add-project"


def _add_lead_url(request: AuthenticatedHttpRequest, mission: Mission, back: str) -> str:
    """The actor page, to add a lead actor who is not in the register yet and come `back` to
    the project form with it chosen; empty for someone who may not add actors."""
    if not request.user.has_perm("missions.change_actor", mission.organisation):
        return ""
    actors = reverse("missions:actors", args=[mission.organisation.slug])
    return f"{actors}?{urlencode({'next': back})}#add-actor"


def _lead_on_return(request: AuthenticatedHttpRequest) -> dict[str, int]:
    """Back from the actor page (`?lead=<actor id>`): that actor starts chosen as the lead."""
    lead = whole_number(request.GET.get("lead"))
    return {"lead": lead} if request.method == "GET" and lead is not None else {}


def project_delete(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, project_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    project = get_object_or_404(MissionProject, mission=mission, key=project_key)
    if response := post_only(request):
        return response
    services.project_delete(by=request.user, project=project)
    messages.success(request, _("Project “%(title)s” deleted.") % {"title": project})
    return redirect("missions:projects", org_slug=org_slug, mission_key=mission_key)


# --- Shared by targets and projects ----------------------------------------------------------


def _after_part_saved(
    request: HtmxHttpRequest,
    org_slug: str,
    mission_key: str,
    section: str,
    key: str,
    note: StrOrPromise,
    *,
    changed: bool = True,
) -> HttpResponse:
    """After saving a target or project: htmx gets the fresh card, a plain form a redirect.
    A save that changed nothing says so, and does not ask the summary panels to refresh."""
    if request.htmx:
        mission = mission_from_url(request, org_slug, mission_key)
        singular = "target" if section == "targets" else "project"
        objects = mission.targets.all() if section == "targets" else mission.projects.all()
        obj = next(o for o in objects if o.key == key)
        response = render(
            request,
            f"missions/{section}.html#{singular}-card",
            {**mission_context(request, mission, section), singular: obj, "saved_note": note},
        )
        return announce_change(response, changed)
    (messages.success if changed else messages.info)(request, note)
    return redirect(_card_url(org_slug, mission_key, section, key))


def _card_url(org_slug: str, mission_key: str, section: str, key: str) -> str:
    """The targets or projects page at one target's or project's card."""
    url = reverse(f"missions:{section}", args=[org_slug, mission_key])
    return f"{url}#{'target' if section == 'targets' else 'project'}-{key}"


def _section_page(
    request: AuthenticatedHttpRequest, mission: Mission, section: str, form: BaseForm
) -> HttpResponse:
    """The targets or projects page with its add form (`?edit=key`: that card in edit mode)."""
    editing = request.GET.get("edit", "")
    context = mission_context(request, mission, section, form=form, editing=editing)
    return render_form(request, f"missions/{section}.html", context, form)


def _render_part(
    request: HtmxHttpRequest,
    mission: Mission,
    section: str,
    singular: str,
    obj: Any,
    form: BaseForm | None,
    status: int,
    **extra: Any,
) -> HttpResponse:
    context = mission_context(request, mission, section)
    # Show the object from the page's prefetched list, so the card reads like its neighbours.
    objects = mission.targets.all() if section == "targets" else mission.projects.all()
    shown = next((o for o in objects if o.pk == obj.pk), obj)
    context.update(
        {singular: shown, "editing": obj.key if form else "", "edit_form": form, **extra}
    )
    if request.htmx:
        return render(request, f"missions/{section}.html#{singular}-card", context, status=status)
    context["form"] = (
        _new_target_form(mission)
        if section == "targets"
        else ProjectForm(
            mission=mission,
            prefix="new",
            add_lead_url=_add_lead_url(request, mission, _new_project_url(mission)),
        )
    )
    return render(request, f"missions/{section}.html", context, status=status)


# --- Map, history, actors ----------------------------------------------------------------------


def mission_map(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    tree = selectors.mission_map(
        user=request.user, organisation=mission.organisation, challenge_key=mission.challenge.key
    )
    # This mission and its sub-missions under their challenge, with labels in words.
    for challenge in tree:
        challenge["missions"] = [
            m for m in challenge["missions"] if mission.key in (m["key"], m["parent"])
        ]
        for node in challenge["missions"]:
            for sector in node["sectors"]:
                for project in sector["projects"]:
                    project["stage_label"] = (
                        Stage(project["stage"]).label if project["stage"] else ""
                    )
                    project["instrument_label"] = (
                        Instrument(project["instrument"]).label if project["instrument"] else ""
                    )
    context = mission_context(request, mission, "map")
    context.update({"tree": tree, "svg": mission_map_svg(tree)})
    return render(request, "missions/map.html", context)


def mission_history(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    context = mission_context(request, mission, "history")
    context["changes"] = selectors.mission_history(user=request.user, mission=mission, limit=200)
    return render(request, "missions/history.html", context)
