"""Measurements: an indicator's new values, from an organisation's editor token (by mission and
indicator key) or, as before, from an indicator steward's push token (evaluation/indicators/api.py,
whose behaviour and answers are kept exactly; it is described here so integrators find it)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field as NinjaField
from ninja import Router, Status

from api import schemas
from api.http import ProblemResponse, mission_of, organisation_of, refused, user_of
from api.problems import pointer, problem
from api.routers.missions import measurement_data
from evaluation.indicators import api as push_api
from evaluation.indicators import csv_io, stewards
from evaluation.indicators import services as indicator_services
from evaluation.indicators.models import Indicator, Quality

router = Router(tags=["Indicators"])

PUSH_BODY = {
    "type": "object",
    "required": ["measurements"],
    "properties": {
        "measurements": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["indicator", "period", "value"],
                "properties": {
                    "indicator": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                    "period": {"type": "string", "format": "date"},
                    "value": {"type": "number"},
                    "quality": {"type": "string", "enum": list(Quality.values)},
                    "source_reference": {"type": "string", "maxLength": 200},
                },
            },
        }
    },
}


class Reading(schemas.Input):
    period: str = NinjaField(
        description="The end of the period measured, as YYYY-MM-DD.", max_length=10
    )
    value: schemas.Number = NinjaField(description="A JSON number, not in quotes.")
    quality: schemas.Quality = schemas.Quality.OFFICIAL
    source_reference: str = schemas.line(200, default="")


class Readings(schemas.Input):
    measurements: list[Reading] = NinjaField(min_length=1, max_length=1000)


@router.get(
    "/missions/{key}/indicators/{indicator}/measurements",
    response={200: list[schemas.Measurement]},
    summary="An indicator's measurements, oldest period first",
    operation_id="listMeasurements",
    tags=["Indicators"],
)
def list_measurements(request: HttpRequest, key: str, indicator: str) -> Any:
    from evaluation.indicators.models import Measurement

    mission = mission_of(request, key)
    found = Indicator.objects.filter(mission=mission, key=indicator).first()
    if found is None:
        raise ProblemResponse(
            problem(404, _("The mission has no indicator “%(key)s”.") % {"key": indicator})
        )
    rows = Measurement.objects.filter(indicator=found, is_current=True).order_by("period_end", "pk")
    return [measurement_data(row) for row in rows]


@router.post(
    "/missions/{key}/indicators/{indicator}/measurements",
    response={201: schemas.MeasurementsAdded},
    summary="Add measurements to an indicator",
    description=(
        "All or nothing: on any problem nothing is written and every problem is listed with its "
        "JSON pointer. A period already measured with another value is a correction."
    ),
    operation_id="addMeasurements",
)
def add_measurements(request: HttpRequest, key: str, indicator: str, body: Readings) -> Any:
    found = (
        Indicator.objects.visible_to(user_of(request))
        .filter(mission__organisation=organisation_of(request), mission__key=key, key=indicator)
        .select_related("mission")
        .first()
    )
    if found is None:
        raise ProblemResponse(
            problem(
                404,
                _("The mission “%(mission)s” has no indicator “%(key)s”.")
                % {"mission": key, "key": indicator},
            )
        )
    try:
        indicator_services.require_editable(user_of(request), found.mission)
    except PermissionDenied as error:
        refused(error)
    rows = [
        {
            "indicator": found.pk,
            "period": reading.period,
            "value": reading.value,
            "quality": reading.quality,
            "source_reference": reading.source_reference,
        }
        for reading in body.measurements
    ]
    try:
        grouped = stewards.check_push(rows, [found])
    except stewards.PushRejected as rejected:
        raise ProblemResponse(
            problem(
                422,
                _("Some measurements were not accepted; nothing was saved."),
                errors=[
                    {
                        "pointer": pointer("body", "measurements", e.row, e.field or "")
                        if e.row is not None
                        else "/body/measurements",
                        "detail": e.message,
                    }
                    for e in rejected.errors
                ],
            )
        ) from None
    summary = csv_io.write_rows(
        by=user_of(request), indicator=found, rows=grouped.get(found.pk, [])
    )
    return Status(
        201,
        {
            "added": summary.added,
            "corrected": summary.corrected,
            "unchanged": summary.unchanged,
            "token": request.api_caller.token.name,  # type: ignore[attr-defined]
        },
    )


@router.post(
    "/measurements/",
    response={201: schemas.MeasurementsAdded},
    summary="Push measurements with an indicator steward's token",
    description=(
        "For indicator stewards outside the organisation (a statistics office): send a push "
        "token made on their “Your indicators” page as `Authorization: Bearer lsp_…`. Rows name "
        "the indicator by its number or key. Problems answer 400 with every problem by row and "
        "field (docs/push-api.md)."
    ),
    operation_id="pushMeasurements",
    auth=None,
    openapi_extra={
        "security": [{"StewardPushToken": []}],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": PUSH_BODY}},
        },
    },
)
def push_measurements(request: HttpRequest) -> HttpResponse:
    return push_api.push_measurements(request)
