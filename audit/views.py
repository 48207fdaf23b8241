"""The audit trail pages: a mission's (leads, administrators, reviewers) and the organisation's
(administrators). Both filter by who, what and when, page through the entries newest first,
and download the filtered entries as CSV or JSON; the download is itself recorded (by
`audit.middleware.DownloadAuditMiddleware`, with the filters as details)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Organisation
from accounts.selectors import organisation_for
from audit import selectors
from audit.forms import AuditFilterForm
from audit.middleware import DownloadResponse
from audit.models import AuditEntry
from missions.models import Mission

PER_PAGE = 50


def _filters(
    request: HttpRequest, organisation: Organisation, *, organisation_level: bool
) -> AuditFilterForm:
    return AuditFilterForm(
        request.GET or None,
        people=selectors.people_choices(organisation=organisation),
        kinds=selectors.kind_choices(organisation_level=organisation_level),
    )


def _cleaned(form: AuditFilterForm) -> dict[str, Any]:
    """The valid filters; an invalid one is shown as an error and left out, not guessed at."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if name not in form.errors}


def _download(
    entries: QuerySet[AuditEntry], fmt: str, filename: str, filters: dict[str, Any]
) -> HttpResponse:
    if fmt == "json":
        body, count = selectors.entries_json(entries)
        response = DownloadResponse(body, content_type="application/json")
    else:
        body, count = selectors.entries_csv(entries)
        response = DownloadResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response.audit_details = {
        "export": "audit trail",
        "entries": count,
        "filters": {name: str(value) for name, value in filters.items() if value},
    }
    return response


def _page(
    request: HttpRequest, entries: QuerySet[AuditEntry], *, with_mission: bool
) -> tuple[Any, list]:
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page", 1))
    return page, selectors.entry_rows(page.object_list, with_mission=with_mission)


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def mission_audit(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    mission = get_object_or_404(
        Mission.objects.visible_to(request.user).select_related("organisation", "challenge"),
        organisation__slug=org_slug,
        key=mission_key,
    )
    if not request.user.has_perm("audit.view_mission_audit", mission):
        raise PermissionDenied
    form = _filters(request, mission.organisation, organisation_level=False)
    filters = _cleaned(form)
    entries = selectors.mission_entries(user=request.user, mission=mission, filters=filters)
    fmt = request.GET.get("format")
    if fmt in ("csv", "json"):
        return _download(entries, fmt, f"{mission.key}-audit-trail", filters)
    page, rows = _page(request, entries, with_mission=False)
    context = {
        "organisation": mission.organisation,
        "mission": mission,
        "section": "audit",
        "form": form,
        "page": page,
        "rows": rows,
        "query": _query(request),
        "export_limit": selectors.EXPORT_LIMIT,
    }
    return render(request, "audit/mission_audit.html", context, status=422 if form.errors else 200)


def organisation_audit(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    if not request.user.has_perm("audit.view_organisation_audit", organisation):
        raise PermissionDenied
    form = _filters(request, organisation, organisation_level=True)
    filters = _cleaned(form)
    entries = selectors.organisation_entries(
        user=request.user, organisation=organisation, filters=filters
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "json"):
        return _download(entries, fmt, f"{organisation.slug}-audit-trail", filters)
    page, rows = _page(request, entries, with_mission=True)
    context = {
        "organisation": organisation,
        "form": form,
        "page": page,
        "rows": rows,
        "query": _query(request),
        "export_limit": selectors.EXPORT_LIMIT,
    }
    return render(
        request, "audit/organisation_audit.html", context, status=422 if form.errors else 200
    )
