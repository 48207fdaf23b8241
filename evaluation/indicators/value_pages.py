"""The two pages that change an indicator's values — correct one value, import a CSV of them —
shared by the mission team's indicator pages and a data steward's (who reach them by different
addresses and permissions, and write through different services)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from config.forms import csv_upload, render_form, try_service
from evaluation.indicators import csv_io
from evaluation.indicators.forms import MeasurementCsvForm, MeasurementForm
from evaluation.indicators.models import Measurement
from missions.editing import NOTHING_CHANGED


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
    recorded = try_service(form, lambda: correct(measurement=measurement, **form.cleaned_data))
    if recorded is not None:
        if recorded.pk == measurement.pk:
            messages.info(request, NOTHING_CHANGED)
        else:
            messages.success(request, _("Value corrected. The old value stays in the history."))
        return redirect(done_url)
    return render_form(
        request, template, {**context, "measurement": measurement, "form": form}, form
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
    summary, row_errors = csv_upload(form, import_csv, max_bytes=csv_io.max_bytes())
    if summary is not None:
        messages.success(request, _("Values imported: %(summary)s") % {"summary": summary})
        return redirect(done_url)
    return render_form(request, template, {**context, "form": form, "row_errors": row_errors}, form)
