"""A small typed reader for the JSON objects of a document: each field described once (a
`FieldSpec`), read and converted with every problem reported at its path. Sections of other
apps read their parts with it too."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from config.inputs import InputRefused, decimal_value, single_line
from missions import validation
from missions.exchange.results import ExchangeError

MONEY = (14, 2)  # the columns of budgets and funding
KEY_RE = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
MISSING = object()


@dataclass(frozen=True)
class FieldSpec:
    """One field of a JSON object: its name, kind and limits (what `read_object` checks).

    kinds: key, str, int, decimal, date, datetime, bool, ints, strs."""

    name: str
    kind: str
    required: bool = False
    choices: type[models.TextChoices] | None = None
    blank_choice: bool = False
    max_length: int | None = None
    default: Any = None
    # A decimal's column: (max_digits, decimal_places). Values are rounded to it, then checked.
    digits: tuple[int, int] = (20, 4)
    # A decimal's own rule where it is stricter than its column (a measurement: the service's).
    maximum: Decimal | None = None


def type_error(path: str, expected: str, value: Any) -> ExchangeError:
    got = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)
    return ExchangeError(
        path, _("expected %(expected)s, got %(got)s.") % {"expected": expected, "got": got}
    )


_choice_values: dict[type[models.TextChoices], frozenset[str]] = {}


def _values_of(choices: type[models.TextChoices]) -> frozenset[str]:
    """The values of a choices class, found once (`choices.values` builds a new list each time,
    and a document asks for them once per field per object)."""
    values = _choice_values.get(choices)
    if values is None:
        values = _choice_values[choices] = frozenset(choices.values)
    return values


def _convert(spec: FieldSpec, value: Any, path: str) -> tuple[Any, ExchangeError | None]:
    kind = spec.kind
    if value is None:
        if spec.required:
            return None, ExchangeError(path, _("is required and cannot be null."))
        return (list(spec.default) if isinstance(spec.default, list) else spec.default), None
    if kind in {"key", "str"}:
        if not isinstance(value, str):
            return None, type_error(path, _("text"), value)
        if kind == "key" and not KEY_RE.match(value):
            return None, ExchangeError(
                path,
                _("%(value)r is not a valid key (letters, digits, - and _, at most 80).")
                % {"value": value},
            )
        if spec.required and not value.strip():
            return None, ExchangeError(path, _("is required and cannot be empty."))
        if spec.max_length and len(value) > spec.max_length:
            return None, ExchangeError(
                path,
                _("is %(length)s characters long; the limit is %(limit)s.")
                % {"length": len(value), "limit": spec.max_length},
            )
        blank_allowed = spec.blank_choice and value == ""
        if spec.choices is not None and not blank_allowed and value not in _values_of(spec.choices):
            return None, not_a_choice(path, value, spec.choices.values)
        return value, None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, type_error(path, _("a whole number"), value)
        return value, None
    if kind == "bool":
        if not isinstance(value, bool):
            return None, type_error(path, _("true or false"), value)
        return value, None
    if kind == "decimal":
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None, type_error(path, _('a number (preferably as text, e.g. "12.50")'), value)
        max_digits, decimal_places = spec.digits
        try:
            number = decimal_value(
                value, field=path, max_digits=max_digits, decimal_places=decimal_places
            )
        except InputRefused as refused:
            shown = single_line(str(value), limit=40)
            if refused.code == "not_a_number":
                return None, ExchangeError(path, _("%(value)r is not a number.") % {"value": shown})
            return None, ExchangeError(path, _("%(value)s is out of range.") % {"value": shown})
        # What the column holds, and no more than the app itself accepts: every value the app
        # stored can be exported and imported again.
        if spec.maximum is not None and abs(number) >= spec.maximum:
            return None, ExchangeError(path, _("%(value)s is out of range.") % {"value": value})
        return number, None
    if kind in {"date", "datetime"}:
        if not isinstance(value, str):
            return None, type_error(path, _("a date as text"), value)
        try:
            parsed = parse_date(value) if kind == "date" else parse_datetime(value)
        except ValueError:
            parsed = None
        # parse_date never gives a datetime, so only a datetime field can be naive.
        if parsed is None or (isinstance(parsed, datetime) and timezone.is_naive(parsed)):
            example = "2021-09-29" if kind == "date" else "2021-09-29T10:00:00+00:00"
            return None, ExchangeError(
                path,
                _("%(value)r is not a date like %(example)s.")
                % {"value": value, "example": example},
            )
        return parsed, None
    if kind in {"ints", "strs"}:
        if not isinstance(value, list):
            return None, type_error(path, _("a list"), value)
        item_type = int if kind == "ints" else str
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, item_type) or item == "":
                return None, type_error(
                    f"{path}[{index}]", _("a whole number") if kind == "ints" else _("text"), item
                )
        return list(value), None
    raise AssertionError(f"unknown field kind {kind}")


def read_object(
    data: Any, path: str, specs: Iterable[FieldSpec], errors: list[ExchangeError]
) -> dict[str, Any] | None:
    """Check `data` is an object with the fields `specs` describe; return converted values.
    Problems go to `errors`; fields not in `specs` are left for the caller."""
    if not isinstance(data, dict):
        errors.append(type_error(path, _("an object"), data))
        return None
    values: dict[str, Any] = {}
    for spec in specs:
        raw = data.get(spec.name, MISSING)
        field_path = f"{path}.{spec.name}" if path else spec.name
        if raw is MISSING:
            if spec.required:
                errors.append(ExchangeError(field_path, _("is required.")))
                continue
            raw = None
        value, error = _convert(spec, raw, field_path)
        if error:
            errors.append(error)
        else:
            values[spec.name] = value
    return values


def read_list(data: Any, path: str, errors: list[ExchangeError]) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        errors.append(type_error(path, _("a list"), data))
        return []
    return data


def read_items(
    data: Any, path: str, specs: Iterable[FieldSpec], errors: list[ExchangeError]
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Each object of the list at `path`: its path, the object itself (for the lists it holds)
    and its values (`read_object`; a field with a problem is left out). Anything in the list
    that is not an object is reported and passed over."""
    for index, item in enumerate(read_list(data, path, errors)):
        item_path = f"{path}[{index}]"
        values = read_object(item, item_path, specs, errors)
        if values is not None:
            yield item_path, item, values


