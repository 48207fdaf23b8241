"""The objects the API's description names in its examples (api.api.PATH_EXAMPLES): a mission
`school-meals` with the project `kitchen-pilot`, the target `meals-target` (a milestone in 2027), the stakeholder `school-caterers`, two steps of the theory of change, the indicator `meals-served` and a finished
canvas PDF, in one organisation, and a mission in another; a token of each kind."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, OrganisationFactory
from api import services
from documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from evaluation.indicators import services as indicator_services
from evaluation.toc import services as toc_services
from missions.tests.factories import (
    MilestoneFactory,
    MissionFactory,
    MissionProjectFactory,
    TargetFactory,
)
from stakeholders import services as stakeholder_services


def build() -> dict[str, object]:
    """{"read", "edit": our tokens' secrets, "other": another organisation's editor token,
    "document": the PDF's id}. Set MEDIA_ROOT first: the PDF is a file."""
    ours = OrganisationFactory(slug="ministry-of-health")
    theirs = OrganisationFactory(slug="ministry-of-transport")
    mission = MissionFactory(organisation=ours, key="school-meals")
    MissionFactory(organisation=theirs, key="quiet-streets")
    MissionProjectFactory(mission=mission, key="kitchen-pilot")
    target = TargetFactory(mission=mission, key="meals-target")
    MilestoneFactory(target=target, year=2027)
    editor = MembershipFactory(organisation=ours, role="editor").user
    stakeholder_services.stakeholder_create(
        by=editor,
        mission=mission,
        name="School caterers",
        helix="industry",
        roles=["project_partner"],
        power=3,
        interest=4,
        key="school-caterers",
    )
    indicator = indicator_services.indicator_create(
        by=editor, mission=mission, name="Meals served", level="impact", unit="meals"
    )
    toc_services.node_create(
        by=editor,
        mission=mission,
        kind="output",
        title="Kitchen staff trained",
        key="kitchen-staff-trained",
    )
    toc_services.node_create(
        by=editor,
        mission=mission,
        kind="outcome",
        title="Healthier lunches",
        key="healthier-lunches",
    )
    indicator.key = "meals-served"
    indicator.save(update_fields=["key"])
    document = GeneratedDocument(
        organisation=ours,
        mission=mission,
        kind=DocumentKind.CANVAS,
        mission_ids=[mission.pk],
        title="Canvas",
        input_hash="1" * 64,
        status=DocumentStatus.DONE,
        finished_at=timezone.now(),
    )
    document.file.save("canvas.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()

    def token(organisation, role: str) -> str:
        return services.token_create(by=None, organisation=organisation, name=role, role=role)[1]

    return {
        "read": token(ours, "read"),
        "edit": token(ours, "edit"),
        "other": token(theirs, "edit"),
        "document": document.pk,
    }
