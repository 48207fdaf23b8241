from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def _document_summary(organisation) -> str:
    from documents.models import GeneratedDocument

    count = GeneratedDocument.objects.filter(organisation=organisation).count()
    return ngettext("%(count)d document", "%(count)d documents", count) % {"count": count}


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    @property
    def covering_note_limit(self) -> int:
        """The longest covering note a pack request takes (characters), for the forms of other
        apps that post a pack request here (the missions list)."""
        from documents.queueing import COVERING_NOTE_MAX_LENGTH

        return COVERING_NOTE_MAX_LENGTH

    def ready(self) -> None:
        from accounts.sections import OrganisationSection, register_organisation_section
        from documents import ahead
        from missions import hooks

        # Documents already exported for a mission are made again once a change settles.
        hooks.on_mission_changed(ahead.on_mission_changed, many=ahead.on_missions_changed)

        register_organisation_section(
            OrganisationSection(
                "documents",
                _("Documents"),
                "documents:list",
                30,
                description=_("Canvases, briefings and packs prepared for ministers, as PDF."),
                summary=_document_summary,
                covers=("documents:",),
            )
        )
