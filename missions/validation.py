"""Plain checks on mission data, shared by model `clean()`, the services and the importer.

Each check takes plain values (not model instances) so the importer can run it on a JSON
document before anything touches the database, and every caller gets the same wording. A check
returns a list of `(field, message)` pairs; an empty list means the data is fine.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

YEAR_MIN = 1900  # historical missions (Apollo, 1961) can be recorded for learning
YEAR_MAX = 2100

# The checks here give plain text; a model's `clean()` adds its own lazily translated messages.
Problems = list[tuple[str, "StrOrPromise"]]


def year_problems(field: str, year: int | None) -> Problems:
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        return [
            (
                field,
                _("%(year)s is not a year between %(min)s and %(max)s.")
                % {"year": year, "min": YEAR_MIN, "max": YEAR_MAX},
            )
        ]
    return []


def money_problems(field: str, amount: Decimal | None) -> Problems:
    if amount is not None and amount < 0:
        return [(field, _("An amount of money cannot be negative."))]
    return []


def sdg_problems(field: str, sdgs: list[int] | None) -> Problems:
    bad = [goal for goal in sdgs or [] if not 1 <= goal <= 17]
    if bad:
        return [
            (
                field,
                _("There are 17 Sustainable Development Goals; %(goals)s is not one of them.")
                % {"goals": ", ".join(str(goal) for goal in bad)},
            )
        ]
    if len(set(sdgs or [])) != len(sdgs or []):
        return [(field, _("Each Sustainable Development Goal should be listed once."))]
    return []


def currency_problems(field: str, currency: str) -> Problems:
    if not (
        len(currency) == 3 and currency.isascii() and currency.isalpha() and currency.isupper()
    ):
        return [
            (
                field,
                _("%(currency)r is not a three-letter currency code such as EUR or SEK.")
                % {"currency": currency},
            )
        ]
    return []


def mission_problems(
    *,
    start_year: int | None,
    deadline_year: int | None,
    committed_budget: Decimal | None,
    estimated_need: Decimal | None,
    team_fte: Decimal | None,
    currency: str,
    sdgs: list[int] | None,
) -> Problems:
    problems = [
        *year_problems("start_year", start_year),
        *year_problems("deadline_year", deadline_year),
        *money_problems("committed_budget", committed_budget),
        *money_problems("estimated_need", estimated_need),
        *currency_problems("currency", currency),
        *sdg_problems("sdgs", sdgs),
    ]
    if team_fte is not None and team_fte < 0:
        problems.append(("team_fte", _("The team size cannot be negative.")))
    if start_year and deadline_year and deadline_year < start_year:
        problems.append(
            (
                "deadline_year",
                _("The deadline %(deadline)s is before the start year %(start)s.")
                % {"deadline": deadline_year, "start": start_year},
            )
        )
    return problems


def target_problems(
    *,
    direction: str,
    baseline_value: Decimal | None,
    baseline_year: int | None,
    target_value: Decimal | None,
    target_year: int | None,
    success_condition: str,
    deadline_year: int | None,
) -> Problems:
    problems = [
        *year_problems("baseline_year", baseline_year),
        *year_problems("target_year", target_year),
    ]
    if direction == "binary":
        if not success_condition.strip():
            problems.append(
                (
                    "success_condition",
                    _("A yes/no target needs a success condition: what is true once it is met?"),
                )
            )
    elif target_value is None:
        problems.append(
            (
                "target_value",
                _("Give the value this target should reach, or make it a yes/no target."),
            )
        )
    if baseline_year and target_year and target_year < baseline_year:
        problems.append(
            (
                "target_year",
                _("Target year %(target)s is before the baseline year %(baseline)s.")
                % {"target": target_year, "baseline": baseline_year},
            )
        )
    if target_year and deadline_year and target_year > deadline_year:
        problems.append(
            (
                "target_year",
                _("Target year %(target)s is after the mission deadline %(deadline)s.")
                % {"target": target_year, "deadline": deadline_year},
            )
        )
    if direction != "binary" and baseline_value is not None and target_value is not None:
        if direction == "increase" and target_value <= baseline_value:
            problems.append(
                (
                    "target_value",
                    _("An increasing target should end above its baseline (%(baseline)s).")
                    % {"baseline": baseline_value},
                )
            )
        if direction == "decrease" and target_value >= baseline_value:
            problems.append(
                (
                    "target_value",
                    _("A decreasing target should end below its baseline (%(baseline)s).")
                    % {"baseline": baseline_value},
                )
            )
    return problems


def headline_target_gaps(
    *,
    title: str,
    direction: str,
    baseline_value: Decimal | None,
    baseline_year: int | None,
    target_value: Decimal | None,
    target_year: int | None,
    unit: str,
    success_condition: str,
) -> list[str]:
    """What a headline target still lacks to count as measurable (for the workflow task list)."""
    if direction == "binary":
        return (
            []
            if success_condition.strip()
            else [_("Target “%(title)s” needs a success condition.") % {"title": title}]
        )
    missing = []
    if baseline_value is None or baseline_year is None:
        missing.append(_("a baseline value and year"))
    if target_value is None or target_year is None:
        missing.append(_("a target value and year"))
    if not unit.strip():
        missing.append(_("a unit"))
    if not missing:
        return []
    return [
        _("Target “%(title)s” needs %(missing)s.")
        % {"title": title, "missing": _(" and ").join(str(item) for item in missing)}
    ]


def milestone_problems(
    *,
    year: int | None,
    value: Decimal | None,
    description: str,
    baseline_year: int | None,
    target_year: int | None,
) -> Problems:
    problems = year_problems("year", year)
    if value is None and not description.strip():
        problems.append(("description", _("A milestone needs a value or a description.")))
    if year and target_year and year > target_year:
        problems.append(
            (
                "year",
                _("Milestone year %(year)s is after the target year %(target)s.")
                % {"year": year, "target": target_year},
            )
        )
    if year and baseline_year and year < baseline_year:
        problems.append(
            (
                "year",
                _("Milestone year %(year)s is before the baseline year %(baseline)s.")
                % {"year": year, "baseline": baseline_year},
            )
        )
    return problems


def project_problems(
    *,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    budget: Decimal | None,
    public_funding: Decimal | None,
) -> Problems:
    problems = [
        *money_problems("budget", budget),
        *money_problems("public_funding", public_funding),
    ]
    if start_date and end_date and end_date < start_date:
        problems.append(
            (
                "end_date",
                _("The project ends (%(end)s) before it starts (%(start)s).")
                % {"end": end_date.isoformat(), "start": start_date.isoformat()},
            )
        )
    if budget is not None and public_funding is not None and public_funding > budget:
        problems.append(
            (
                "public_funding",
                _("Public funding (%(funding)s) cannot exceed the project budget (%(budget)s).")
                % {"funding": public_funding, "budget": budget},
            )
        )
    return problems


def as_error_dict(problems: Problems) -> dict[str, list[StrOrPromise]]:
    """Problems in the shape `ValidationError` takes, so forms put each message by its field."""
    errors: dict[str, list[StrOrPromise]] = {}
    for field, message in problems:
        errors.setdefault(field, []).append(message)
    return errors
