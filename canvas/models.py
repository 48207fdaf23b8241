"""Canvas text: one `CanvasBox` per mission and box (except the mission statement, which is the
mission's own `statement` field), and a `CanvasBoxRevision` for every save, so the history
shows who wrote what and when. Writes go through `canvas.services`."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.fields import person_reference
from canvas.boxes import ROW_KEYS, TEXT_LIMIT, BoxKey
from missions.models import mission_reference


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

    class Meta:
        verbose_name = _("canvas box")
        verbose_name_plural = _("canvas boxes")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "box_key"], name="canvas_box_unique_per_mission"
            ),
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
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
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
