"""Portfolio pages for leads and administrators: the dashboard (with CSV/XLSX export), named
portfolios, facets, compare, overlap, review decisions and their log.

Another organisation's pages answer 404 (its existence is not revealed); members of the
organisation who are not leads or administrators get 403.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from accounts.models import Organisation
from accounts.selectors import organisation_for
from config.forms import render_form, try_service
from config.wording import in_sentence
from evaluation.criteria.rules import CRITERIA
from evaluation.selectors import criteria_summary, warnings_for
from missions.editing import Submission, saved_and_back
from missions.models import Mission
from portfolios import charts, exports, services
from portfolios.facets import facet_label
from portfolios.forms import DecisionForm, FacetForm, InitiativeForm, PortfolioForm
from portfolios.models import Initiative, Portfolio
from portfolios.selectors.comparison import MAX_COMPARE, compare_missions
from portfolios.selectors.decisions import approval_needs, decisions, mission_for_decision
from portfolios.selectors.facet_mix import (
    facet_mix,
    initiative_list,
    project_for,
    standalone_initiatives,
)
from portfolios.selectors.filters import (
    CRITERION_CODES,
    SORTS,
    Filters,
    filter_options,
    parse_filters,
)
from portfolios.selectors.overlaps import overlapping_actors
from portfolios.selectors.pages import dashboard_page, dashboard_rows
from portfolios.selectors.rows import row_views
from portfolios.selectors.scope import portfolio_for, portfolios_of
from portfolios.selectors.totals import stamp, totals


def _organisation(
    request: AuthenticatedHttpRequest, org_slug: str, permission: str = "portfolios.view_portfolio"
) -> Organisation:
    organisation = organisation_for(user=request.user, slug=org_slug)
    if not request.user.has_perm(permission, organisation):
        raise PermissionDenied
    return organisation


def _dashboard_url(org_slug: str, portfolio: Portfolio) -> str:
    """The dashboard showing only this portfolio's missions."""
    return reverse("portfolios:dashboard", args=[org_slug]) + "?portfolio=" + portfolio.slug


def _saved_and_back(
    request: AuthenticatedHttpRequest,
    saved: Portfolio | Initiative,
    last_saved: datetime | None,
    note: str,
    url: str,
) -> HttpResponse:
    """Say `note`, or that nothing changed, and go to `url`. A save changed something when it
    moved the row's `updated_at`: the services write nothing for a form sent back as shown."""
    changed = saved.updated_at != last_saved
    return saved_and_back(request, Submission(saved, changed=changed), note, url)


def _portfolio_param(
    request: AuthenticatedHttpRequest, organisation: Organisation
) -> Portfolio | None:
    slug = request.GET.get("portfolio", "")
    if not slug:
        return None
    return portfolio_for(user=request.user, organisation=organisation, slug=slug)


def _base(
    request: AuthenticatedHttpRequest, organisation: Organisation, section: str, **extra: Any
) -> dict[str, Any]:
    return {"organisation": organisation, "section": section, **extra}


def _narrowed_base(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    section: str,
    portfolio: Portfolio | None,
    **extra: Any,
) -> dict[str, Any]:
    """The context of a page that can be narrowed to one `portfolio` (?portfolio=): its chooser
    lists every portfolio the person can see."""
    return _base(
        request,
        organisation,
        section,
        portfolio=portfolio,
        portfolios=portfolios_of(user=request.user, organisation=organisation),
        **extra,
    )


def _pack_url(organisation: Organisation) -> str:
    """The briefing-pack PDF request (documents app), if that app serves it yet."""
    try:
        return reverse("documents:pack", args=[organisation.slug])
    except NoReverseMatch:
        return ""


# --- Dashboard ---------------------------------------------------------------------------------


@vary_on_headers("HX-Request")
def dashboard(request: HtmxHttpRequest, org_slug: str) -> HttpResponse | StreamingHttpResponse:
    """One row per mission, filtered, sorted and paged by keyset; ?format=csv|xlsx exports
    every matching row (not just this page)."""
    organisation = _organisation(request, org_slug)
    portfolio = _portfolio_param(request, organisation)
    filters = parse_filters(
        request.GET, user=request.user, organisation=organisation, portfolio=portfolio
    )
    export = request.GET.get("format", "")
    if export in {"csv", "xlsx"}:
        return _dashboard_export(request, organisation, filters, export)
    version = stamp(organisation)
    page = dashboard_page(
        user=request.user, organisation=organisation, filters=filters, version=version
    )
    counts = totals(user=request.user, organisation=organisation, filters=filters, version=version)
    template = "portfolios/dashboard.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    query = filters.query()
    columns = _columns(filters)
    return render(
        request,
        template,
        _base(
            request,
            organisation,
            "dashboard",
            filters=filters,
            page=page,
            rows=row_views(page.rows, organisation),
            totals=counts,
            columns=columns,
            options=filter_options(user=request.user, organisation=organisation, version=version),
            version=version,
            portfolios=portfolios_of(user=request.user, organisation=organisation),
            query=urlencode(query),
            next_url=_page_url(query, "after", page.next_cursor),
            previous_url=_page_url(query, "before", page.previous_cursor),
            first_url="?" + urlencode(query) if page.has_previous else "",
            chart=charts.criteria_chart(counts.heatmap_rows, counts.missions),
            pack_url=_pack_url(organisation) if filters.portfolio else "",
            pack_keys=(
                list(filters.portfolio.missions.values_list("key", flat=True)[:50])
                if filters.portfolio
                else []
            ),
        ),
    )


