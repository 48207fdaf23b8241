"""Citizens and civil society in a mission: the mission's public page, consultations, the ideas
people send in, their support and comments, moderation, and the published response to every
idea ("you said, we did").

- `Publication`: a mission a lead chose to show the public, as it stood when published (the
  exchange format's entry, so drafts never leak: later changes appear when it is published
  again).
- `Participant`: someone from outside who takes part, known by a confirmed e-mail address and a
  display name. A different thing from a staff `User`: a participant never signs in to the
  internal pages. One may represent a civil-society organisation, once staff verified it.
- `Consultation`: a time-boxed call on a mission, with its purpose (what will be decided with the
  input, and by when) and its questions. Staff change it through the mission-part kernel.
- `Idea`, `Support`, `Comment`, `Report`: what participants send in. Staff hide (with a reason
  the author sees) and restore, and answer each idea; the answer and what the idea became (a
  project) go through the kernel, so they are on the mission's history.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice
from accounts.models import Language, User
from missions.models import (
    Audited,
    Mission,
    MissionPart,
    MissionProject,
    Versioned,
    mission_reference,
    unique_per_mission,
)


class Publication(models.Model):
    """A mission's public page: what the public sees is `document`, taken when a lead
    published it."""

    mission = models.OneToOneField(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="publication"
    )
    document = models.JSONField(_("published content"))
    introduction = models.TextField(
        _("introduction for the public"),
        blank=True,
        validators=[MaxLengthValidator(1000)],
        help_text=_("A few sentences in everyday words: why this mission matters to people."),
    )
    # For bilingual countries: the statement and introduction in one more language, shown on
    # the public page beside the mission's own words, marked with their language.
    second_language = models.CharField(
        _("second language"), max_length=5, choices=Language.choices, blank=True
    )
    second_statement = models.TextField(
        _("mission statement in the second language"),
        blank=True,
        validators=[MaxLengthValidator(1000)],
    )
    second_introduction = models.TextField(
        _("introduction in the second language"),
        blank=True,
        validators=[MaxLengthValidator(1000)],
    )
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        User, verbose_name=_("published by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")

    def __str__(self) -> str:
        return str(self.mission)

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None


class Participant(models.Model):
    """A member of the public or of a civil-society organisation who takes part."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown beside what you send in. It need not be your real name."),
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("address confirmed"), null=True, blank=True)
    banned_at = models.DateTimeField(_("banned"), null=True, blank=True)
    ban_reason = models.CharField(_("reason for the ban"), max_length=300, blank=True)
    organisation_name = models.CharField(
        _("civil-society organisation you represent"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty if you take part for yourself. Staff check it before it shows."),
    )
    organisation_verified_at = models.DateTimeField(
        _("representation verified"), null=True, blank=True
    )
    # Sign-in links sent in the current hour, against a flood of mail to one address.
    links_sent = models.PositiveSmallIntegerField(default=0)
    links_window_from = models.DateTimeField(null=True, blank=True)
    organisation_verified_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_banned(self) -> bool:
        return self.banned_at is not None

    @property
    def verified_organisation(self) -> str:
        """The organisation this participant may speak for, once staff verified it."""
        return self.organisation_name if self.organisation_verified_at else ""


class Consultation(MissionPart, Audited, Versioned):
    """A time-boxed call for ideas on a mission, and what the input will decide."""

    mission = mission_reference("consultations")
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=160)
    purpose = models.TextField(
        _("what the input will decide"),
        validators=[MaxLengthValidator(1000)],
        help_text=_("Say plainly what will be decided with what people send in, and by whom."),
    )
    decision_by = models.DateField(
        _("decision expected by"), help_text=_("When people can expect to hear what came of it.")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    questions = models.TextField(
        _("questions"),
        validators=[MaxLengthValidator(2000)],
        help_text=_("One question per line."),
    )
    themes = models.TextField(
        _("themes"),
        blank=True,
        validators=[MaxLengthValidator(1000)],
        help_text=_("Optional: one theme per line; people may file their idea under one."),
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_on", "key"]
        constraints = [
            unique_per_mission("key", name="participation_consultation_key_unique"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="participation_consultation_closes_after_opening",
                violation_error_message=_("The consultation must close on or after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    @property
    def theme_list(self) -> list[str]:
        return [line.strip() for line in self.themes.splitlines() if line.strip()]

    @property
    def opens_later(self) -> bool:
        return timezone.localdate() < self.opens_on

    def is_open(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return self.opens_on <= day <= self.closes_on  # type: ignore[operator]


class Answer(models.TextChoices):
    """What came of an idea: the published response."""

    PENDING = "pending", _("Not answered yet")
    ADOPTED = "adopted", _("Taken up")
    MERGED = "merged", _("Merged with a similar idea")
    NOT_TAKEN = "not_taken", _("Not taken forward")


class Idea(MissionPart, Versioned):
    """An idea or solution sent in to a consultation."""

    mission = mission_reference("ideas")
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="ideas"
    )
    number = models.PositiveIntegerField(_("number"))
    # Kept when the participant deletes their data: the idea stays, without its author.
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    author_name = models.CharField(_("sent in by"), max_length=60, blank=True)
    # Sent in for the organisation the participant named: shown (`on_behalf_of`) once staff
    # verified that they represent it.
    for_organisation = models.BooleanField(_("for their organisation"), default=False)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("your idea"), validators=[MaxLengthValidator(2000)])
    place = models.CharField(
        _("place"), max_length=80, blank=True, help_text=_("Optional: a town, district or region.")
    )
    theme = models.CharField(_("theme"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("sent in"), auto_now_add=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("why it was hidden"), max_length=300, blank=True)
    answer = models.CharField(
        _("what came of it"), max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    response = models.TextField(
        _("response"),
        blank=True,
        validators=[MaxLengthValidator(1500)],
        help_text=_("Published beside the idea: what was done with it, and why."),
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder",
        verbose_name=_("brought in the stakeholder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    # The canvas box it was added to as evidence (a comment on the box, quoting it).
    canvas_box = models.CharField(_("evidence on the canvas box"), max_length=40, blank=True)
    project = models.ForeignKey(
        MissionProject,
        verbose_name=_("became the project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="participation_idea_number_unique"
            ),
            check_choice("answer", Answer, name="participation_idea_answer_valid"),
        ]
        indexes = [models.Index(fields=["mission", "answer"], name="participation_idea_answer")]

    def __str__(self) -> str:
        return self.title

    @property
    def key(self) -> str:
        return f"{self.consultation.key}-{self.number}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_answered(self) -> bool:
        return self.answer != Answer.PENDING


class Support(models.Model):
    """A participant supports an idea (once)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    # Kept, without its author, when the participant deletes their data: the count stands.
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "participant"], name="participation_support_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.idea)


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author_name = models.CharField(max_length=60, blank=True)
    body = models.TextField(_("comment"), validators=[MaxLengthValidator(1000)])
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Report(models.Model):
    """A participant tells moderators that an idea or comment breaks the rules."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    reason = models.CharField(_("what is wrong with it"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.reason[:60]
