"""What every operation shares: the caller, versions as ETags, If-Match, keyset cursors, and
turning a service's refusal into a problem document."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Status

from accounts.models import Organisation, User
from api.problems import pointer, problem
from api.services import Caller
from missions.models import Mission
from missions.parts import ConflictError


class ProblemResponse(Exception):
    """Raised by an operation to answer with a problem document (api/api.py turns it into one)."""

    def __init__(self, response: HttpResponse):
        self.response = response
        super().__init__(response.status_code)


def caller_of(request: HttpRequest) -> Caller:
    caller: Caller | None = getattr(request, "api_caller", None)
    if caller is None:  # the auth step let nothing else through
        raise PermissionDenied
    return caller


def user_of(request: HttpRequest) -> User:
    return caller_of(request).user


def organisation_of(request: HttpRequest) -> Organisation:
    return caller_of(request).token.organisation


def etag(version: int) -> str:
    return f'"{version}"'


API_ROOT = "/api/v1"


def address(*parts: str) -> str:
    """An object's address in the API (keys are slugs: nothing to escape)."""
    return "/".join([API_ROOT, *parts])


def answer(
    request: HttpRequest, data: dict[str, Any], *, version: int | None = None, status: int = 200
) -> Status[dict[str, Any]]:
    """The data, its version as the ETag and, when it was just made, its address as the
    Location (api/api.py puts both on the response)."""
    if version is not None:
        request._api_etag = etag(version)  # type: ignore[attr-defined]
    if status == 201 and "links" in data:
        request._api_location = data["links"]["self"]  # type: ignore[attr-defined]
    return Status(status, data)


def key_in_use(message: str) -> ProblemResponse:
    """409 for a new object whose key is already another's (pointing at the body's key)."""
    return ProblemResponse(
        problem(409, message, errors=[{"pointer": "/body/key", "detail": _("Already in use.")}])
    )


def mission_of(request: HttpRequest, key: str) -> Mission:
    """A mission of the token's organisation, archived ones included; 404 for anything else."""
    mission = (
        Mission.objects.visible_to(user_of(request))
        .filter(organisation=organisation_of(request), key=key)
        .select_related("challenge", "parent", "owner", "coordinator", "organisation")
        .first()
    )
    if mission is None:
        raise ProblemResponse(problem(404, _("There is no mission “%(key)s”.") % {"key": key}))
    return mission


def expected_version(request: HttpRequest) -> int:
    """The version an update is based on, from If-Match: 428 without it, 412 if unreadable."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise ProblemResponse(
            problem(
                428,
                _(
                    "Send If-Match with the ETag of the version you read, so that nobody's change is overwritten unseen."
                ),
                kind="if-match-required",
            )
        )
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 9:
        raise ProblemResponse(
            problem(
                412,
                _("If-Match holds no version of this object. Read it again and send its ETag."),
                kind="stale-version",
            )
        )
    return int(value)


def refused(error: Exception, current: dict[str, Any] | None = None) -> NoReturn:
    """A service's refusal as the problem the integrator reads."""
    if isinstance(error, ConflictError):
        raise ProblemResponse(
            problem(
                412,
                _(
                    "Someone changed this since version %(expected)s; it is at version %(current)s now. Read it again, then send your change with its ETag."
                )
                % {"expected": error.expected_version, "current": error.current_version},
                kind="stale-version",
                current_version=error.current_version,
                current=current,
                headers={"ETag": etag(error.current_version)},
            )
        )
    if isinstance(error, ValidationError):
        errors = []
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    name = "" if field == "__all__" else field
                    errors.append(
                        {"pointer": pointer("body", name) if name else "/body", "detail": message}
                    )
        else:
            errors = [{"pointer": "/body", "detail": message} for message in error.messages]
        raise ProblemResponse(
            problem(422, _("Some values were not accepted; nothing was saved."), errors=errors)
        )
    if isinstance(error, PermissionDenied):
        raise ProblemResponse(problem(403, str(error) or _("This token may not do that.")))
    if isinstance(error, Http404):
        raise ProblemResponse(problem(404, str(error) or _("There is nothing here.")))
    raise error


# --- Keyset cursors ----------------------------------------------------------------------------


def encode_cursor(position: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": position}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    """The key a page starts after; 400 for a cursor this API did not give."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        position = data["after"]
        if not isinstance(position, str) or len(position) > 200:
            raise ValueError
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise ProblemResponse(
            problem(
                400,
                _("This cursor was not given by the API. Start again without a cursor."),
                errors=[{"pointer": "/query/cursor", "detail": _("Not a cursor from this API.")}],
            )
        ) from None
    return position
