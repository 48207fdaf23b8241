"""Canvas text: one `CanvasBox` per mission and box (except the mission statement, which is the
mission's own `statement` field), and a `CanvasBoxRevision` for every save, so the history
shows who wrote what and when. Writes go through `canvas.services`."""

from __future__ import annotations

import datetime

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice, check_filled
from accounts.fields import optional_link, person_reference
from canvas.boxes import ROW_KEYS, TEXT_LIMIT, BoxKey
from missions.models import mission_reference, unique_per_mission


class CanvasBox(models.Model):
    """The current text of one canvas box of a mission. `version` goes up by one on every
    save that changes the text; a page sends back the version it showed, and a save based on
    an older one is refused (see `canvas.services.canvas_box_save`)."""

    mission = mission_reference("canvas_boxes")
    box_key = models.CharField(_("box"), max_length=30, choices=BoxKey.choices)
    text = models.TextField(_("text"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)])
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("changed"), null=True, blank=True)
    updated_by = person_reference(_("changed by"))
    # The text is still the worked example the box was filled with (canvas_fill_examples), not
    # the team's own words: completeness, hints and documents do not count it as written.
    is_example = models.BooleanField(_("still the worked example"), default=False)

    class Meta:
        verbose_name = _("canvas box")
        verbose_name_plural = _("canvas boxes")
        constraints = [
            unique_per_mission("box_key", name="canvas_box_unique_per_mission"),
            # The mission statement lives on the mission, never here.
            models.CheckConstraint(
                condition=Q(box_key__in=list(ROW_KEYS)), name="canvas_box_key_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission} – {self.get_box_key_display()}"


class CanvasBoxRevision(models.Model):
    """One saved version of a box's text: who saved it, when, and the whole text. Kept for
    every box including the mission statement, so the history reads the same everywhere."""

    mission = mission_reference("+")
    box_key = models.CharField(_("box"), max_length=30, choices=BoxKey.choices)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    user = person_reference(_("by"))
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("canvas box revision")
        verbose_name_plural = _("canvas box revisions")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["mission", "box_key", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_box_key_display()} v{self.version}"


class FactsStamp(models.Model):
    """Goes up by one whenever any record a canvas box summarises changes (targets, projects,
    stakeholders, indicators, reviews...: everything `missions.hooks.mission_changed` hears of,
    except a box's own text). Part of the key the box facts are cached under, so a page shows
    them without exporting the mission again, in every process, and never stale."""

    mission = models.OneToOneField(
        "missions.Mission", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.mission_id}: {self.version}"


COMMENT_LIMIT = 2000


class CanvasComment(models.Model):
    """A comment on one box of a mission's canvas, by an editor or reviewer. Plain text with
    line breaks. Anyone who may comment may resolve it (and reopen it); resolved comments stay,
    so the discussion can be read later. Writes go through `canvas.services`."""

    mission = mission_reference("canvas_comments")
    box_key = models.CharField(_("box"), max_length=30, choices=BoxKey.choices)
    text = models.TextField(_("comment"), validators=[MaxLengthValidator(COMMENT_LIMIT)])
    author = person_reference(_("by"))
    # A reply belongs to the comment it answers: replies are one level deep, so a reply to a
    # reply is stored under the comment that opened the discussion (canvas.services).
    parent = optional_link("self", _("reply to"), on_delete=models.CASCADE, related_name="replies")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = person_reference(_("resolved by"))

    class Meta:
        verbose_name = _("canvas comment")
        verbose_name_plural = _("canvas comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["mission", "box_key", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="canvas_comment_not_its_own_reply"
            ),
        ]

    # Not stored: the replies `canvas.selectors.threads` attaches, read through `thread`.
    _thread: list[CanvasComment]

    def __str__(self) -> str:
        return f"{self.get_box_key_display()}: {self.text[:40]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def thread(self) -> list[CanvasComment]:
        """The replies under this comment, oldest first, as `canvas.selectors` attached them
        (one query for the whole canvas); empty for a reply."""
        return getattr(self, "_thread", [])


NOTE_LIMIT = 280


class Workshop(models.Model):
    """A workshop on a mission's canvas, and its link: whoever has the link may add quick notes
    to the canvas's boxes until `ends_at` (or until the facilitator ends it), and nothing else.
    The link is a capability, like a shared document's: its `token` is long and random, and a
    workshop is short."""

    mission = mission_reference("workshops")
    title = models.CharField(_("title"), max_length=120)
    token = models.CharField(_("link code"), max_length=64, unique=True, editable=False)
    created_by = person_reference(_("started by"))
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    ends_at = models.DateTimeField(_("link works until"))
    ended_at = models.DateTimeField(_("ended early"), null=True, blank=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-created_at", "-pk"]
        constraints = [check_filled("title", name="canvas_workshop_title_filled")]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: datetime.datetime) -> bool:
        return self.ended_at is None and now < self.ends_at


class NoteStatus(models.TextChoices):
    NEW = "new", _("New")
    USED = "used", _("Added to the box")
    SET_ASIDE = "set_aside", _("Set aside")


class WorkshopNote(models.Model):
    """A quick note on one box, added during a workshop by someone with its link (signed in or
    not); the facilitator adds it to the box's text, moves it to another box, or sets it
    aside."""

    mission = mission_reference("workshop_notes")
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="notes"
    )
    box_key = models.CharField(_("box"), max_length=30, choices=BoxKey.choices)
    text = models.TextField(_("note"), validators=[MaxLengthValidator(NOTE_LIMIT)])
    author = person_reference(_("by"))
    # What a participant without an account wrote as their name (may be empty).
    author_name = models.CharField(_("name"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=NoteStatus.choices, default=NoteStatus.NEW
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop note")
        verbose_name_plural = _("workshop notes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["mission", "box_key", "status"])]
        constraints = [
            check_filled("text", name="canvas_note_text_filled"),
            check_choice("status", NoteStatus, name="canvas_note_status_valid"),
            check_choice("box_key", BoxKey, name="canvas_note_box_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_box_key_display()}: {self.text[:40]}"

    @property
    def by(self) -> str:
        """Who wrote it, as the board shows it."""
        if self.author is not None:
            return str(self.author)
        return self.author_name
