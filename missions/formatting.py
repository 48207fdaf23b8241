"""Numbers, amounts, days and choices written as pages and documents show them, from stored or
exported values (a decimal as text, an ISO date, a choice's stored value)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats


def decimal_or_none(text: Any) -> Decimal | None:
    if text in (None, ""):
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def number(value: Any) -> str:
    """12500000 → "12,500,000"; 62.50 → "62.5"; missing → "—"."""
    number_value = decimal_or_none(value)
    if number_value is None:
        return "—"
    text = format(number_value.normalize(), "f")
    if "." in text:
        whole, frac = text.split(".")
        return f"{int(whole):,}.{frac}"
    return f"{int(text):,}"


def money(value: Any, currency: str) -> str:
    text = number(value)
    return text if text == "—" else f"{text} {currency}"


def label(choices: Any, value: Any) -> str:
    """The label of a stored choice; the value itself if it is not one of them."""
    try:
        return str(choices(value).label) if value not in (None, "") else ""
    except ValueError:
        return str(value)


def day(text: str | None) -> str:
    """An ISO date (or datetime) as "6 December 2026"."""
    if not text:
        return ""
    try:
        return formats.date_format(datetime.date.fromisoformat(str(text)[:10]), "j F Y")
    except ValueError:
        return str(text)


def joined(items: list[str]) -> str:
    """The items once each, in order, separated by commas; empty ones left out."""
    return ", ".join(dict.fromkeys(item for item in items if item))
