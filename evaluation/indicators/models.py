"""Indicators with versioned definitions and their measurements (docs/domain.md §5.2, §7.5).

- `Indicator`: what is measured for a mission, optionally the measure of one headline target
  (at most one indicator per target). Its definition, unit and data source are versioned.
- `IndicatorVersion`: one definition of an indicator. Changing the definition, unit or data
  source adds a version; the old ones stay, and so do the measurements recorded under them.
- `Measurement`: one value for one period. A correction is a new measurement that supersedes
  the old one, which stays in the history (`is_current=False`). Nothing here is ever deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice
from accounts.fields import optional_link, person_reference
from missions.models import (
    Direction,
    MissionPart,
    ScopedQuerySet,
    Target,
    mission_reference,
    unique_per_mission,
    validate_text_list,
)


class Level(models.TextChoices):
    IMPACT = "impact", _("Impact")
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")
    INPUT = "input", _("Input")
    PROCESS = "process", _("Process")
    CAPABILITY = "capability", _("Capability")
    MARKET_SHAPING = "market_shaping", _("Market shaping")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")
    BIENNIAL = "biennial", _("Every two years")
    ADHOC = "adhoc", _("Ad hoc")


class Timing(models.TextChoices):
    LEADING = "leading", _("Leading")
    LAGGING = "lagging", _("Lagging")


class Quality(models.TextChoices):
    OFFICIAL = "official", _("Official")
    ESTIMATE = "estimate", _("Estimate")
    PROVISIONAL = "provisional", _("Provisional")


class Indicator(MissionPart):
    mission = mission_reference("indicators")
    key = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    target = models.OneToOneField(
        Target,
        verbose_name=_("headline target"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicator",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    # The current definition (a copy of the latest version, for reading without a join).
    definition = models.TextField(_("definition"), blank=True, validators=[MaxLengthValidator(500)])
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    version_number = models.PositiveIntegerField(_("definition version"), default=1)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    owner = person_reference(_("owner"))
    timing = models.CharField(
        _("leading or lagging"), max_length=10, choices=Timing.choices, default=Timing.LAGGING
    )
    disaggregations = models.JSONField(
        _("disaggregations"), default=list, blank=True, validators=[validate_text_list]
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Set by the nightly overdue job (evaluation/indicators/overdue.py): the day a value for the
    # next period was first found missing; None while the data is up to date.
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name", "key"]
        constraints = [
            unique_per_mission("key", name="evaluation_indicator_key_unique"),
            check_choice("level", Level, name="evaluation_indicator_level_valid"),
            check_choice("frequency", Frequency, name="evaluation_indicator_frequency_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorVersion(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.TextField(_("definition"), blank=True, validators=[MaxLengthValidator(500)])
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("from"), default=timezone.now)
    created_by = person_reference(_("changed by"))

    class Meta:
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")
        ordering = ["indicator", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "number"], name="evaluation_indicator_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} v{self.number}"


class MeasurementQuerySet(ScopedQuerySet):
    organisation_path = "indicator__mission__organisation"


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    version = models.ForeignKey(
        IndicatorVersion,
        verbose_name=_("definition version"),
        on_delete=models.PROTECT,
        related_name="measurements",
    )
    period_end = models.DateField(_("period ending"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    source_ref = models.CharField(_("source reference"), max_length=200, blank=True)
    quality = models.CharField(
        _("quality"), max_length=12, choices=Quality.choices, default=Quality.OFFICIAL
    )
    entered_by = person_reference(_("entered by"))
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    is_current = models.BooleanField(_("current"), default=True)
    # Set when the value came through the push API (evaluation/indicators/api.py): which token.
    entered_via = optional_link("IndicatorPushToken", _("pushed with"), on_delete=models.SET_NULL)

    objects = MeasurementQuerySet.as_manager()

    # Not stored: what an indicator's page sets on the history rows it shows
    # (`selectors.indicator_page` says each in words; `IndicatorPage.link_corrections` links it).
    quality_words: str
    period_text: str
    entered_text: str
    value_text: str
    version_text: str
    correct_text: str
    token_text: str
    correct_url: str

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "period_end", "entered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end"],
                condition=Q(is_current=True),
                name="evaluation_measurement_one_current_per_period",
            ),
            check_choice("quality", Quality, name="evaluation_measurement_quality_valid"),
        ]
        indexes = [
            models.Index(
                fields=["indicator", "is_current", "period_end"],
                name="evaluation_measurement_series",
            )
        ]

    def __str__(self) -> str:
        from missions.plain_words import plain_value

        return f"{plain_value(self.period_end)}: {plain_value(self.value)}"


class IndicatorSteward(models.Model):
    """A person outside the mission's organisation (a statistics office, say) who may add values
    to this one indicator and read nothing else of the mission (evaluation/indicators/stewards.py).
    Revoking keeps the row, so the history says who could write when."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="stewards"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("steward"),
        on_delete=models.CASCADE,
        related_name="stewardships",
    )
    invited_by = person_reference(_("invited by"))
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = person_reference(_("revoked by"))

    class Meta:
        verbose_name = _("indicator steward")
        verbose_name_plural = _("indicator stewards")
        ordering = ["indicator", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "user"],
                condition=Q(revoked_at__isnull=True),
                name="evaluation_steward_one_active_per_indicator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} stewards {self.indicator_id}"

    @property
    def organisation(self):  # the mission's organisation, which predicates read
        return self.indicator.mission.organisation


class IndicatorPushToken(models.Model):
    """A steward's secret for the push API. Only its sha256 is stored; the full token is shown
    once, when it is made. It writes as its steward, to the indicators they steward at the time
    of each push, so revoking a stewardship also stops the token writing there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("steward"),
        on_delete=models.CASCADE,
        related_name="indicator_push_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    prefix = models.CharField(_("first characters"), max_length=12)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("push token")
        verbose_name_plural = _("push tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name
