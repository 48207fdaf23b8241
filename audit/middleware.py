"""Records every file a signed-in user downloads (CSV, JSON, spreadsheets, PDFs) as an audit
event, whichever app's view produced it: any successful response sent as an attachment.
The organisation and mission come from the URL (`org_slug`, `mission_key`), a document download
from its `document_id`. A view may add details (the filters of an export) as
`response.audit_details`, answering with a `DownloadResponse`."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from accounts.models import Organisation
from audit import services

_FILENAME = re.compile(r'filename="?([^";]+)"?')


class DownloadResponse(HttpResponse):
    """An attachment that tells the audit trail more about itself than its file name."""

    audit_details: dict[str, Any] | None = None


class DownloadAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        if response.status_code == 200 and disposition.startswith("attachment"):
            self._record(request, response, disposition)
        return response

    def _record(self, request: HttpRequest, response: HttpResponse, disposition: str) -> None:
        user = request.user
        match = request.resolver_match
        if not user.is_authenticated or match is None or "org_slug" not in match.kwargs:
            return
        organisation = (
            Organisation.objects.visible_to(user).filter(slug=match.kwargs["org_slug"]).first()
        )
        if organisation is None:
            return
        obj: models.Model = organisation
        mission_id = None
        if "document_id" in match.kwargs:
            from documents.models import GeneratedDocument

            document = GeneratedDocument.objects.filter(
                pk=match.kwargs["document_id"], organisation=organisation
            ).first()
            if document is not None:
                obj, mission_id = document, document.mission_id
        elif "mission_key" in match.kwargs:
            from missions.models import Mission

            mission = Mission.objects.filter(
                organisation=organisation, key=match.kwargs["mission_key"]
            ).first()
            if mission is not None:
                obj, mission_id = mission, mission.pk
        filename = _FILENAME.search(disposition)
        services.record_download(
            by=user,
            obj=obj,
            organisation_id=organisation.pk,
            mission_id=mission_id,
            filename=filename.group(1) if filename else "",
            details=getattr(response, "audit_details", None),
        )
