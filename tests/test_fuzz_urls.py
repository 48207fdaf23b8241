"""A fuzzer that cannot miss a URL: every URL pattern of the app, with every query parameter and
form field its view reads, gets hostile values — and never answers 500, and never writes when
it refuses.

Which parameters a view reads is found, not listed: a first request records every key the view
looks up in `request.GET`, `request.POST` and `request.FILES` (a form reads all of its fields),
and `READS_AFTER_VALIDATION` declares the few a view reads only once its form is valid. Each URL
and method is then requested, as the most powerful person the permission table lets in
(tests/permissions.py), once per hostile value with that value in every key — and once as every
other role with all the values at once, so nothing that runs before the permission check can
crash either. A refusal (4xx) must leave every table as it was: PostgreSQL's per-transaction row
counters see even a write that was rolled back (as in the permission matrix).

A URL without a line in the permission table already fails the matrix; here a URL that no role
could reach (so nothing was fuzzed) fails the test too.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from canvas.models import Workshop
from tests import permissions
from tests.permissions import (
    ADMIN,
    ANONYMOUS,
    EDITOR,
    LEAD,
    OUTSIDER,
    REVIEWER,
    STEWARD,
    VIEWER,
    No,
)
from tests.test_role_matrix import PAYLOAD, _changed, _scene, _table_urls, _writes

# Values no page should ever choke on. Each is sent alone in every key the view reads; the
# last entry sends several values for one key, as a repeated parameter does.
HOSTILE: list[Any] = [
    "a\x00b",
    "²",
    "\x1b[31mred",
    "line\r\nbreak: injected",
    "x" * 100_000,
    "9" * 5_000,
    "-1",
    "1e-999999999",
    "999999999999999.99999",
    '{"a":' * 500 + "1" + "}" * 500,
    ["1", "²"],
]

# Keys a view reads only after its form is valid (so the recording request cannot see them).
READS_AFTER_VALIDATION: dict[str, set[str]] = {
    "canvas:comment_add": {"text"},
}

# Who is refused on the way in: a stranger who is signed in, and someone who is not.
REFUSED_PEOPLE = (OUTSIDER, ANONYMOUS)

# The most access first: the person whose request reaches deepest into the view.
DEPTH = (ADMIN, LEAD, EDITOR, REVIEWER, VIEWER, STEWARD, OUTSIDER, ANONYMOUS)


SEEN: set[str] = set()  # the keys the view under test looked up


class _Records:
    """Remembers in SEEN every key looked up, whichever way the view asks."""

    def __getitem__(self, key: str) -> Any:
        SEEN.add(key)
        return super().__getitem__(key)  # type: ignore[misc]

    def get(self, key: str, default: Any = None) -> Any:
        SEEN.add(key)
        return super().get(key, default)  # type: ignore[misc]

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        SEEN.add(key)
        return super().getlist(key, default)  # type: ignore[misc]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            SEEN.add(key)
        return super().__contains__(key)  # type: ignore[misc]


class _RecordingQueryDict(_Records, QueryDict):
    pass


class _RecordingFiles(_Records, MultiValueDict):
    pass


def _recording(original: MultiValueDict, copy: MultiValueDict) -> Any:
    for key, values in original.lists():
        copy.setlist(key, values)
    if isinstance(copy, QueryDict):
        copy._mutable = False  # as Django hands them to views
    return copy


def record_reads(get_response: Callable[[HttpRequest], HttpResponse]):
    """Test middleware: swap the request's parameter dicts for recording copies."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request.GET = _recording(request.GET, _RecordingQueryDict(mutable=True))
        if request.method == "POST":
            request._post = _recording(request.POST, _RecordingQueryDict(mutable=True))  # type: ignore[attr-defined]
            request._files = _recording(request.FILES, _RecordingFiles())  # type: ignore[attr-defined]
        return get_response(request)

    return middleware


def _deepest(allowed: frozenset) -> str:
    """Whom to send: the most powerful person let in; if nobody is (a method no one may use),
    an administrator, who gets furthest into the refusal."""
    if isinstance(allowed, No):
        return ADMIN
    return next((role for role in DEPTH if role in allowed), ADMIN)


def _send(client: Client, method: str, url: str, keys: set[str], value: Any):
    data = dict.fromkeys(keys, value)
    if method == "GET":
        return client.get(url, data)
    return getattr(client, method.lower())(url, data)


def _targets(scene) -> list[tuple[str, str, str, str]]:
    """(URL name, URL, method, deepest role) for every URL and method of the table."""
    found = []
    for name, params in _table_urls():
        entry = permissions.TABLE[name]
        url = reverse(name, kwargs={p: scene.values[p] for p in params})
        for method, allowed in entry.items():
            if method == "refused":
                continue
            found.append((name, url, method, _deepest(allowed)))
    return found


def _client_for(scene, role: str, clients: dict[str, Client]) -> Client:
    client = clients.get(role)
    if client is None:
        client = clients[role] = Client(raise_request_exception=False)
    user = scene.people[role]
    if user is not None and not client.cookies.get("sessionid", None):
        client.force_login(user)
    elif user is not None and not client.cookies["sessionid"].value:
        client.force_login(user)  # signed out by accounts:logout: sign in again
    return client


def _attempt(client, method, url, keys, value) -> tuple[HttpResponse, list[str]]:
    before = _writes()
    with transaction.atomic():
        response = _send(client, method, url, keys, value)
        after = _writes()
        transaction.set_rollback(True)
    return response, _changed(before, after)


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 30 else text[:27] + "…"


@pytest.mark.django_db
def test_every_url_takes_hostile_input_without_a_500(member, organisation, outsider):
    with override_settings(MIDDLEWARE=["tests.test_fuzz_urls.record_reads", *settings.MIDDLEWARE]):
        _fuzz(member, organisation, outsider)