def report_duplicates(
    items: Iterable[tuple[str, Any]],
    what: str | Promise,  # a lazy translation is translated only if a duplicate is found
    errors: list[ExchangeError],
    *,
    ignore_case: bool = False,
) -> None:
    seen: dict[Any, str] = {}
    for path, value in items:
        if value is None:
            continue
        compared = value.lower() if ignore_case and isinstance(value, str) else value
        if compared in seen:
            errors.append(
                ExchangeError(
                    path,
                    _("%(what)s %(value)r is already used at %(first)s.")
                    % {"what": what, "value": value, "first": seen[compared]},
                )
            )
        else:
            seen[compared] = path


def problems_at(path: str, problems: validation.Problems) -> list[ExchangeError]:
    return [ExchangeError(f"{path}.{name}", str(message)) for name, message in problems]


def not_a_choice(path: str, value: Any, choices: Iterable[str]) -> ExchangeError:
    return ExchangeError(
        path,
        _("%(value)r is not one of: %(choices)s.")
        % {"value": value, "choices": ", ".join(choices)},
    )


def unknown_target(path: str, key: str) -> ExchangeError:
    """A reference to a target the mission does not have (in the document or stored)."""
    return ExchangeError(
        path, _("refers to target %(key)r, which this mission does not have.") % {"key": key}
    )


def unknown_actor(path: str, key: str) -> ExchangeError:
    """A reference to an actor neither the document nor the organisation's register has."""
    return ExchangeError(
        path,
        _("refers to actor %(key)r, which is not in the document's actors.") % {"key": key},
    )
