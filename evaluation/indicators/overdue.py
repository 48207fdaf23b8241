"""Overdue indicators: an indicator whose latest value is older than its frequency allows.

A value is due one period after the last one, plus a grace period for publication (setting
`EVALUATION_OVERDUE_GRACE_DAYS`, default: one more period). An indicator without values is due
one period (plus grace) after it was created. Ad hoc indicators are never overdue. The Celery
beat job `mark_overdue_indicators_task` runs `mark_overdue()` nightly; adding a value re-checks
its indicator at once. Owners see it on the indicator pages.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from evaluation.indicators.models import Frequency, Indicator

PERIOD_DAYS: dict[str, int] = {
    Frequency.MONTHLY: 31,
    Frequency.QUARTERLY: 92,
    Frequency.ANNUAL: 366,
    Frequency.BIENNIAL: 731,
}


def due_date(
    frequency: str, last_period_end: datetime.date | None, created: datetime.date
) -> datetime.date | None:
    period = PERIOD_DAYS.get(frequency)
    if period is None:
        return None
    grace = getattr(settings, "EVALUATION_OVERDUE_GRACE_DAYS", None)
    grace_days = period if grace is None else int(grace)
    start = last_period_end or created
    return start + datetime.timedelta(days=period + grace_days)


def overdue_since(
    frequency: str, last_period_end: datetime.date | None, created: datetime.date,
    today: datetime.date, already: datetime.date | None = None,
) -> datetime.date | None:  # fmt: skip
    due = due_date(frequency, last_period_end, created)
    if due is None or today <= due:
        return None
    return already or today


def mark_overdue(today: datetime.date | None = None) -> int:
    """Set or clear `overdue_since` on every indicator; returns how many are overdue. Safe to
    run twice: an indicator that stays overdue keeps the date it first was."""
    today = today or timezone.localdate()
    rows = Indicator.objects.annotate(
        last=Max("measurements__period_end", filter=Q(measurements__is_current=True))
    ).only("pk", "frequency", "created_at", "overdue_since")
    changed, overdue = [], 0
    for indicator in rows.iterator(chunk_size=2000):
        since = overdue_since(
            indicator.frequency,
            indicator.last,
            timezone.localtime(indicator.created_at).date(),
            today,
            indicator.overdue_since,
        )
        overdue += since is not None
        if since != indicator.overdue_since:
            indicator.overdue_since = since
            changed.append(indicator)
    Indicator.objects.bulk_update(changed, ["overdue_since"], batch_size=2000)
    return overdue


def refresh(indicator: Indicator) -> None:
    """Re-check one indicator (after a value was added)."""
    last = indicator.measurements.filter(is_current=True).aggregate(last=Max("period_end"))["last"]
    since = overdue_since(
        indicator.frequency,
        last,
        timezone.localtime(indicator.created_at).date(),
        timezone.localdate(),
        indicator.overdue_since,
    )
    if since != indicator.overdue_since:
        indicator.overdue_since = since
        Indicator.objects.filter(pk=indicator.pk).update(overdue_since=since)