def _fuzz(member, organisation, outsider) -> None:
    scene = _scene(member, organisation, outsider)
    clients: dict[str, Client] = {}
    failures: list[str] = []
    fuzzed: set[str] = set()
    for name, url, method, role in _targets(scene):
        client = _client_for(scene, role, clients)
        SEEN.clear()
        _attempt(client, method, url, set(PAYLOAD), "1")
        keys = SEEN | READS_AFTER_VALIDATION.get(name, set()) | {"q"}
        for value in HOSTILE:
            client = _client_for(scene, role, clients)
            response, wrote = _attempt(client, method, url, keys, value)
            status = response.status_code
            if status >= 500:
                failures.append(f"{name} {method} as {role} with {_describe(value)} → {status}")
            elif status >= 400 and wrote:
                failures.append(
                    f"{name} {method} as {role} with {_describe(value)} → {status}, "
                    f"yet wrote to {', '.join(wrote)}"
                )
        fuzzed.add(name)
        # People the table refuses: all the values at once (several values for each key), for
        # whatever runs before the permission check. Those it lets in got each value above.
        for other in REFUSED_PEOPLE:
            if other == role:
                continue
            client = _client_for(scene, other, clients)
            response, wrote = _attempt(
                client, method, url, keys, [v for v in HOSTILE if isinstance(v, str)]
            )
            if response.status_code >= 500:
                failures.append(f"{name} {method} as {other} with every value → 500")
            elif response.status_code >= 400 and wrote:
                failures.append(f"{name} {method} as {other} → refused, yet wrote {wrote}")
    assert not failures, f"{len(failures)} hostile requests failed:\n" + "\n".join(failures)
    missed = {name for name, _params in _table_urls()} - fuzzed
    assert not missed, f"no role could reach these URLs, so they were not fuzzed: {missed}"


# JSON bodies for the push API, which reads no form: each must be refused with a reason.
HOSTILE_JSON = [
    "[" * 100_000 + "]" * 100_000,
    '{"measurements": [{"indicator": 1, "period": "2024-12-31", "value": ' + "9" * 5000 + "}]}",
    '{"measurements": [{"indicator": 1, "period": "2024-12-31", "value": 1e-999999999}]}',
    '{"measurements": [{"indicator": 1, "period": "\\ud800", "value": 1}]}',
    '{"measurements": [{"indicator": 1, "period": "2024-12-31", "value": 1, '
    '"source_reference": "\\u0000"}]}',
    '{"measurements": "' + "x" * 100_000 + '"}',
    '{"measurements": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}',
    "\x00",
]


@pytest.mark.django_db
def test_the_urls_outside_the_permission_table_take_hostile_input_too(
    member, organisation, outsider
):
    """The URLs the matrix leaves out (tests/permissions.py EXCLUDED and the admin site) get
    the same hostile values: the health check, single sign-on (off), the push API (with a live
    token) and every admin list, as a superuser who passed two-factor."""
    from django.contrib import admin

    from accounts.tests.factories import UserFactory
    from accounts.tests.two_factor import authenticator_for
    from evaluation.indicators import stewards

    scene = _scene(member, organisation, outsider)
    client = Client(raise_request_exception=False)
    failures: list[str] = []
    requested: set[str] = set()

    def check(label: str, response: HttpResponse, before: dict) -> None:
        # A token records when it was last used, also for a refused push: bookkeeping.
        wrote = [t for t in _changed(before, _writes()) if t != "evaluation_indicatorpushtoken"]
        # 503 is the health check's own answer here (no worker runs in this test), not a crash.
        if response.status_code >= 500 and response.status_code != 503:
            failures.append(f"{label} → {response.status_code}")
        elif response.status_code >= 400 and wrote:
            failures.append(f"{label} → {response.status_code}, yet wrote to {wrote}")

    for name in ("healthz", "accounts:oidc_start", "accounts:oidc_callback"):
        for value in HOSTILE:
            before = _writes()
            check(
                f"{name} {_describe(value)}",
                client.get(reverse(name), {"q": value, "code": value, "state": value}),
                before,
            )
        requested.add(name)

    # A workshop's link, open: hostile boxes, notes and names from someone without an account.
    Workshop.objects.filter(token="secret-link").update(
        ends_at=timezone.now() + datetime.timedelta(hours=1)
    )
    join = reverse("canvas:workshop_join", args=["secret-link"])
    for value in HOSTILE:
        for fields in (
            {"box_key": value, "text": value, "name": value},
            {"box_key": "challenge", "text": value, "name": value},
        ):
            before = _writes()
            check(f"workshop link {_describe(value)}", client.post(join, fields), before)
    requested.add("canvas:workshop_join")

    _token, secret = stewards.push_token_create(by=scene.people[STEWARD], name="Fuzzing")
    for body in HOSTILE_JSON:
        before = _writes()
        response = client.post(
            reverse("evaluation:api_measurements"),
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        check(f"push API with {_describe(body)}", response, before)
        if response.status_code != 400 or not response.json()["errors"][0]["message"]:
            failures.append(f"push API with {_describe(body)} → {response.status_code}, no reason")
    requested.add("evaluation:api_measurements")

    superuser = UserFactory(is_staff=True, is_superuser=True)
    authenticator_for(superuser)  # with a device, force_login passes two-factor (conftest.py)
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200  # in, not sent to sign in
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for value in HOSTILE:
            before = _writes()
            check(
                f"{url} {_describe(value)}",
                client.get(url, {"q": value, "o": value, "p": value}),
                before,
            )

    assert not failures, f"{len(failures)} hostile requests failed:\n" + "\n".join(failures)
    assert requested == set(permissions.EXCLUDED), "a URL left out of the table is not fuzzed"