def _page_url(query: dict[str, str], name: str, cursor: int | None) -> str:
    if not cursor:
        return ""
    params: dict[str, str | int] = {**query, name: cursor}
    return "?" + urlencode(params)


def _columns(filters: Filters) -> list[dict[str, Any]]:
    """Header cells: label, sort link (toggling direction) and aria-sort."""
    labels = {
        "title": _("Mission"),
        "status": _("Status"),
        "owner": _("Owner"),
        "warnings": _("Open warnings"),
        "progress": _("Headline targets"),
        "budget": _("Committed of need"),
        "decision": _("Last decision"),
    }
    columns = []
    for name in SORTS:
        label = labels.get(name) or name.upper()
        current = filters.sort_field == name
        descending = current and filters.descending
        next_sort = name if (not current or descending) else f"-{name}"
        columns.append(
            {
                "name": name,
                "label": label,
                "is_criterion": name in CRITERION_CODES,
                "title": str(CRITERIA[name].name) if name in CRITERIA else "",
                "url": "?"
                + urlencode(filters.query(sort="" if next_sort == "title" else next_sort)),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return columns


def _dashboard_export(
    request: AuthenticatedHttpRequest, organisation: Organisation, filters: Filters, kind: str
) -> HttpResponse | StreamingHttpResponse:
    rows = (
        exports.dashboard_values(row)
        for row in dashboard_rows(user=request.user, organisation=organisation, filters=filters)
    )
    name = f"{organisation.slug}-{filters.portfolio.slug if filters.portfolio else 'portfolio'}"
    if kind == "csv":
        stream = StreamingHttpResponse(
            exports.csv_stream(exports.dashboard_header(), rows), content_type="text/csv"
        )
        stream["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return stream
    response = HttpResponse(
        exports.xlsx_bytes(_("Portfolio"), exports.dashboard_header(), rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- Named portfolios --------------------------------------------------------------------------


def portfolio_list(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's named portfolios; POST creates one (with the missions ticked on the
    dashboard, if any were sent along)."""
    organisation = _organisation(request, org_slug)
    form = PortfolioForm(request.POST or None)
    if request.method == "POST":
        _organisation(request, org_slug, "portfolios.change_portfolio")
        missions = Mission.objects.visible_to(request.user).filter(
            organisation=organisation, key__in=request.POST.getlist("mission")
        )
        portfolio = try_service(
            form,
            lambda: services.portfolio_create(
                by=request.user, organisation=organisation, missions=missions, **form.cleaned_data
            ),
        )
        if portfolio is not None:
            messages.success(request, _("Portfolio “%(name)s” created.") % {"name": portfolio.name})
            return redirect(_dashboard_url(org_slug, portfolio))
    portfolios = portfolios_of(user=request.user, organisation=organisation)
    return render_form(
        request,
        "portfolios/portfolios.html",
        _base(
            request,
            organisation,
            "portfolios",
            form=form,
            portfolios=portfolios.annotate(mission_count=Count("missions")),
        ),
        form,
    )


def portfolio_edit(
    request: AuthenticatedHttpRequest, org_slug: str, portfolio_slug: str
) -> HttpResponse:
    """Rename a portfolio, take missions out of it, or delete it."""
    organisation = _organisation(request, org_slug)
    portfolio = portfolio_for(user=request.user, organisation=organisation, slug=portfolio_slug)
    form = PortfolioForm(
        request.POST or None, initial={"name": portfolio.name, "description": portfolio.description}
    )
    members = list(portfolio.missions.order_by("title").only("key", "title"))
    if request.method == "POST":
        _organisation(request, org_slug, "portfolios.change_portfolio")
        if request.POST.get("delete") == "1":
            services.portfolio_delete(by=request.user, portfolio=portfolio)
            messages.success(
                request,
                _("Portfolio “%(name)s” deleted. Its missions are unchanged.")
                % {"name": portfolio.name},
            )
            return redirect("portfolios:portfolios", org_slug=org_slug)
        keep = set(request.POST.getlist("keep"))
        last_saved = portfolio.updated_at
        saved = try_service(
            form,
            lambda: services.portfolio_update(
                by=request.user,
                portfolio=portfolio,
                missions=[m for m in members if m.key in keep],
                **form.cleaned_data,
            ),
        )
        if saved is not None:
            return _saved_and_back(
                request,
                portfolio,
                last_saved,
                _("Portfolio saved."),
                _dashboard_url(org_slug, portfolio),
            )
    return render_form(
        request,
        "portfolios/portfolio_edit.html",
        _base(request, organisation, "portfolios", form=form, portfolio=portfolio, members=members),
        form,
    )


def portfolio_add(
    request: AuthenticatedHttpRequest, org_slug: str, portfolio_slug: str
) -> HttpResponse:
    """POST: add the missions ticked on the dashboard to this portfolio."""
    if request.method != "POST":
        organisation_for(user=request.user, slug=org_slug)
        return HttpResponseNotAllowed(["POST"])
    organisation = _organisation(request, org_slug, "portfolios.change_portfolio")
    portfolio = portfolio_for(user=request.user, organisation=organisation, slug=portfolio_slug)
    keys = request.POST.getlist("mission") + request.POST.get("mission_keys", "").split()
    missions = Mission.objects.visible_to(request.user).filter(
        organisation=organisation, key__in=keys
    )
    added = services.portfolio_missions_add(by=request.user, portfolio=portfolio, missions=missions)
    messages.success(
        request,
        ngettext("%(n)s mission added to “%(name)s”.", "%(n)s missions added to “%(name)s”.", added)
        % {"n": added, "name": portfolio.name},
    )
    return redirect(_dashboard_url(org_slug, portfolio))


# --- Facets ------------------------------------------------------------------------------------


def facets(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """The portfolio's facet mix by count and budget, the scatter, the balance prompts, and the
    initiatives with their facets."""
    organisation = _organisation(request, org_slug)
    portfolio = _portfolio_param(request, organisation)
    mix = facet_mix(user=request.user, organisation=organisation, portfolio=portfolio)
    page = initiative_list(
        user=request.user,
        organisation=organisation,
        portfolio=portfolio,
        page=request.GET.get("page", 1),
    )
    cells = [
        {"d": d, "c": c, "count": n, "budget": b}
        for (d, c), (n, b) in sorted(mix.cells.items(), key=lambda item: (-item[0][0], item[0][1]))
    ]
    query = {"portfolio": portfolio.slug} if portfolio else {}
    return render(
        request,
        "portfolios/facets.html",
        _narrowed_base(
            request,
            organisation,
            "facets",
            portfolio,
            mix=mix,
            cells=cells,
            scatter=charts.facet_scatter(mix.cells),
            page=page,
            query=urlencode(query),
            standalone=(
                standalone_initiatives(user=request.user, organisation=organisation)
                if portfolio is None
                else []
            ),
        ),
    )


def _facet_initial(initiative: Initiative | None) -> dict[str, Any]:
    if initiative is None:
        return {}
    return {
        "directionality": initiative.directionality,
        "certainty": initiative.certainty,
        "facet_override": initiative.facet_override,
        "override_reason": initiative.override_reason,
        "title": initiative.title,
        "budget": initiative.budget,
    }


def facet_edit(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, project_key: str
) -> HttpResponse:
    """The two facet questions for one mission project."""
    organisation = _organisation(request, org_slug)
    project = project_for(
        user=request.user,
        organisation=organisation,
        mission_key=mission_key,
        project_key=project_key,
    )
    return _classify_page(
        request,
        organisation,
        FacetForm,
        Initiative.objects.filter(project=project).first(),
        template="portfolios/facet_edit.html",
        note=lambda saved: (
            _("“%(title)s” is %(facet)s.")
            % {"title": project.title, "facet": in_sentence(facet_label(saved.facet))}
        ),
        project=project,
    )


def initiative_edit(
    request: AuthenticatedHttpRequest, org_slug: str, initiative_id: int | None = None
) -> HttpResponse:
    """Add (or change) an innovation activity the unit tracks outside any mission."""
    organisation = _organisation(request, org_slug)
    initiative = None
    if initiative_id is not None:
        initiative = get_object_or_404(
            Initiative.objects.visible_to(request.user),
            organisation=organisation,
            project__isnull=True,
            pk=initiative_id,
        )
    return _classify_page(
        request,
        organisation,
        InitiativeForm,
        initiative,
        template="portfolios/initiative_edit.html",
        note=lambda saved: _("Initiative saved."),
        initiative=initiative,
    )


def _classify_page(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    form_class: type[FacetForm],
    answered: Initiative | None,
    *,
    template: str,
    note: Callable[[Initiative], str],
    **subject: Any,
) -> HttpResponse:
    """A page of facet questions about `subject` (a mission's project, or an initiative outside
    any mission), showing what was `answered` before. On POST, by someone allowed to
    classify, `initiative_classify` saves the answers and the person goes back to the facets
    page, told `note(saved)` or that nothing changed; a refused form comes back with 422."""
    form = form_class(request.POST or None, initial=_facet_initial(answered))
    if request.method == "POST":
        _organisation(request, organisation.slug, "portfolios.classify_initiative")
        last_saved = answered.updated_at if answered else None
        saved = try_service(
            form,
            lambda: services.initiative_classify(
                by=request.user, organisation=organisation, **subject, **form.cleaned_data
            ),
        )
        if saved is not None:
            return _saved_and_back(
                request,
                saved,
                last_saved,
                note(saved),
                reverse("portfolios:facets", args=[organisation.slug]),
            )
    shown = {"initiative": answered, **subject}  # the project, too, on a project's page
    return render_form(
        request, template, _base(request, organisation, "facets", form=form, **shown), form
    )


# --- Compare and overlap -----------------------------------------------------------------------


def compare(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """Two to four missions side by side (?mission=KEY, repeated)."""
    organisation = _organisation(request, org_slug)
    keys = [k for k in request.GET.getlist("mission") if k]
    compared = compare_missions(user=request.user, organisation=organisation, keys=keys)
    problem = ""
    if len(compared) < 2:
        problem = _("Choose at least two missions to compare: tick them on the dashboard.")
    elif len(dict.fromkeys(keys)) > MAX_COMPARE:
        problem = _("You can compare up to four missions at a time; these are the first four.")
    return render(
        request,
        "portfolios/compare.html",
        _base(
            request,
            organisation,
            "compare",
            compared=compared,
            problem=problem,
            criteria=list(CRITERIA.items()),
            pack_url=_pack_url(organisation),
        ),
    )


def overlap(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """Actors involved in several missions, and where."""
    organisation = _organisation(request, org_slug)
    portfolio = _portfolio_param(request, organisation)
    return render(
        request,
        "portfolios/overlap.html",
        _narrowed_base(
            request,
            organisation,
            "overlap",
            portfolio,
            overlaps=overlapping_actors(
                user=request.user, organisation=organisation, portfolio=portfolio
            ),
        ),
    )


# --- Decisions ---------------------------------------------------------------------------------


def decide(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    """Record a decision on a mission against a snapshot of it as it is now."""
    organisation = _organisation(request, org_slug)
    mission = mission_for_decision(user=request.user, organisation=organisation, key=mission_key)
    needs = approval_needs(mission=mission)
    form = DecisionForm(request.POST or None, approvable=not needs)
    if request.method == "POST":
        if not request.user.has_perm("portfolios.decide_mission", mission):
            raise PermissionDenied
        record = try_service(
            form,
            lambda: services.decision_record(by=request.user, mission=mission, **form.cleaned_data),
        )
        if record is not None:
            messages.success(
                request,
                _("%(decision)s: “%(title)s”. Recorded against snapshot “%(snapshot)s”.")
                % {
                    "decision": record.past_label,
                    "title": mission.title,
                    "snapshot": record.snapshot.name,
                },
            )
            return redirect("portfolios:decide", org_slug=org_slug, mission_key=mission_key)
    return render_form(
        request,
        "portfolios/decide.html",
        _base(
            request,
            organisation,
            "decisions",
            mission=mission,
            form=form,
            approval_needs=needs,
            criteria=criteria_summary(mission),
            warnings=warnings_for(mission),
            history=decisions(user=request.user, organisation=organisation, mission=mission)[:20],
        ),
        form,
    )


def decision_log(
    request: AuthenticatedHttpRequest, org_slug: str
) -> HttpResponse | StreamingHttpResponse:
    """Every decision in the organisation, newest first; ?format=csv downloads all of them."""
    organisation = _organisation(request, org_slug)
    log = decisions(user=request.user, organisation=organisation)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(
                exports.decision_header(),
                (exports.decision_values(d) for d in log.iterator(chunk_size=500)),
            ),
            content_type="text/csv",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{organisation.slug}-decisions.csv"'
        )
        return response
    return render(
        request,
        "portfolios/decisions.html",
        _base(request, organisation, "decisions", decisions=log[:200], total=log.count()),
    )
