"""CSV export and import of a mission's stakeholders.

The columns are the same both ways, so an exported file can be edited in a spreadsheet and read
back. Import is all or nothing: every row is checked first and each problem is reported with its
row number (as a spreadsheet shows it, the header being row 1), its column and what is wrong;
nothing is written unless there are none. Rows are matched to existing stakeholders by `key`,
or else by name (ignoring case); other rows add stakeholders, reusing the register's actor of
the same name. Stakeholders missing from the file are left alone.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config.inputs import (
    CsvRejected,
    RowError,
    csv_text,
    not_a_choice,
    spreadsheet_cell,
    spreadsheet_text,
)
from missions.models import Actor, Helix, Mission
from stakeholders import services
from stakeholders.models import EngagementLevel, Role, Stakeholder

COLUMNS = [
    "key",
    "name",
    "person",
    "sector",
    "roles",
    *services.TRACKED,
    "engagement_plan",
    "core_team",
    "last_engaged",
]
REQUIRED = ("name", "roles", "power", "interest")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
DEFAULT_MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000


def max_bytes() -> int:
    return int(getattr(settings, "STAKEHOLDERS_CSV_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class CsvSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)

    def __str__(self) -> str:
        return _("%(created)s added, %(updated)s changed, %(unchanged)s unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


# --- Export ---------------------------------------------------------------------------------


def export_csv(stakeholders: Iterable[Stakeholder]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for s in stakeholders:
        writer.writerow(
            [
                s.key,
                spreadsheet_cell(s.name),
                "yes" if not s.actor_id else "no",
                s.helix,
                ";".join(s.roles),
                s.power,
                s.interest,
                s.attitude,
                s.engagement_now,
                s.engagement_planned,
                spreadsheet_cell(s.engagement_plan),
                "yes" if s.is_core_team else "no",
                s.last_engaged.isoformat() if s.last_engaged else "",
            ]
        )
    return out.getvalue()


# --- Import ---------------------------------------------------------------------------------


def _integer(value: str, low: int, high: int) -> tuple[int | None, str | None]:
    try:
        number = int(value.strip())
    except ValueError:
        return None, _("“%(value)s” is not a whole number.") % {"value": value}
    if not low <= number <= high:
        return None, _("%(value)s is outside %(low)s to %(high)s.") % {
            "value": number,
            "low": low,
            "high": high,
        }
    return number, None


def _yes_no(row: dict[str, Any], column: str, problem: Callable[[str, str], None]) -> bool:
    answer = row.get(column, "").lower()
    if answer not in YES | NO:
        problem(column, _("Write yes or no."))
    return answer in YES


def read_rows(raw: bytes) -> list[tuple[int, dict[str, Any]]]:
    """Parse and check the file; `[(row number, values)]` or `CsvRejected` with every problem."""
    text = csv_text(raw, max_bytes=max_bytes())
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip() for h in reader.fieldnames or []]
    except csv.Error as error:
        raise CsvRejected([RowError(1, "", str(error))]) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CsvRejected(
            [
                RowError(
                    1, column, _("The header row has no “%(column)s” column.") % {"column": column}
                )
                for column in missing
            ]
        )
    reader.fieldnames = header
    errors: list[RowError] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    seen_names: dict[str, int] = {}
    seen_keys: dict[str, int] = {}
    try:
        for index, raw_row in enumerate(reader, start=2):
            if index - 1 > MAX_ROWS:
                errors.append(
                    RowError(index, "", _("Import at most %(n)s rows at once.") % {"n": MAX_ROWS})
                )
                break
            if None in raw_row:
                errors.append(RowError(index, "", _("This row has more cells than the header.")))
                continue
            row = {k: spreadsheet_text((v or "").strip()) for k, v in raw_row.items() if k}
            if not any(row.values()):
                continue
            values: dict[str, Any] = {"key": row.get("key", "")}

            def problem(column: str, message: str, index: int = index) -> None:
                errors.append(RowError(index, column, message))

            name = " ".join(row.get("name", "").split())
            if not name:
                problem("name", _("Give the name of the organisation or person."))
            elif len(name) > 200:
                problem("name", _("Keep the name under 200 characters."))
            values["name"] = name
            values["is_person"] = _yes_no(row, "person", problem)
            sector = row.get("sector", "")
            if sector and sector not in Helix.values:
                problem("sector", not_a_choice(sector, Helix.values))
            values["helix"] = sector
            roles = [
                r.strip() for r in row.get("roles", "").replace(",", ";").split(";") if r.strip()
            ]
            unknown = [r for r in roles if r not in Role.values]
            if not roles:
                problem("roles", _("Give at least one role, separated by semicolons."))
            elif unknown:
                problem(
                    "roles",
                    _("“%(value)s” is not a role; use: %(choices)s.")
                    % {"value": ", ".join(unknown), "choices": ", ".join(Role.values)},
                )
            values["roles"] = list(dict.fromkeys(roles))
            for column, low, high, default in (
                ("power", 1, 5, None),
                ("interest", 1, 5, None),
                ("attitude", -2, 2, 0),
            ):
                cell = row.get(column, "")
                if not cell:
                    if default is None:
                        problem(
                            column,
                            _("Give a whole number from %(low)s to %(high)s.")
                            % {"low": low, "high": high},
                        )
                    values[column] = default
                    continue
                number, message = _integer(cell, low, high)
                if message:
                    problem(column, message)
                values[column] = number
            for column in ("engagement_now", "engagement_planned"):
                level = row.get(column, "").lower() or EngagementLevel.INFORM
                if level not in EngagementLevel.values:
                    problem(column, not_a_choice(level, EngagementLevel.values))
                values[column] = level
            plan = row.get("engagement_plan", "")
            if len(plan) > 500:
                problem("engagement_plan", _("Keep the plan under 500 characters."))
            values["engagement_plan"] = plan
            values["is_core_team"] = _yes_no(row, "core_team", problem)
            last = row.get("last_engaged", "")
            values["last_engaged"] = None
            if last:
                try:
                    values["last_engaged"] = datetime.date.fromisoformat(last)
                except ValueError:
                    problem("last_engaged", _("Write the date as YYYY-MM-DD, e.g. 2025-03-31."))
            if name:
                if name.lower() in seen_names:
                    problem(
                        "name",
                        _("%(name)s is already on row %(row)s.")
                        % {"name": name, "row": seen_names[name.lower()]},
                    )
                seen_names.setdefault(name.lower(), index)
            if values["key"]:
                if values["key"] in seen_keys:
                    problem(
                        "key",
                        _("This key is already on row %(row)s.")
                        % {"row": seen_keys[values["key"]]},
                    )
                seen_keys.setdefault(values["key"], index)
            rows.append((index, values))
    except csv.Error as error:
        errors.append(RowError(reader.line_num, "", str(error)))
    if errors:
        raise CsvRejected(errors)
    return rows


def import_csv(*, by: User, mission: Mission, raw: bytes) -> CsvSummary:
    """Read the file and apply it to the mission's map, all or nothing."""
    rows = read_rows(raw)
    summary = CsvSummary()
    stakeholders = list(Stakeholder.objects.filter(mission=mission).select_related("actor"))
    by_key = {s.key: s for s in stakeholders}
    by_name = {s.name.lower(): s for s in stakeholders}
    register = {
        a.name.lower(): a for a in Actor.objects.filter(organisation=mission.organisation_id)
    }
    errors: list[RowError] = []
    with transaction.atomic():
        for row, values in rows:
            existing = by_key.get(values["key"]) or by_name.get(values["name"].lower())
            fields = {name: values[name] for name in services.EDITED_FIELDS}
            try:
                if existing is not None:
                    if values["helix"]:
                        fields["helix"] = values["helix"]
                    before = existing.version
                    updated = services.stakeholder_update(
                        by=by,
                        stakeholder=existing,
                        expected_version=existing.version,
                        **fields,
                    )
                    if updated.version != before:
                        summary.updated += 1
                    else:
                        summary.unchanged += 1
                else:
                    if (
                        not values["is_person"]
                        and not values["helix"]
                        and values["name"].lower() not in register
                    ):
                        errors.append(
                            RowError(
                                row,
                                "sector",
                                _(
                                    "%(name)s is not in the actor register yet: say whether it "
                                    "is government, industry, academia or civil society."
                                )
                                % {"name": values["name"]},
                            )
                        )
                        continue
                    services.stakeholder_create(
                        by=by,
                        mission=mission,
                        name=values["name"],
                        is_person=values["is_person"],
                        helix=values["helix"],
                        key=values["key"] or None,
                        **fields,
                    )
                    summary.created += 1
            except ValidationError as error:
                for column, messages in getattr(
                    error, "message_dict", {"": error.messages}
                ).items():
                    column = {"helix": "sector", "person_name": "name", "__all__": ""}.get(
                        column, column
                    )
                    errors.extend(RowError(row, column, m) for m in messages)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise CsvRejected(errors)
    return summary
