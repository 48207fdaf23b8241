"""Generated PDF documents: what was asked for, from which inputs, and where the file is.

A `GeneratedDocument` is keyed by (organisation, kind, input hash): the hash covers the plain-data
context the document is rendered from plus the print templates' version, so the same inputs
always give the same row and its stored file, and a document is never rendered twice. The row
keeps that context (`context`), so a worker renders from it without reading other apps' models,
and the next briefing of the same mission can say what changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice, unique_per_organisation
from accounts.fields import organisation_reference, person_reference
from missions.models import Mission, OrganisationPart

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise


class DocumentKind(models.TextChoices):
    CANVAS = "canvas", _("Mission canvas")
    BRIEFING = "briefing", _("Ministerial briefing")
    PACK = "pack", _("Briefing pack")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def document_path(document: GeneratedDocument, filename: str) -> str:
    return f"documents/{document.organisation_id}/{filename}"


def rendered_mission(
    related_name: str, help_text: StrOrPromise = ""
) -> models.ForeignKey[Mission | Combinable | None, Mission | None]:
    """The mission a render shows. The render outlives it: deleting the mission empties the
    link, and the inputs kept on the row still say what was shown."""
    return models.ForeignKey(
        Mission,
        verbose_name=_("mission"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        help_text=help_text,
    )


class RenderState(models.Model):
    """What a render records on its row, the same for a document and for a pack's piece: the
    inputs it is made from (and their hash, the row's key), where it stands from queued to done
    or failed, and what the finished file measures. The file itself, and who claimed the render,
    stay on each model: they are stored under different paths and described differently."""

    input_hash = models.CharField(_("input hash"), max_length=64)
    context = models.JSONField(_("inputs"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    render_seconds = models.FloatField(_("render time (seconds)"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_stale(self) -> bool:
        """Claimed for longer than any render may take: its worker is gone."""
        from documents.rendering import stale_before

        return (
            self.status == DocumentStatus.RENDERING
            and self.started_at is not None
            and self.started_at < stale_before()
        )


class GeneratedDocument(OrganisationPart, RenderState):
    """One PDF of a mission (canvas, briefing) or of several missions (pack), with its state
    from queued to done or failed. Only the `pdf` Celery queue renders it."""

    organisation = organisation_reference("documents")
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    mission = rendered_mission(
        "documents", help_text=_("The mission of a canvas or briefing; empty for a pack.")
    )
    mission_ids = models.JSONField(
        _("missions"), default=list, blank=True, help_text=_("The missions of a pack, in order.")
    )
    title = models.CharField(_("title"), max_length=250)
    extras = models.JSONField(
        _("rendering details"),
        default=dict,
        blank=True,
        help_text=_("Printed but not part of the input hash: date prepared, changes."),
    )
    file = models.FileField(_("file"), upload_to=document_path, blank=True, max_length=300)
    claimed_by = models.CharField(
        _("claimed by"), max_length=200, blank=True, help_text=_("host:pid of the render.")
    )
    requested_by = person_reference(_("requested by"))

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-queued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "input_hash"],
                name="documents_generated_input_unique",
            ),
            check_choice("kind", DocumentKind, name="documents_generated_kind_valid"),
            check_choice("status", DocumentStatus, name="documents_generated_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.DONE) | ~Q(file=""),
                name="documents_generated_done_has_file",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-queued_at"]),
            models.Index(fields=["mission", "kind", "-queued_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (DocumentStatus.DONE, DocumentStatus.FAILED)

    @property
    def is_stale(self) -> bool:
        """Claimed for longer than any render may take (its worker is gone), or queued for that
        long (its message was lost, e.g. in a Redis restart that came back empty)."""
        from documents.rendering import stale_before

        if self.status == DocumentStatus.QUEUED:
            return self.queued_at < stale_before()
        return super().is_stale

    @property
    def can_retry(self) -> bool:
        """Failed, or claimed by a worker that is gone: stale, or marked rendering while no
        database session holds its render lock (a killed worker; documents.rendering)."""
        from documents.rendering import claim_is_abandoned

        return (
            self.status == DocumentStatus.FAILED
            or self.is_stale
            or (self.status == DocumentStatus.RENDERING and claim_is_abandoned(self))
        )

    def filename(self) -> str:
        """The name offered on download: organisation, kind, subject and date."""
        subject = self.context.get("mission", {}).get("key") or f"{len(self.mission_ids)}-missions"
        day = (self.finished_at or self.queued_at).date().isoformat()
        return f"{self.organisation.slug}-{self.kind}-{subject}-{day}.pdf"


def piece_path(piece: BriefingPiece, filename: str) -> str:
    return f"documents/{piece.organisation_id}/pieces/{filename}"


class BriefingPiece(RenderState):
    """One mission's briefing as it appears inside a briefing pack: a PDF of its own, keyed by
    (organisation, input hash of its briefing context), so every pack that holds the mission
    unchanged reuses it and a pack where one mission changed renders only that one.

    `fingerprint` is the cheap key a pack request looks pieces up by: a hash of the database
    rows the briefing is built from (documents.selectors.briefing_fingerprints), computed in a
    few aggregate queries for all missions at once instead of building each context. Pieces
    are never offered for download on their own: a pack assembles them (documents.assemble).
    """

    organisation = organisation_reference("briefing_pieces")
    mission = rendered_mission("briefing_pieces")
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True, db_index=True)
    extras = models.JSONField(_("rendering details"), default=dict, blank=True)
    outline = models.JSONField(
        _("outline"),
        default=list,
        blank=True,
        help_text=_("The piece's bookmarks: [label, page index, children]."),
    )
    file = models.FileField(_("file"), upload_to=piece_path, blank=True, max_length=300)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("briefing pack piece")
        verbose_name_plural = _("briefing pack pieces")
        constraints = [
            unique_per_organisation("input_hash", name="documents_piece_input_unique"),
            check_choice("status", DocumentStatus, name="documents_piece_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.DONE) | ~Q(file=""),
                name="documents_piece_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return self.context.get("mission", {}).get("title", f"piece {self.pk}")


class BriefingNote(models.Model):
    """What the author of a mission's ministerial briefing writes, in the order a submission
    is read: the bottom line first, then the recommendation, the decision and by when, timing,
    background, risks and their handling, communications, who to contact and who cleared it.
    Every part is optional; what is left empty is left out of the briefing. The limits are
    refused on saving (documents.forms), never cut when printing."""

    LIMITS = {
        "summary": 500,
        "recommendation": 600,
        "decision": 600,
        "timing": 400,
        "background": 1200,
        "risks": 1200,
        "communications": 600,
        "contact_officer": 200,
        "cleared_by": 200,
    }

    mission = models.OneToOneField(
        Mission,
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="briefing_note",
    )
    summary = models.TextField(_("summary"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    decision = models.TextField(_("decision requested"), blank=True)
    decision_by = models.DateField(_("decision needed by"), null=True, blank=True)
    timing = models.TextField(_("timing"), blank=True)
    background = models.TextField(_("background"), blank=True)
    risks = models.TextField(_("risks and their handling"), blank=True)
    communications = models.TextField(_("communications and stakeholder handling"), blank=True)
    contact_officer = models.CharField(_("contact officer"), max_length=200, blank=True)
    cleared_by = models.CharField(_("cleared by"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = person_reference(_("updated by"))

    class Meta:
        verbose_name = _("briefing note")
        verbose_name_plural = _("briefing notes")

    def __str__(self) -> str:
        return str(self.mission)
