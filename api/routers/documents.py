"""Documents: ask for a canvas PDF, a briefing or a pack, follow it, download it. The same
service as the Documents page queues it; the PDF workers make it after the request commits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Status

from api import schemas
from api.http import ProblemResponse, organisation_of, refused, user_of
from api.problems import problem
from documents import selectors as document_selectors
from documents import services as document_services
from documents.models import DocumentStatus, GeneratedDocument
from missions.models import Mission

router = Router(tags=["Documents"])


def _document(request: HttpRequest, document_id: int) -> GeneratedDocument:
    try:
        return document_selectors.document_for(
            user=user_of(request), organisation=organisation_of(request), document_id=document_id
        )
    except Http404:  # the same answer for another organisation's document as for none
        raise ProblemResponse(
            problem(404, _("There is no document %(id)s.") % {"id": document_id})
        ) from None


def _data(document: GeneratedDocument) -> dict[str, Any]:
    # A pack lists its missions; a canvas or a briefing is of its one mission.
    ids = list(document.mission_ids or ([document.mission_id] if document.mission_id else []))
    keys = dict(Mission.objects.filter(pk__in=ids).values_list("pk", "key"))
    links = {"self": f"/api/v1/documents/{document.pk}"}
    if document.status == DocumentStatus.DONE:
        links["pdf"] = f"/api/v1/documents/{document.pk}/file"
        if document.kind in document_services.WORD_KINDS:
            links["docx"] = links["pdf"] + "?format=docx"
    return {
        "id": document.pk,
        "kind": document.kind,
        "title": document.title,
        "status": document.status,
        "missions": [keys[i] for i in ids if i in keys],
        "queued_at": document.queued_at,
        "finished_at": document.finished_at,
        "links": links,
    }


@router.post(
    "/documents",
    response={202: schemas.Document, 200: schemas.Document},
    summary="Ask for a PDF: a mission canvas, a ministerial briefing or a briefing pack",
    description=(
        "Answers 202 while it is being made (follow `links.self` until `status` is `done`), or "
        "200 with the document made earlier from exactly the same data."
    ),
    operation_id="requestDocument",
    openapi_extra={
        "responses": {
            "202": {
                "links": {
                    "getDocument": {
                        "operationId": "getDocument",
                        "parameters": {"document_id": "$response.body#/id"},
                    }
                }
            }
        }
    },
)
def request_document(request: HttpRequest, body: schemas.DocumentRequest) -> Any:
    try:
        with translation.override(body.language):
            document = document_services.document_request(
                by=user_of(request),
                organisation=organisation_of(request),
                kind=body.kind,
                missions=list(body.missions),
            )
    except (ValidationError, PermissionDenied) as error:
        refused(error)
    except Http404:
        raise ProblemResponse(
            problem(
                404,
                _("Not every mission named is one of the organisation's: %(keys)s.")
                % {"keys": ", ".join(body.missions)},
            )
        ) from None
    status = 200 if document.status == DocumentStatus.DONE else 202
    return Status(status, _data(document))


@router.get(
    "/documents/{document_id}",
    response={200: schemas.Document},
    summary="Follow a document: its status, and its links once done",
    operation_id="getDocument",
)
def get_document(request: HttpRequest, document_id: int) -> Any:
    return _data(_document(request, document_id))


@router.get(
    "/documents/{document_id}/file",
    response={200: None},
    summary="Download a finished document (PDF, or Word with ?format=docx)",
    operation_id="downloadDocument",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file.",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            }
        }
    },
)
def download_document(
    request: HttpRequest, document_id: int, format: str = "pdf"
) -> HttpResponse | FileResponse:
    document = _document(request, document_id)
    if document.status != DocumentStatus.DONE or not document.file:
        raise ProblemResponse(
            problem(
                409,
                _("The document is not ready yet; its status is “%(status)s”.")
                % {"status": document.get_status_display()},
            )
        )
    if format == "docx":
        if document.kind not in document_services.WORD_KINDS:
            raise ProblemResponse(problem(404, _("Only briefings and packs have a Word copy.")))
        response = HttpResponse(
            document_services.document_word(document),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{document_services.word_filename(document)}"'
        )
        return response
    if format != "pdf":
        raise ProblemResponse(
            problem(
                400,
                _("Ask for format=pdf or format=docx."),
                errors=[{"pointer": "/query/format", "detail": _("Not a format.")}],
            )
        )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        # Made once but no longer kept (pruned, or a storage the worker and web do not share).
        raise ProblemResponse(
            problem(
                404,
                _("The file of this document is no longer kept. Ask for the document again."),
                kind="file-gone",
            )
        ) from None
    return FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{document.kind}-{document.pk}.pdf",
    )
