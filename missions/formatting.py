"""Numbers, amounts, days and choices written as pages and documents show them, from stored or
exported values (a decimal as text, an ISO date, a choice's stored value)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale
from babel.numbers import format_currency, format_decimal
from django.utils import formats, translation

from accounts import languages


def decimal_or_none(text: Any) -> Decimal | None:
    if text in (None, ""):
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def number(value: Any) -> str:
    """A number as the page's language writes it, without padding zeros: 12500000 →
    "12,500,000" (German "12.500.000"); 62.50 → "62.5" ("62,5"); missing → "—"."""
    number_value = decimal_or_none(value)
    if number_value is None:
        return "—"
    return format_decimal(number_value, locale=_locale(), decimal_quantization=False)


_LETTERS_THEN_DIGIT = re.compile(r"([^\W\d_])(\d)")
_DIGIT_THEN_LETTERS = re.compile(r"(\d)([^\W\d_])")


def _locale() -> Locale:
    return Locale.parse(translation.to_locale(languages.current()))


def money(value: Any, currency: str) -> str:
    """An amount as the page's language writes money: "€12,500,000" in English, "12.500.000 €"
    in German, "€ 12.500.000" in Dutch; cents only when there are some; missing → "—"."""
    amount = decimal_or_none(value)
    if amount is None:
        return "—"
    locale = _locale()
    pattern = locale.currency_formats["standard"].pattern
    if amount == amount.to_integral_value():
        pattern = pattern.replace("0.00", "0")
    text = format_currency(
        amount, currency or "EUR", format=pattern, locale=locale, currency_digits=False
    )
    # A currency written as letters ("SEK") never touches the digits (CLDR's currency spacing).
    return _LETTERS_THEN_DIGIT.sub("\\1\u00a0\\2", _DIGIT_THEN_LETTERS.sub("\\1\u00a0\\2", text))


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
        return formats.date_format(datetime.date.fromisoformat(str(text)[:10]), "DATE_FORMAT")
    except ValueError:
        return str(text)


def joined(items: list[str]) -> str:
    """The items once each, in order, separated by commas; empty ones left out."""
    return ", ".join(dict.fromkeys(item for item in items if item))
