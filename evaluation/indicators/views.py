"""Indicator pages of a mission: the list (with the form to add one), an indicator's page (its
chart and data table, history of values and definitions, and the form to add a value), editing,
correcting a value, and CSV import/export. The mission is found first through
`missions.selectors.mission_detail`, scoped to the user's organisations, so another
organisation's mission answers 404 whatever the method."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from config.forms import render_form, try_service
from evaluation.indicators import csv_io, selectors, services, stewards, value_pages
from evaluation.indicators.forms import (
    IndicatorForm,
    MeasurementForm,
    StewardInviteForm,
)
from evaluation.indicators.models import Indicator, Measurement
from missions import pages
from missions.editing import NOTHING_CHANGED
from missions.models import Mission
from missions.selectors import Parts


def mission_from_url(
    request: AuthenticatedHttpRequest,
    org_slug: str,
    mission_key: str,
    parts: Parts = "all",
) -> Mission:
    return pages.mission_from_url(
        request, org_slug, mission_key, permission="evaluation.view_indicators", parts=parts
    )


def indicator_from_url(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, indicator_key: str
) -> tuple[Mission, Indicator]:
    """The mission and its indicator at this address (404 for either, as for the mission)."""
    # Usually one query: the indicator with its mission and what the mission's layout shows.
    organisation = pages.organisation_from_url(request, org_slug)
    found = selectors.indicator_at(request.user, organisation, mission_key, indicator_key)
    if found is not None:
        found.mission.organisation = organisation  # the mission's own, already at hand
        if request.user.has_perm("evaluation.view_indicators", found.mission):
            return found.mission, found
    # Something is missing or hidden: found step by step, for the same 404 as the mission's
    # other pages give. An indicator's pages show no target or project of the mission.
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    indicator = selectors.indicator_get(mission, indicator_key)
    indicator.mission = mission
    return mission, indicator


def require_edit(request: AuthenticatedHttpRequest, mission: Mission) -> None:
    kind = services.INDICATOR
    pages.require_permission(request, kind.permission, mission, str(kind.refusal))


def _base(request: AuthenticatedHttpRequest, mission: Mission, **extra: Any) -> dict[str, Any]:
    return pages.mission_context(
        request, mission, "indicators", edit_permission="evaluation.change_indicators", **extra
    )


def current_measurement(indicator: Indicator, measurement_id: int) -> Measurement:
    """A value of the indicator as it stands (a corrected one is history, and answers 404)."""
    return get_object_or_404(Measurement, pk=measurement_id, indicator=indicator, is_current=True)


def indicator_url(indicator: Indicator) -> str:
    return reverse(
        "evaluation:indicator",
        kwargs={
            "org_slug": indicator.mission.organisation.slug,
            "mission_key": indicator.mission.key,
            "indicator_key": indicator.key,
        },
    )


def indicators(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    form = IndicatorForm(mission=mission)
    if request.method == "POST":
        require_edit(request, mission)
        form = IndicatorForm(request.POST, mission=mission)
        added = try_service(
            form,
            lambda: services.indicator_create(
                by=request.user, mission=mission, **form.cleaned_data
            ),
        )
        if added is not None:
            messages.success(request, _("Indicator “%(name)s” added.") % {"name": added.name})
            added.mission = mission
            return redirect(indicator_url(added))
    return render_form(
        request,
        "evaluation/indicators/list.html",
        _base(request, mission, indicators=list(selectors.indicator_list(mission)), form=form),
        form,
    )


def indicator_page(
    request: AuthenticatedHttpRequest,
    mission: Mission,
    indicator: Indicator,
    *,
    measurement_form: MeasurementForm | None = None,
    steward_form: StewardInviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.indicator_page(indicator)
    # One reverse() for every row's "Correct" link, not one per row in the template.
    page.link_corrections(
        reverse(
            "evaluation:measurement_correct",
            args=[mission.organisation.slug, mission.key, indicator.key, 0],
        )
    )
    return render(
        request,
        "evaluation/indicators/indicator.html",
        _base(
            request,
            mission,
            indicator=indicator,
            page=page,
            measurement_form=measurement_form or MeasurementForm(),
            stewards=stewards.stewards_of(indicator),
            steward_form=steward_form or StewardInviteForm(),
        ),
        status=status,
    )


def indicator(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, indicator_key: str
) -> HttpResponse:
    """The indicator's page; POST adds a value."""
    mission, item = indicator_from_url(request, org_slug, mission_key, indicator_key)
    if request.method != "POST":
        return indicator_page(request, mission, item)
    require_edit(request, mission)
    form = MeasurementForm(request.POST)
    added = try_service(
        form,
        lambda: services.measurement_add(by=request.user, indicator=item, **form.cleaned_data),
    )
    if added is not None:
        messages.success(request, _("Value added."))
        return redirect(indicator_url(item) + "#values")
    return indicator_page(request, mission, item, measurement_form=form, status=422)


def indicator_edit(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, indicator_key: str
) -> HttpResponse:
    mission, item = indicator_from_url(request, org_slug, mission_key, indicator_key)
    require_edit(request, mission)
    initial = {name: getattr(item, name) for name in services.INDICATOR_FIELDS}
    form = IndicatorForm(request.POST or None, mission=mission, indicator=item, initial=initial)
    updated = (
        try_service(
            form,
            lambda: services.indicator_update(by=request.user, indicator=item, **form.cleaned_data),
        )
        if request.method == "POST"
        else None
    )
    if updated is not None:
        if updated.version_number != item.version_number:
            messages.success(
                request,
                _("Indicator saved. The definition is now version %(n)s.")
                % {"n": updated.version_number},
            )
        elif form.has_changed():
            messages.success(request, _("Indicator saved."))
        else:
            messages.info(request, NOTHING_CHANGED)
        return redirect(indicator_url(item))
    return render_form(
        request,
        "evaluation/indicators/edit.html",
        _base(request, mission, indicator=item, form=form),
        form,
    )


def measurement_correct(
    request: AuthenticatedHttpRequest,
    org_slug: str,
    mission_key: str,
    indicator_key: str,
    measurement_id: int,
) -> HttpResponse:
    mission, item = indicator_from_url(request, org_slug, mission_key, indicator_key)
    measurement = current_measurement(item, measurement_id)
    require_edit(request, mission)
    return value_pages.correct_value(
        request,
        measurement,
        partial(services.measurement_correct, by=request.user),
        done_url=indicator_url(item) + "#values",
        template="evaluation/indicators/correct.html",
        context=_base(request, mission, indicator=item),
    )


def measurements_import(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, indicator_key: str
) -> HttpResponse:
    mission, item = indicator_from_url(request, org_slug, mission_key, indicator_key)
    require_edit(request, mission)
    return value_pages.import_values(
        request,
        lambda raw: csv_io.import_csv(by=request.user, indicator=item, raw=raw),
        done_url=indicator_url(item) + "#values",
        template="evaluation/indicators/import.html",
        context=_base(request, mission, indicator=item),
    )


def measurements_export(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, indicator_key: str
) -> HttpResponse:
    mission, item = indicator_from_url(request, org_slug, mission_key, indicator_key)
    response = HttpResponse(csv_io.export_csv(item), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{mission.key}-{item.key}.csv"'
    return response
