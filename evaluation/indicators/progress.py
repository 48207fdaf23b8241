"""Progress of a target against its trajectory: pure functions on plain values.

The trajectory runs in a straight line from the baseline (value, year) to the target (value,
year). A year `Y` stands for the period ending on 31 December `Y`, so a measurement for the
period ending 2025-12-31 is compared with the trajectory at 2025.0.

The rating compares the latest value with the trajectory at its date. The band (setting
`EVALUATION_PROGRESS_BAND`, default 0.10) is a share of the whole planned change
|target − baseline|: a value behind the trajectory by at most one band is on track, by at most
two bands at risk, by more off track. Being ahead of the trajectory is always on track. Edges
count towards the better rating.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_BAND = Decimal("0.10")


class Rating(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


def band() -> Decimal:
    return Decimal(str(getattr(settings, "EVALUATION_PROGRESS_BAND", DEFAULT_BAND)))


def year_fraction(day: datetime.date) -> Decimal:
    """2025-12-31 → 2025; 2026-07-02 → about 2025.5."""
    start = datetime.date(day.year, 1, 1)
    days = (datetime.date(day.year + 1, 1, 1) - start).days
    return Decimal(day.year - 1) + Decimal((day - start).days + 1) / Decimal(days)


@dataclass(frozen=True)
class Trajectory:
    baseline_value: Decimal
    baseline_year: int
    target_value: Decimal
    target_year: int
    direction: str  # increase | decrease

    @classmethod
    def of(cls, target: object) -> Trajectory | None:
        """From anything with the Target fields; None when it has no line to follow."""
        baseline_value = getattr(target, "baseline_value", None)
        target_value = getattr(target, "target_value", None)
        baseline_year = getattr(target, "baseline_year", None)
        target_year = getattr(target, "target_year", None)
        direction = getattr(target, "direction", "")
        if (
            baseline_value is None
            or target_value is None
            or baseline_year is None
            or target_year is None
            or direction not in {"increase", "decrease"}
        ):
            return None
        if target_year <= baseline_year:
            return None
        return cls(
            Decimal(baseline_value), baseline_year, Decimal(target_value), target_year, direction
        )

    def expected(self, when: Decimal) -> Decimal:
        """The trajectory's value at fractional year `when` (held flat outside its years)."""
        when = min(max(when, Decimal(self.baseline_year)), Decimal(self.target_year))
        share = (when - self.baseline_year) / Decimal(self.target_year - self.baseline_year)
        return self.baseline_value + (self.target_value - self.baseline_value) * share

    @property
    def sign(self) -> int:
        return 1 if self.direction == "increase" else -1


@dataclass(frozen=True)
class Progress:
    rating: Rating
    expected: Decimal
    value: Decimal
    period_end: datetime.date
    tolerance: Decimal


def rate(
    trajectory: Trajectory | None,
    period_end: datetime.date | None,
    value: Decimal | None,
    *,
    band_share: Decimal | None = None,
) -> Progress | None:
    """The rating of `value` (for the period ending `period_end`); None if it cannot be rated."""
    if trajectory is None or period_end is None or value is None:
        return None
    share = band() if band_share is None else band_share
    expected = trajectory.expected(year_fraction(period_end))
    tolerance = abs(trajectory.target_value - trajectory.baseline_value) * share
    shortfall = (expected - value) * trajectory.sign  # > 0: behind the trajectory
    if shortfall <= tolerance:
        rating = Rating.ON_TRACK
    elif shortfall <= 2 * tolerance:
        rating = Rating.AT_RISK
    else:
        rating = Rating.OFF_TRACK
    # The expected value is shown to people: two decimals are enough once the rating is made.
    return Progress(rating, expected.quantize(Decimal("0.01")), value, period_end, tolerance)
