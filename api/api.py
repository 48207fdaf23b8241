"""The REST API, version 1: one NinjaAPI whose routers are in api/routers/.

django-ninja rather than Django REST framework: its operations are plain typed functions, which
is what our views already are (parse, call one selector or service, answer), and its Pydantic
schemas become the OpenAPI 3.1 description with no second library (DRF needs drf-spectacular
and serializers that would duplicate what our services validate).

Every error is a problem document (api/problems.py); authentication, rate limits, idempotent
retries and the audit trail happen before an operation runs (api/middleware.py)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from api.http import ProblemResponse
from api.problems import pointer, problem
from api.routers import documents, measurements, missions, register, stakeholders, targets, toc
from config.inputs import InputRefused, load_json

MAX_BODY_BYTES = 2 * 1024 * 1024

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """The middleware has checked the token; an operation runs only for a live one."""

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Any:
        return getattr(request, "api_caller", None)

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover
        return getattr(request, "api_caller", None)


class InputParser(Parser):
    """Bodies pass the same input rules as every form (config/inputs.py): no NUL, no lone
    surrogate, numbers kept exact, a depth limit."""

    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type != "application/json":
            raise ProblemResponse(
                problem(415, _("Send the body as JSON, with Content-Type: application/json."))
            )
        try:
            return load_json(request.body, max_bytes=MAX_BODY_BYTES)
        except InputRefused as refused:
            where = (
                "/body/" + refused.field.replace("[", "/").replace("]", "").replace(".", "/")
                if refused.field
                else "/body"
            )
            raise ProblemResponse(
                problem(
                    400,
                    _("The body is %(problem)s") % {"problem": refused.message}
                    if not refused.field
                    else _("“%(field)s” %(problem)s")
                    % {"field": refused.field, "problem": refused.message},
                    errors=[{"pointer": where, "detail": str(refused.message)}],
                )
            ) from None


# Examples of the path parameters: the keys of the worked examples in docs/api.md (and of the
# scene the contract test builds, so Schemathesis's example phase finds real objects).
PATH_EXAMPLES: dict[str, Any] = {
    "key": "school-meals",
    "project": "kitchen-pilot",
    "box": "rationale",
    "indicator": "meals-served",
    "target": "meals-target",
    "year": 2027,
    "stakeholder": "school-caterers",
    "step": "kitchen-staff-trained",
    "document_id": 1,
}

PATH_MEANINGS = {
    "key": _("The mission's key."),
    "project": _("The project's key."),
    "box": _("The canvas box's key, such as rationale (listCanvasBoxes lists them)."),
    "indicator": _("The indicator's key."),
    "target": _("The target's key."),
    "year": _("The milestone's year."),
    "stakeholder": _("The stakeholder's key on the mission's map."),
    "step": _("The key of a step of the theory of change."),
    "document_id": _("The document's number, as requestDocument answered it."),
}

# The answers any operation may give besides its own (api/problems.py).
COMMON_PROBLEMS = {
    "400": "The request could not be read: its body, a header or a query parameter.",
    "401": "No live API token was sent.",
    "403": "The token's role may not do this (a read-only token writes nothing).",
    "404": "Nothing of the token's organisation has this key.",
    "409": "A conflict: the key is taken, the document is not ready, or the same Idempotency-Key is in use.",
    "412": "If-Match names an older version; the body holds the current one.",
    "422": "Some values were not accepted; each has a JSON pointer. Nothing was saved.",
    "428": "If-Match is missing on an update.",
    "429": "Too many calls this minute; Retry-After says how many seconds to wait.",
    "405": "This address does not take this method.",
}

# The stewards' push API keeps the answers it always gave (docs/push-api.md).
PUSH_ERRORS_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "row": {"type": ["integer", "null"]},
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
            },
        }
    },
}


def _describe_push_errors(responses: dict[str, Any], problem_ref: dict[str, Any]) -> None:
    meanings = {
        "400": "Every problem, by row (from 0) and field; nothing was written.",
        "401": "No live push token was sent.",
        "405": "Only POST.",
        "413": "The body is over the upload limit.",
        "415": "The body is not JSON.",
    }
    for status, meaning in meanings.items():
        responses[status] = {
            "description": meaning,
            "content": {
                "application/json": {"schema": PUSH_ERRORS_SCHEMA},
                "application/problem+json": {"schema": problem_ref},
            },
        }


PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"pointer": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
    },
}


def _merged(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    both = {**first, **second}
    for name in ("content", "links", "headers"):
        if name in first and name in second:
            both[name] = {**first[name], **second[name]}
    return both


class LodestarAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        components.setdefault("securitySchemes", {})["StewardPushToken"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "An indicator steward's push token (lsp_…), for POST /measurements/ only.",
        }
        problem_ref = {"$ref": "#/components/schemas/Problem"}
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                # ninja keys its answers by number and openapi_extra by text: one entry each.
                merged: dict[str, Any] = {}
                for status, answer in operation.get("responses", {}).items():
                    merged[str(status)] = _merged(merged.get(str(status), {}), answer)
                operation["responses"] = merged
                responses = operation["responses"]
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") == "path" and parameter["name"] in PATH_EXAMPLES:
                        parameter["example"] = PATH_EXAMPLES[parameter["name"]]
                        parameter["description"] = str(PATH_MEANINGS[parameter["name"]])
                if operation.get("operationId") == "pushMeasurements":
                    _describe_push_errors(responses, problem_ref)
                    continue
                for status, meaning in COMMON_PROBLEMS.items():
                    responses.setdefault(
                        status,
                        {
                            "description": meaning,
                            "content": {"application/problem+json": {"schema": problem_ref}},
                        },
                    )
        return schema

    def create_response(
        self, request: HttpRequest, data: Any, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        response = super().create_response(request, data, *args, **kwargs)
        if getattr(request, "_api_etag", None):
            response["ETag"] = request._api_etag  # type: ignore[attr-defined]
        if getattr(request, "_api_location", None):
            response["Location"] = request._api_location  # type: ignore[attr-defined]
        return response


api = LodestarAPI(
    title="Lodestar API",
    version="1.0.0",
    description=(
        "Read and change an organisation's missions from another system. Authenticate with an "
        "API token made by an administrator (Organisation → API tokens): "
        "`Authorization: Bearer lsa_…`. Things are named by their keys. Every object answers "
        "with an ETag; send it back as If-Match to change it (a stale one answers 412). Send "
        "an Idempotency-Key with a POST so that a retry does the work once. Errors are "
        "application/problem+json. See docs/api.md for worked examples."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    parser=InputParser(),
    docs_url=None,
    openapi_url="/openapi.json",
)
api.add_router("", missions.router)
api.add_router("", targets.router)
api.add_router("", stakeholders.router)
api.add_router("", toc.router)
api.add_router("", register.router)
api.add_router("", measurements.router)
api.add_router("", documents.router)


@api.exception_handler(IntegrityError)
def _conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Two requests adding the same key at the same moment: the database's unique rule decides.
    logger.info("API write refused by a database rule: %s", exc)
    return problem(
        409,
        _("This conflicts with something already there, such as a key in use. Nothing was saved."),
    )


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API operation failed", exc_info=exc)
    return problem(500, _("Something went wrong on our side. It has been logged."))


@api.exception_handler(ProblemResponse)
def _problem_response(request: HttpRequest, exc: ProblemResponse) -> HttpResponse:
    return exc.response


# The names our operations give their body and query schemas (ninja puts them in the location).
OPERATION_PARAMETERS = ("changes", "new", "body", "filters")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        # ("body", "new", "title") → /body/title: the parameter's own name is not in the request.
        source, *rest = error.get("loc", ("body",))
        location = [part for part in rest if part not in OPERATION_PARAMETERS]
        errors.append({"pointer": pointer(source, *location), "detail": error.get("msg", "")})
    return problem(422, _("Some values were not accepted; nothing was saved."), errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        401,
        _("Send a live API token as “Authorization: Bearer <token>”."),
        headers={"WWW-Authenticate": 'Bearer realm="lodestar"'},
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(403, str(exc) or _("This token may not do that."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, _("There is nothing here."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ProblemResponse):  # our parser's refusal, wrapped by ninja
        return exc.__cause__.response
    return problem(exc.status_code, str(exc))
