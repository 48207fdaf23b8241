"""Stakeholder pages: the map (grid + table, filters, movement), a stakeholder's page (details,
history, the plain-form way to move it), adding with actor suggestions, the engagement log, and
CSV import/export. Moving works three ways with one endpoint: drag or keyboard (htmx, which gets
the map partial back) and a plain form (which is redirected)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import formats
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from config.forms import csv_upload, render_form, try_service
from config.inputs import local_url
from missions import pages
from missions.editing import saved_and_back, submit
from missions.models import Actor, Helix, Mission
from missions.pages import mission_from_url
from missions.parts import ConflictError
from stakeholders import csv_io, selectors, services
from stakeholders.forms import (
    ActivityForm,
    CsvImportForm,
    FilterForm,
    MoveForm,
    StakeholderAddForm,
    StakeholderEditForm,
)
from stakeholders.grid import draw_grid, grid_svg
from stakeholders.models import (
    ATTITUDES,
    ENGAGEMENT_DESCRIPTIONS,
    QUADRANT_ADVICE,
    EngagementActivity,
    EngagementLevel,
    Quadrant,
    Role,
    Stakeholder,
)
from stakeholders.selectors import MapFilters

SUGGESTIONS = 8


def _require_edit(request: AuthenticatedHttpRequest, mission: Mission) -> None:
    pages.require_permission(request, "missions.change_mission", mission)


def _context(request: AuthenticatedHttpRequest, mission: Mission, **extra: Any) -> dict[str, Any]:
    return pages.mission_context(request, mission, "stakeholders", **extra)


def _map_url(mission: Mission, query: str = "") -> str:
    url = reverse("stakeholders:map", args=[mission.organisation.slug, mission.key])
    return f"{url}?{query}" if query else url


# --- The map --------------------------------------------------------------------------------


def _table_rows(stakeholders: list[Stakeholder]) -> list[dict[str, Any]]:
    """The words of the map's table rows, for a plain template loop: number, name (and whether
    in the core team), sector, roles, power and interest (with where they were), quadrant,
    attitude, engagement now and planned, and when last engaged. Worked out here because a
    map of a few hundred stakeholders otherwise spends most of its time in per-cell template
    work: each choice list's words are translated once per page, not once per row and column
    (a model's `get_FOO_display` translates every choice of the field on each call)."""
    helix = {value: str(label) for value, label in Helix.choices}
    engagement = {value: str(label) for value, label in EngagementLevel.choices}
    roles = {value: str(label) for value, label in Role.choices}
    quadrants = {value: str(label) for value, label in Quadrant.choices}
    attitudes = {value: str(label) for value, label in ATTITUDES.items()}
    was = _("was %(was)s")

    def moved(before: int | None, now: int) -> str:
        if before is None or before == now:
            return ""
        return was % {"was": localize(before)}

    rows = []
    for s in stakeholders:
        earlier = getattr(s, "moved_from", None)
        rows.append(
            {
                "key": s.key,
                "number": localize(s.number),
                "url": s.detail_url,
                "name": s.name,
                "core": s.is_core_team,
                "helix": helix.get(s.helix, s.helix),
                "roles": ", ".join(roles[r] for r in s.roles if r in roles),
                "power": localize(s.power),
                "power_was": moved(earlier.power if earlier else None, s.power),
                "interest": localize(s.interest),
                "interest_was": moved(earlier.interest if earlier else None, s.interest),
                "quadrant": quadrants[s.quadrant],
                "attitude": attitudes.get(s.attitude, str(s.attitude)),
                "now": engagement.get(s.engagement_now, s.engagement_now),
                "planned": engagement.get(s.engagement_planned, s.engagement_planned),
                "last_engaged": date_filter(s.last_engaged, "SHORT_DATE_FORMAT") or "—",
            }
        )
    return rows


def map_context(
    request: AuthenticatedHttpRequest, mission: Mission, filters: MapFilters, **extra: Any
) -> dict[str, Any]:
    data = selectors.map_data(mission=mission, filters=filters)
    query = request.GET.copy()
    for name in ("version", "power", "interest"):
        query.pop(name, None)
    query_string = query.urlencode()
    can_edit = request.user.has_perm("missions.change_mission", mission)
    org, key = mission.organisation.slug, mission.key
    items, arrows = [], []
    move = reverse("stakeholders:move", args=[org, key, "__key__"])
    for s in data.shown:
        item = {
            "number": s.number,
            "key": s.key,
            "name": s.name,
            "helix": s.helix,
            "power": s.power,
            "interest": s.interest,
            "attitude": s.attitude,
            "quadrant": s.quadrant,
            "version": s.version,
        }
        if can_edit:
            url = move.replace("__key__", s.key)
            item["move_url"] = f"{url}?{query_string}" if query_string else url
        items.append(item)
        earlier = data.earlier.get(s.pk)
        if earlier is not None and (earlier.power, earlier.interest) != (s.power, s.interest):
            arrows.append({"key": s.key, "points": [(earlier.power, earlier.interest)]})
            s.moved_from = earlier
    arrows_label = ""
    if filters.since:
        arrows_label = _("Moved since %(date)s") % {
            "date": formats.date_format(filters.since, "DATE_FORMAT")
        }
    svg = grid_svg(
        items,
        arrows=arrows,
        interactive=can_edit,
        id_prefix="map",
        title=_("Power and interest grid of %(mission)s") % {"mission": mission.title},
        arrows_label=arrows_label,
    )
    # One reverse() for every row's link, not one per row in the template.
    detail = reverse("stakeholders:detail", args=[org, key, "__key__"])
    for s in data.stakeholders:
        s.detail_url = detail.replace("__key__", s.key)
    filter_form = FilterForm(request.GET or None)
    filter_form.is_valid()
    return _context(
        request,
        mission,
        data=data,
        filters=filters,
        filter_form=filter_form,
        svg=svg,
        table_rows=_table_rows(data.shown),
        arrows=arrows,
        query_string=query_string,
        quadrants=[(q, label, QUADRANT_ADVICE[q]) for q, label in Quadrant.choices],
        levels=[(v, label, ENGAGEMENT_DESCRIPTIONS[v]) for v, label in EngagementLevel.choices],
        **extra,
    )


@vary_on_headers("HX-Request")
def stakeholder_map(request: HtmxHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    # The map shows no target or project: the mission and its layout only.
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    filters = MapFilters.from_query(request.GET)
    template = "stakeholders/map.html"
    if request.htmx and not request.htmx.boosted:
        template += "#stakeholder-map"
    return render(request, template, map_context(request, mission, filters))


@vary_on_headers("HX-Request")
def stakeholder_move(
    request: HtmxHttpRequest, org_slug: str, mission_key: str, stakeholder_key: str
) -> HttpResponse:
    """Move to (power, interest): POST from a drag, the keyboard or the plain form."""
    mission = mission_from_url(request, org_slug, mission_key)
    stakeholder = get_object_or_404(Stakeholder, mission=mission, key=stakeholder_key)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_edit(request, mission)
    form = MoveForm(request.POST)
    if not form.is_valid():
        problem = _("Choose a power and an interest from 1 to 5.")
        return _moved(request, mission, stakeholder, problem, refused=True)
    try:
        moved = services.stakeholder_move(
            by=request.user,
            stakeholder=stakeholder,
            expected_version=form.cleaned_data["version"],
            power=form.cleaned_data["power"],
            interest=form.cleaned_data["interest"],
        )
    except ConflictError as error:
        return _moved(request, mission, stakeholder, str(error), refused=True)
    except ValidationError as error:
        return _moved(request, mission, stakeholder, " ".join(error.messages), refused=True)
    note = _("%(name)s moved to power %(power)s, interest %(interest)s (%(quadrant)s).") % {
        "name": moved.name,
        "power": moved.power,
        "interest": moved.interest,
        "quadrant": moved.get_quadrant_display(),
    }
    return _moved(request, mission, moved, note)


def _moved(
    request: HtmxHttpRequest,
    mission: Mission,
    stakeholder: Stakeholder,
    note: str,
    *,
    refused: bool = False,
) -> HttpResponse:
    """After a move, or a `refused` one: htmx gets the map again, its focus on the stakeholder
    and the `note` said there; a plain form goes back where it came from, `note` a message."""
    if request.htmx:
        return render(
            request,
            "stakeholders/map.html#stakeholder-map",
            map_context(
                request,
                mission,
                MapFilters.from_query(request.GET),
                focus_key=stakeholder.key,
                saved_note=None if refused else note,
                problem=note if refused else None,
            ),
            status=422 if refused else 200,
        )
    (messages.error if refused else messages.success)(request, note)
    return redirect(_next(request, mission))


def _next(request: AuthenticatedHttpRequest, mission: Mission) -> str:
    return local_url(request, request.POST.get("next")) or _map_url(
        mission, request.GET.urlencode()
    )


def map_reviewed(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    """POST: the team reviewed the whole map and it is still right."""
    mission = mission_from_url(request, org_slug, mission_key)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_edit(request, mission)
    count = services.map_confirm(by=request.user, mission=mission)
    messages.success(
        request,
        ngettext(
            "Map marked as reviewed today (%(count)s stakeholder).",
            "Map marked as reviewed today (%(count)s stakeholders).",
            count,
        )
        % {"count": count},
    )
    return redirect(_map_url(mission))


# --- Adding, with suggestions from the register ---------------------------------------------


def actor_suggestions(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    """The register's actors whose names contain what was typed (htmx partial)."""
    mission = mission_from_url(request, org_slug, mission_key)
    typed = " ".join(request.GET.get("name", "").split())[:200]
    actors: list[Actor] = []
    if len(typed) >= 2:
        actors = list(
            Actor.objects.filter(organisation=mission.organisation, name__icontains=typed).order_by(
                "name"
            )[:SUGGESTIONS]
        )
    on_map = set(
        Stakeholder.objects.filter(mission=mission, actor__in=actors).values_list(
            "actor_id", flat=True
        )
    )
    exact = any(a.name.lower() == typed.lower() for a in actors)
    return render(
        request,
        "stakeholders/add.html#actor-suggestions",
        _context(request, mission, typed=typed, actors=actors, on_map=on_map, exact=exact),
    )


def stakeholder_add(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    _require_edit(request, mission)
    form = StakeholderAddForm(
        request.POST or None,
        initial={
            "power": 3,
            "interest": 3,
            "attitude": 0,
            "engagement_now": "inform",
            "engagement_planned": "consult",
        },
    )
    form.fields["name"].widget.attrs.update(
        {
            "hx-get": reverse("stakeholders:actor_suggestions", args=[org_slug, mission_key]),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#actor-suggestions",
            "hx-swap": "innerHTML",
            "autocomplete": "off",
            "aria-controls": "actor-suggestions",
        }
    )
    stakeholder = try_service(
        form,
        lambda: services.stakeholder_create(
            by=request.user,
            mission=mission,
            name=form.cleaned_data["name"],
            outside_actor=_chosen_actor(request, mission, form),
            is_person=form.cleaned_data["is_person"],
            helix=form.cleaned_data["helix"],
            **form.stakeholder_fields(),
        ),
    )
    if stakeholder is not None:
        messages.success(request, _("%(name)s added to the map.") % {"name": stakeholder.name})
        return redirect(_map_url(mission))
    return render_form(
        request, "stakeholders/add.html", _context(request, mission, form=form), form
    )


def _chosen_actor(
    request: AuthenticatedHttpRequest, mission: Mission, form: StakeholderAddForm
) -> Actor | None:
    """The register's actor picked from the suggestions, for an organisation (not a person)."""
    chosen = request.POST.get("actor", "")
    if not chosen or form.cleaned_data["is_person"]:
        return None
    return Actor.objects.filter(organisation=mission.organisation, key=chosen).first()


# --- One stakeholder ------------------------------------------------------------------------


def _detail_context(
    request: AuthenticatedHttpRequest, mission: Mission, stakeholder: Stakeholder, **extra: Any
) -> dict[str, Any]:
    positions = list(stakeholder.positions.all())
    trail: list[tuple[int, int]] = []
    for p in positions:
        point = (p.power, p.interest)
        if not trail or trail[-1] != point:
            trail.append(point)
    if trail and trail[-1] == (stakeholder.power, stakeholder.interest):
        trail.pop()
    item = {
        "number": 1,
        "key": stakeholder.key,
        "name": stakeholder.name,
        "helix": stakeholder.helix,
        "power": stakeholder.power,
        "interest": stakeholder.interest,
        "attitude": stakeholder.attitude,
    }
    drawing = draw_grid(
        [item],
        arrows=[{"key": stakeholder.key, "points": trail}] if trail else [],
        id_prefix="history",
        title=_("Where %(name)s has stood over time") % {"name": stakeholder.name},
        arrows_label=_("Earlier positions, oldest first"),
    )
    here = reverse(
        "stakeholders:detail", args=[mission.organisation.slug, mission.key, stakeholder.key]
    )
    extra.setdefault(
        "move_form",
        MoveForm(
            initial={
                "power": stakeholder.power,
                "interest": stakeholder.interest,
                "version": stakeholder.version,
            }
        ),
    )
    extra.setdefault("edit_form", StakeholderEditForm(stakeholder=stakeholder))
    return _context(
        request,
        mission,
        stakeholder=stakeholder,
        positions=list(reversed(positions)),
        activities=list(stakeholder.activities.all()),
        svg=drawing.svg,
        here=here,
        **extra,
    )


def stakeholder_detail(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, stakeholder_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    stakeholder = selectors.stakeholder_detail(mission=mission, key=stakeholder_key)
    return render(
        request, "stakeholders/stakeholder.html", _detail_context(request, mission, stakeholder)
    )


def stakeholder_edit(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, stakeholder_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    stakeholder = selectors.stakeholder_detail(mission=mission, key=stakeholder_key)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_edit(request, mission)
    form = StakeholderEditForm(request.POST, stakeholder=stakeholder)
    result = submit(
        request,
        form,
        lambda _fields, expected: services.stakeholder_update(
            by=request.user,
            stakeholder=stakeholder,
            expected_version=expected,
            **form.stakeholder_fields(),
        ),
    )
    if result is not None and result.saved is not None:
        return saved_and_back(
            request,
            result,
            _("%(name)s saved.") % {"name": stakeholder.name},
            reverse("stakeholders:detail", args=[org_slug, mission_key, stakeholder_key]),
        )
    stakeholder = selectors.stakeholder_detail(mission=mission, key=stakeholder_key)
    return render(
        request,
        "stakeholders/stakeholder.html",
        _detail_context(request, mission, stakeholder, edit_form=form),
        status=422,
    )


def stakeholder_delete(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, stakeholder_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    stakeholder = get_object_or_404(
        Stakeholder.objects.select_related("actor"), mission=mission, key=stakeholder_key
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_edit(request, mission)
    services.stakeholder_delete(by=request.user, stakeholder=stakeholder)
    messages.success(request, _("%(name)s removed from the map.") % {"name": stakeholder.name})
    return redirect(_map_url(mission))


# --- Engagement log -------------------------------------------------------------------------


def activities(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    everyone = list(selectors.stakeholder_queryset(mission))
    form = ActivityForm(request.POST or None, stakeholders=everyone)
    if request.method == "POST":
        _require_edit(request, mission)
        activity = try_service(
            form,
            lambda: services.activity_create(
                by=request.user,
                mission=mission,
                stakeholders=[s for s in everyone if s.key in form.cleaned_data["stakeholders"]],
                date=form.cleaned_data["date"],
                type=form.cleaned_data["type"],
                level=form.cleaned_data["level"],
                participants=form.participants(),
                summary=form.cleaned_data["summary"],
                influence_on_decision=form.cleaned_data["influence_on_decision"],
            ),
        )
        if activity is not None:
            messages.success(request, _("Activity of %(date)s logged.") % {"date": activity.date})
            return redirect("stakeholders:activities", org_slug=org_slug, mission_key=mission_key)
    log = list(selectors.activity_list(mission=mission))
    return render_form(
        request,
        "stakeholders/activities.html",
        _context(request, mission, form=form, log=log),
        form,
    )


def activity_delete(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, activity_id: int
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    activity = get_object_or_404(EngagementActivity, mission=mission, pk=activity_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_edit(request, mission)
    services.activity_delete(by=request.user, activity=activity)
    messages.success(request, _("Activity deleted."))
    return redirect("stakeholders:activities", org_slug=org_slug, mission_key=mission_key)


# --- CSV ------------------------------------------------------------------------------------


def csv_export(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    response = HttpResponse(
        csv_io.export_csv(selectors.stakeholder_queryset(mission)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{mission.key}-stakeholders.csv"'
    return response


def csv_import(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    _require_edit(request, mission)
    form = CsvImportForm(request.POST or None, request.FILES or None)
    summary, row_errors = csv_upload(
        form,
        lambda raw: csv_io.import_csv(by=request.user, mission=mission, raw=raw),
        max_bytes=csv_io.max_bytes(),
    )
    if summary is not None:
        messages.success(request, _("Stakeholders imported: %(summary)s") % {"summary": summary})
        return redirect(_map_url(mission))
    return render_form(
        request,
        "stakeholders/import.html",
        _context(request, mission, form=form, row_errors=row_errors),
        form,
    )


def query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v})
