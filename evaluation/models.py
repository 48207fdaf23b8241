"""Stored assessments of missions against the five criteria, the failure-mode warnings they
raise, and reviewers' verdicts.

- `AssessmentState`: one row per mission: is an assessment pending, and what was last assessed.
- `AssessmentRun`: one background run: queued → running → done | failed, with its input hash.
- `CriterionResult`: a run's automatic score and signals for one criterion.
- `Finding`: a warning raised on a mission, kept across runs (upserted on mission + code), with
  the team's decision about it (acknowledged / dismissed, with a reason).
- `CriterionVerdict`: a reviewer's rating (1–5) and rationale for one criterion.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.constraints import between, check_choice, check_filled
from accounts.fields import optional_link, organisation_reference, person_reference
from config.wording import in_sentence
from missions.models import Mission, PartOfMission, mission_reference, unique_per_mission


class CriterionCode(models.TextChoices):
    C1 = "c1", _("C1 Bold, inspiring and relevant to society")
    C2 = "c2", _("C2 Clear direction: targeted, measurable and time-bound")
    C3 = "c3", _("C3 Ambitious but realistic research and innovation")
    C4 = "c4", _("C4 Across disciplines, sectors and actors")
    C5 = "c5", _("C5 Many solutions, open to bottom-up ideas")


class AssessmentState(models.Model):
    """Whether a mission's assessment is out of date. `pending_since` is set when a change asks
    for an assessment and cleared only by a run that completes with no newer request waiting, so
    a failed or interrupted run leaves the mission pending until a later run completes it."""

    mission = models.OneToOneField(
        Mission,
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="assessment_state",
    )
    pending_since = models.DateTimeField(_("assessment pending since"), null=True, blank=True)
    requested_at = models.DateTimeField(_("last requested"), null=True, blank=True)
    last_hash = models.CharField(_("input hash of the last assessment"), max_length=64, blank=True)
    last_run = optional_link("AssessmentRun", _("last completed run"), on_delete=models.SET_NULL)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment state")
        verbose_name_plural = _("assessment states")

    def __str__(self) -> str:
        return f"{self.mission_id}: {'pending' if self.pending_since else 'up to date'}"

    @property
    def is_pending(self) -> bool:
        return self.pending_since is not None


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AssessmentRun(models.Model):
    """One assessment of one mission. At most one queued and one running run per mission (the
    database enforces both), so a burst of changes coalesces into a single queued run."""

    mission = mission_reference("assessment_runs")
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    input_hash = models.CharField(_("input hash"), max_length=64, blank=True)
    checks = models.JSONField(
        _("warning checks"),
        default=dict,
        blank=True,
        help_text=_("Every warning rule's status in this run: {code: status}."),
    )
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission"],
                condition=Q(status="queued"),
                name="evaluation_one_queued_run_per_mission",
            ),
            models.UniqueConstraint(
                fields=["mission"],
                condition=Q(status="running"),
                name="evaluation_one_running_run_per_mission",
            ),
            check_choice("status", RunStatus, name="evaluation_run_status_valid"),
        ]
        indexes = [models.Index(fields=["mission", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.mission_id} #{self.pk} {self.status}"


class CriterionResult(models.Model):
    """The automatic side of one criterion in one run: score (0–100, or none when nothing could
    be checked) and the signals behind it: [{code, status, weight, evidence, fix_field}]."""

    run = models.ForeignKey(
        AssessmentRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="results"
    )
    criterion = models.CharField(_("criterion"), max_length=2, choices=CriterionCode.choices)
    auto_score = models.PositiveSmallIntegerField(
        _("automatic score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    signals = models.JSONField(_("signals"), default=list)

    class Meta:
        verbose_name = _("criterion result")
        verbose_name_plural = _("criterion results")
        ordering = ["criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "criterion"], name="evaluation_result_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(auto_score__isnull=True) | Q(auto_score__lte=100),
                name="evaluation_result_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.auto_score}"


class Severity(models.TextChoices):
    INFO = "info", _("For information")
    WARN = "warn", _("Warning")
    HIGH = "high", _("High")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISMISSED = "dismissed", _("Dismissed")
    RESOLVED = "resolved", _("Resolved")


class FindingQuerySet(models.QuerySet):
    def current(self) -> FindingQuerySet:
        """Warnings the latest run still raises (whatever the team decided about them)."""
        return self.exclude(status=FindingStatus.RESOLVED)


class Finding(PartOfMission, models.Model):
    """A failure-mode warning on a mission, one row per (mission, code) across runs. A run that
    no longer raises it marks it resolved; a later run that raises it again reopens it."""

    mission = mission_reference("findings")
    code = models.CharField(_("code"), max_length=40)
    severity = models.CharField(_("severity"), max_length=4, choices=Severity.choices)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    status = models.CharField(
        _("status"), max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    reason = models.TextField(_("reason"), blank=True, validators=[MaxLengthValidator(1000)])
    decided_by = person_reference(_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["mission", "code"]
        constraints = [
            unique_per_mission("code", name="evaluation_finding_unique"),
            check_choice("severity", Severity, name="evaluation_finding_severity_valid"),
            check_choice("status", FindingStatus, name="evaluation_finding_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=["acknowledged", "dismissed"]) | ~Q(reason=""),
                name="evaluation_finding_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        """The warning in words, as people see it: "Money promised falls short of the need
        (high, open)"."""
        from evaluation.criteria.rules import get_rule

        rule = get_rule(self.code)
        label = rule.label if rule is not None else self.code.replace("_", " ").capitalize()
        return str(_("%(label)s (%(severity)s, %(status)s)")) % {
            "label": label,
            "severity": in_sentence(self.get_severity_display()),
            "status": in_sentence(self.get_status_display()),
        }


