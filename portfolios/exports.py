"""The dashboard and the decision log as files: CSV (streamed) and XLSX (openpyxl, write-only).
Every column the dashboard shows, in words; cells that would run as spreadsheet formulas are
defused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from config.inputs import spreadsheet_cell
from evaluation.criteria.rules import CRITERIA
from portfolios.models import ReviewDecision
from portfolios.selectors.filters import CRITERION_CODES
from portfolios.selectors.rows import Row


def safe(value: Any) -> Any:
    return spreadsheet_cell(value)


def _date(value: Any) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT") if value else ""


def dashboard_header() -> list[str]:
    return [
        _("Mission"),
        _("Key"),
        _("Grand challenge"),
        _("Status"),
        _("Owner"),
        _("Policy domain"),
        *[f"{code.upper()} {CRITERIA[code].name}" for code in CRITERION_CODES],
        _("Open warnings: high"),
        _("Open warnings: warning"),
        _("Open warnings: for information"),
        _("Headline targets"),
        _("Headline target progress"),
        _("Committed budget"),
        _("Estimated need"),
        _("Currency"),
        # xgettext:no-python-format
        _("Committed as % of need"),
        _("Last decision"),
        _("Decided on"),
        _("Last criteria review"),
    ]


def dashboard_values(row: Row) -> list[Any]:
    m = row.mission
    return [
        m.title,
        m.key,
        m.challenge.title,
        m.get_status_display(),
        m.owner.name if m.owner else "",
        m.get_policy_domain_display() if m.policy_domain else "",
        *[str(status.label) for _code, _name, status in row.criteria],
        row.warnings["high"],
        row.warnings["warn"],
        row.warnings["info"],
        row.headline_targets,
        _("No data yet"),
        m.committed_budget,
        m.estimated_need,
        m.currency,
        row.budget_share,
        row.decision_label,
        _date(row.decision_at),
        _date(row.reviewed_at),
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    yield writer.writerow(header)
    for values in rows:
        yield writer.writerow([safe(v) for v in values])


def xlsx_bytes(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for values in rows:
        sheet.append([safe(v) for v in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def decision_header() -> list[str]:
    return [
        _("Decided on"),
        _("Mission"),
        _("Key"),
        _("Decision"),
        _("Comments"),
        _("Status before"),
        _("Status after"),
        _("Decided by"),
        _("Snapshot"),
    ]


def decision_values(decision: ReviewDecision) -> list[Any]:
    from missions.models import MissionStatus

    labels = dict(MissionStatus.choices)
    return [
        timezone.localtime(decision.decided_at).strftime("%Y-%m-%d %H:%M"),
        decision.mission.title,
        decision.mission.key,
        decision.get_decision_display(),
        decision.comments,
        str(labels.get(decision.status_before, decision.status_before)),
        str(labels.get(decision.status_after, decision.status_after)),
        str(decision.decided_by or ""),
        decision.snapshot.name,
    ]
