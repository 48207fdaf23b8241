"""Values as people read them, for pages that show stored changes (the mission's history, the
audit trail): never a Python repr, an internal code, an ISO timestamp or a decimal padded with
zeros (docs: ux.md, "Plain words, always")."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from missions import formatting

DASH = "—"
_CODE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def words(name: str) -> str:
    """An internal name in words: "platform_intermediary" → "platform intermediary"."""
    return str(name).replace("_", " ")


def field_label(model: type[models.Model] | None, name: str) -> str:
    """A field's label, capitalised: "deadline_year" → "Deadline year"."""
    try:
        field = model._meta.get_field(name) if model else None
        # A reverse relation has no label of its own: its name in words.
        label = str(field.verbose_name) if isinstance(field, models.Field) else words(name)
    except Exception:  # a field the model no longer has
        label = words(name)
    return label[:1].upper() + label[1:]


def plain_number(value: Decimal | float | int) -> str:
    """5.5000 → "5.5", 3000000 → "3,000,000", as the page's language writes numbers."""
    return formatting.number(value)


def plain_value(value: Any, model_field: Any = None) -> str:
    """One stored value in words, using the field's choices when it has them."""
    if value is None or value == "" or value == "None" or value == [] or value == {}:
        return DASH
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return ", ".join(plain_value(item, model_field) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{words(key)}: {plain_value(item)}" for key, item in value.items())
    choices = getattr(model_field, "flatchoices", None) or []
    labels = {str(key): label for key, label in choices}
    if str(value) in labels:
        return str(labels[str(value)])
    if isinstance(value, int | float | Decimal):
        return plain_number(value)
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    text = str(value)
    if _DECIMAL.match(text):
        try:
            return plain_number(Decimal(text))
        except InvalidOperation:
            return text
    if len(text) == 10 and (day := _date(text)) is not None:
        return formats.date_format(day, "DATE_FORMAT")
    if 19 <= len(text) <= 32 and (moment := _datetime(text)) is not None:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if _CODE.match(text):
        return words(text)
    return text


def _date(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _datetime(text: str) -> dt.datetime | None:
    try:
        return parse_datetime(text)
    except ValueError:
        return None