class FindingDecision(models.Model):
    """The audit trail of decisions about a warning: who, when, what and why."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("warning"), on_delete=models.CASCADE, related_name="decisions"
    )
    status = models.CharField(_("decision"), max_length=12, choices=FindingStatus.choices)
    reason = models.TextField(_("reason"), validators=[MaxLengthValidator(1000)])
    decided_by = person_reference(_("decided by"), blank=False)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("warning decision")
        verbose_name_plural = _("warning decisions")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.status}"


class CriterionVerdict(PartOfMission, models.Model):
    """A reviewer's judgement of one criterion: a rating from 1 (not at all) to 5 (fully) and
    why. Verdicts are kept; the latest per criterion counts."""

    mission = mission_reference("verdicts")
    criterion = models.CharField(_("criterion"), max_length=2, choices=CriterionCode.choices)
    reviewer = person_reference(_("reviewer"), blank=False)
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rationale = models.TextField(_("rationale"), validators=[MaxLengthValidator(2000)])
    at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("criterion verdict")
        verbose_name_plural = _("criterion verdicts")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=between("rating", 1, 5), name="evaluation_verdict_rating_range"
            ),
            check_filled("rationale", name="evaluation_verdict_has_rationale"),
        ]
        indexes = [models.Index(fields=["mission", "criterion", "-at"])]

    def __str__(self) -> str:
        return str(_("%(criterion)s: rated %(rating)s out of 5")) % {
            "criterion": self.get_criterion_display(),
            "rating": self.rating,
        }


# --- Before the canvas: the readiness check and the EU-style go/no-go review ------------------


class ReadinessStep(models.TextChoices):
    CHALLENGE = "challenge", _("Challenge")
    SUPPORT = "support", _("Support")
    OBJECTIVE = "objective", _("Objective")
    COMMITMENT = "commitment", _("Commitment")


class ReadinessCheck(models.Model):
    """The optional four-question check of whether a mission is the right tool: answers from 0
    (no) to 2 (yes) with a short note each. Taken on its own before a mission exists (mission
    empty) or for a mission; it only ever advises."""

    organisation = organisation_reference("readiness_checks")
    mission = mission_reference("readiness_checks", optional=True)
    answers = models.JSONField(
        _("answers"),
        default=dict,
        help_text=_(
            "{step: {score: 0–2, note: text}} for challenge, support, objective, commitment."
        ),
    )
    advice = models.CharField(_("advice"), max_length=20)
    taken_by = person_reference(_("taken by"), blank=False)
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)

    class Meta:
        verbose_name = _("readiness check")
        verbose_name_plural = _("readiness checks")
        ordering = ["-taken_at", "-pk"]
        indexes = [models.Index(fields=["mission", "-taken_at"])]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.mission_id or '-'} {self.advice}"

    @property
    def advice_title(self):
        from evaluation.readiness import ADVICE

        return ADVICE[self.advice].title if self.advice in ADVICE else self.advice


class GoNoGoItem(models.TextChoices):
    ADDED_VALUE = "added_value", _("Added value")
    RI_CONTENT = "ri_content", _("Research and innovation content")
    BUY_IN = "buy_in", _("Buy-in")
    GOAL = "goal", _("Ambitious, realistic, measurable and time-bound goal")
    PLAN = "plan", _("Feasible implementation plan")
    BUDGET = "budget", _("Budget")


class GoNoGoDecision(models.TextChoices):
    GO = "go", _("Go")
    NO_GO = "no_go", _("No go")
    UNSURE = "unsure", _("Unsure")


class GoNoGoReview(PartOfMission, models.Model):
    """One reviewer's EU-style go/no-go review of a mission: six items, each go / no go /
    unsure with a rationale. Reviews are kept; the latest is the current one."""

    mission = mission_reference("gonogo_reviews")
    reviewer = person_reference(_("reviewer"), blank=False)
    at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("go/no-go review")
        verbose_name_plural = _("go/no-go reviews")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["mission", "-at"])]

    def __str__(self) -> str:
        return f"{self.mission_id} go/no-go #{self.pk}"


class GoNoGoAnswer(models.Model):
    review = models.ForeignKey(
        GoNoGoReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.CharField(_("item"), max_length=12, choices=GoNoGoItem.choices)
    decision = models.CharField(_("decision"), max_length=6, choices=GoNoGoDecision.choices)
    rationale = models.TextField(_("rationale"), validators=[MaxLengthValidator(2000)])

    class Meta:
        verbose_name = _("go/no-go answer")
        verbose_name_plural = _("go/no-go answers")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "item"], name="evaluation_gonogo_one_per_item"
            ),
            check_choice("item", GoNoGoItem, name="evaluation_gonogo_item_valid"),
            check_choice("decision", GoNoGoDecision, name="evaluation_gonogo_decision_valid"),
            check_filled("rationale", name="evaluation_gonogo_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.decision}"


# Indicators, reviews and the theory of change have models modules of their own; importing
# them here is what makes Django find them (the app is `evaluation`). Import their names from
# those modules.
import evaluation.indicators.models  # noqa: E402
import evaluation.reviews.models  # noqa: E402
import evaluation.toc.models  # noqa: E402, F401
