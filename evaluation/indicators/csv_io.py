"""CSV import of an indicator's measurements: all or nothing, with row-level errors.

Columns: period_end (YYYY-MM-DD), value, source_ref, quality (official, estimate, provisional;
empty means official). A row for a period that already has a different value records a
correction (the old value stays in the history); a row equal to the stored one changes nothing.
Every row is checked first, each problem reported with its row number (the header is row 1),
column and what is wrong; nothing is written unless there are none. The file size and the number
of rows are capped (settings `EVALUATION_MEASUREMENTS_CSV_MAX_BYTES`, default 1 MB, and
`EVALUATION_MEASUREMENTS_CSV_MAX_ROWS`, default 20,000).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.inputs import (
    CsvRejected,
    InputRefused,
    RowError,
    csv_text,
    decimal_value,
    file_too_big,
    not_a_choice,
    spreadsheet_cell,
    spreadsheet_text,
)
from evaluation import signals
from evaluation.indicators import overdue, services
from evaluation.indicators.models import (
    Indicator,
    IndicatorPushToken,
    IndicatorVersion,
    Measurement,
    Quality,
)
from missions import hooks
from missions.exchange import number_text

COLUMNS = ["period_end", "value", "source_ref", "quality"]
REQUIRED = ("period_end", "value")
DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_MAX_ROWS = 20_000


def max_bytes() -> int:
    return int(getattr(settings, "EVALUATION_MEASUREMENTS_CSV_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "EVALUATION_MEASUREMENTS_CSV_MAX_ROWS", DEFAULT_MAX_ROWS))


def too_big(size: int) -> CsvRejected:
    return file_too_big(size, max_bytes=max_bytes())


@dataclass
class CsvSummary:
    added: int = 0
    corrected: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return _("%(added)s added, %(corrected)s corrected, %(unchanged)s unchanged.") % {
            "added": self.added,
            "corrected": self.corrected,
            "unchanged": self.unchanged,
        }


Row = tuple[datetime.date, Decimal, str, str]


def parse(raw: bytes) -> list[Row]:
    """The rows of the file, or CsvRejected with every problem."""
    text = csv_text(raw, max_bytes=max_bytes())
    # newline="": the csv module splits lines itself, so a file with old Mac line ends (\r) or
    # a line break inside a quoted cell reads as the spreadsheet meant it.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _rows(reader)
    except csv.Error as error:  # a line it cannot read: a giant cell, say (a 500 before)
        line = reader.line_num + 1  # the lines read before the one that failed
        raise CsvRejected(
            [
                RowError(
                    line,
                    "",
                    _("Line %(line)s cannot be read as CSV: %(problem)s.")
                    % {"line": line, "problem": error},
                )
            ]
        ) from None


def _rows(reader: csv.DictReader) -> list[Row]:
    header = [(name or "").strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise CsvRejected(
            [RowError(1, name, _("This column is missing from the header.")) for name in missing]
        )
    reader.fieldnames = header
    errors: list[RowError] = []
    rows: list[Row] = []
    seen: dict[datetime.date, int] = {}
    for number, record in enumerate(reader, start=2):
        if number - 1 > max_rows():
            errors.append(
                RowError(number, "", _("Too many rows; the limit is %(n)s.") % {"n": max_rows()})
            )
            break
        # A cell this app exported with a formula's first character escaped reads back as
        # written, so re-importing an export changes nothing.
        cells = {name: spreadsheet_text((record.get(name) or "").strip()) for name in COLUMNS}
        if not any(cells.values()):
            continue
        row, problems = check_row(number, cells, seen)
        errors.extend(problems)
        if row is not None:
            rows.append(row)
    if errors:
        raise CsvRejected(errors)
    return rows


def check_row(
    number: int, cells: dict[str, str], seen: dict[datetime.date, int]
) -> tuple[Row | None, list[RowError]]:
    """Check one row's cells (text, as in the CSV); `seen` maps the periods of the earlier rows
    for the same indicator to their row numbers. The push API checks its rows here too."""
    errors: list[RowError] = []
    latest = timezone.localdate() + datetime.timedelta(days=366)
    period = value = None
    try:
        period = datetime.date.fromisoformat(cells["period_end"])
        if period.year < 1900 or period > latest:
            errors.append(
                RowError(
                    number,
                    "period_end",
                    _("Give a period end from 1900 up to a year from today."),
                )
            )
            period = None
    except ValueError:
        errors.append(
            RowError(
                number,
                "period_end",
                _("“%(value)s” is not a date like 2024-12-31.") % {"value": cells["period_end"]},
            )
        )
    value_field = Measurement._meta.get_field("value")
    try:
        # Rounded to the stored precision first, then checked: 1e-999999999 is 0, and a value
        # that rounds up past the limit is refused rather than stored out of range.
        value = decimal_value(
            cells["value"].replace(",", ""),
            field="value",
            max_digits=value_field.max_digits,
            decimal_places=value_field.decimal_places,
        )
        services.check_value(value)
    except InputRefused as refused:
        if refused.code == "not_a_number":
            message = _("“%(value)s” is not a number.") % {"value": cells["value"][:40]}
        else:
            message = _("The number is too large.")
        errors.append(RowError(number, "value", message))
        value = None
    except ValidationError:
        errors.append(RowError(number, "value", _("The number is too large.")))
        value = None
    quality = cells["quality"] or Quality.OFFICIAL
    if quality not in Quality.values:
        errors.append(RowError(number, "quality", not_a_choice(quality, Quality.values)))
    if len(cells["source_ref"]) > 200:
        errors.append(RowError(number, "source_ref", _("Keep it under 200 characters.")))
    if period is not None:
        if period in seen:
            errors.append(
                RowError(
                    number,
                    "period_end",
                    _("The same period is already on row %(row)s.") % {"row": seen[period]},
                )
            )
        seen[period] = number
    if errors or period is None or value is None:
        return None, errors
    return (period, value, cells["source_ref"], quality), errors


def import_csv(*, by: User, indicator: Indicator, raw: bytes) -> CsvSummary:
    """Check the whole file, then write it in one transaction (or nothing)."""
    services.require_editable(by, indicator.mission)
    return write_rows(by=by, indicator=indicator, rows=parse(raw))


def write_rows(
    *,
    by: User | None,
    indicator: Indicator,
    rows: list[Row],
    via: IndicatorPushToken | None = None,
) -> CsvSummary:
    """Write checked rows of one indicator in one transaction: new periods and corrections in
    bulk, so a large file takes a handful of queries. The caller has checked permission (an
    editor, a steward, or a push token); `via` is the push token, if any."""
    summary = CsvSummary()
    with transaction.atomic():
        version = IndicatorVersion.objects.get(indicator=indicator, number=indicator.version_number)
        stored = {
            m.period_end: m
            for m in Measurement.objects.select_for_update().filter(
                indicator=indicator, is_current=True
            )
        }
        superseded: list[int] = []
        new: list[Measurement] = []
        for period, value, source_ref, quality in rows:
            old = stored.get(period)
            if old is not None and (old.value, old.source_ref, old.quality) == (
                value, source_ref, quality,
            ):  # fmt: skip
                summary.unchanged += 1
                continue
            if old is None:
                summary.added += 1
            else:
                superseded.append(old.pk)
                summary.corrected += 1
            new.append(
                Measurement(
                    indicator=indicator,
                    version=version,
                    period_end=period,
                    value=value,
                    source_ref=source_ref,
                    quality=quality,
                    entered_by=by,
                    entered_via=via,
                    supersedes=old,
                )
            )
        if superseded:
            Measurement.objects.filter(pk__in=superseded).update(is_current=False)
        Measurement.objects.bulk_create(new, batch_size=1000)
        if new:
            if indicator.overdue_since is not None:
                overdue.refresh(indicator)
            hooks.mission_changed(indicator.mission_id)
            signals.measurements_added.send(
                sender=Measurement,
                indicator=indicator,
                added=summary.added,
                corrected=summary.corrected,
            )
    return summary


def export_csv(indicator: Indicator) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for m in Measurement.objects.filter(indicator=indicator, is_current=True).order_by(
        "period_end"
    ):
        writer.writerow(
            [
                m.period_end.isoformat(),
                number_text(m.value),
                spreadsheet_cell(m.source_ref),
                m.quality,
            ]
        )
    return out.getvalue()
