"""The two pages that change an indicator's values — correct one value, import a CSV of them —
shared by the mission team's indicator pages and a data steward's (who reach them by different
addresses and permissions, and write through different services)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.forms import add_service_error
from evaluation.indicators import csv_io
from evaluation.indicators.forms import MeasurementCsvForm, MeasurementForm
from evaluation.indicators.models import Measurement


def correct_value(
    request: HttpRequest,
    measurement: Measurement,
    correct: Callable[..., Measurement],
    *,
    done_url: str,
    template: str,
    context: Mapping[str, Any],
) -> HttpResponse:
    """The correction form for one value; `correct(measurement=…, value=…, …)` records it."""
    form = MeasurementForm(
        request.POST or None,
        correcting=True,
        initial={
            "value": measurement.value,
            "source_ref": measurement.source_ref,
            "quality": measurement.quality,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            recorded = correct(measurement=measurement, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if recorded.pk == measurement.pk:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("Value corrected. The old value stays in the history."))
            return redirect(done_url)
    return render(
        request,
        template,
        {**context, "measurement": measurement, "form": form},
        status=422 if form.errors else 200,
    )


def import_values(
    request: HttpRequest,
    import_csv: Callable[[bytes], csv_io.CsvSummary],
    *,
    done_url: str,
    template: str,
    context: Mapping[str, Any],
) -> HttpResponse:
    """The CSV upload form; `import_csv(raw)` imports all rows or none and says what it did."""
    form = MeasurementCsvForm(request.POST or None, request.FILES or None)
    row_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > csv_io.max_bytes():
                raise csv_io.too_big(upload.size)
            summary = import_csv(upload.read())
        except csv_io.CsvRejected as rejected:
            row_errors = rejected.errors
            form.add_error(
                "file",
                ngettext(
                    "Nothing was imported: %(count)s problem to fix (listed below).",
                    "Nothing was imported: %(count)s problems to fix (listed below).",
                    len(row_errors),
                )
                % {"count": len(row_errors)},
            )
        else:
            messages.success(request, _("Values imported: %(summary)s") % {"summary": summary})
            return redirect(done_url)
    return render(
        request,
        template,
        {**context, "form": form, "row_errors": row_errors},
        status=422 if form.errors else 200,
    )
