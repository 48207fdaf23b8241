"""Markup typed into any text field is shown as text everywhere: on every page (SVG charts,
maps and grids included, which are drawn inline) and in the PDFs.

Rather than one field per test, every free-text column of every model of the project's apps is
set to a script payload (a shorter tag where the column is short), and every page in the
permission table is opened by an administrator, who sees the most. Pages must never contain the
payload as markup. Per-field tests stay next to their apps (mission map, stakeholder grid,
indicator charts, organisation names, PDF titles); this is the net under all of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse

from documents import services as document_services
from documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from documents.tests import pdftools
from tests import permissions
from tests.test_role_matrix import _scene, _table_urls

SCRIPT = '<script>alert("x")</script>'
SHORT = "<zq>"  # a tag no template writes, for columns too short for the script
# Columns that are not free text a person types: identifiers, codes the code looks up, hashes,
# links the application builds (a notification's, which the database holds to a local path).
NOT_FREE_TEXT = (
    "key", "code", "hash", "status", "kind", "currency", "prefix", "email", "token", "password",
    "advice", "url",
)  # fmt: skip


def _free_text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
        and not field.choices
        and not field.primary_key
        and not field.name.endswith(NOT_FREE_TEXT)
        and (field.max_length is None or field.max_length >= len(SHORT))
    ]


def _poison_every_text() -> int:
    """Set every free-text column of every row of the project's models to a payload."""
    base = Path(settings.BASE_DIR)
    poisoned = 0
    for model in apps.get_models():
        root = Path(apps.get_app_config(model._meta.app_label).path)
        if base not in root.parents or "site-packages" in root.parts:
            continue  # third-party (the virtualenv may live inside the project)
        if model._meta.proxy or not model._meta.managed:
            continue
        values = {
            field.name: SCRIPT if (field.max_length or 10_000) >= len(SCRIPT) else SHORT
            for field in _free_text_fields(model)
        }
        if values:
            poisoned += model._base_manager.update(**values)
    return poisoned


def _is_markup(response) -> bool:
    kind = response.headers.get("Content-Type", "")
    return kind.startswith(("text/html", "image/svg+xml"))


@pytest.mark.django_db
def test_markup_in_any_text_field_is_shown_as_text_on_every_page(member, organisation, outsider):
    scene = _scene(member, organisation, outsider)
    assert _poison_every_text() > 20
    client = Client(raise_request_exception=False)
    client.force_login(scene.people["admin"])
    unescaped, crashed, escaped_on = [], [], set()
    for name, params in _table_urls():
        entry = permissions.TABLE.get(name, {})
        allowed = entry.get("GET", frozenset())
        if "admin" not in allowed or isinstance(allowed, permissions.No):
            continue
        url = reverse(name, kwargs={p: scene.values[p] for p in params})
        response = client.get(url, follow=True)
        if response.status_code >= 500:
            crashed.append(f"{name} → {response.status_code}")
            continue
        if not _is_markup(response):
            continue  # CSV, JSON and PDF downloads are not parsed as markup by a browser
        body = response.content.decode()
        if SCRIPT in body or SHORT in body:
            unescaped.append(name)
        if "&lt;script&gt;" in body:
            escaped_on.add(name)
    assert not crashed, f"pages that fail on markup in text fields: {crashed}"
    assert not unescaped, f"pages that put a field's markup into the page: {unescaped}"
    # The payload did reach the pages, escaped: the test is not looking at empty pages.
    assert {
        "missions:overview",
        "missions:targets",
        "missions:projects",
        "missions:map",
        "canvas:canvas",
        "stakeholders:map",
        "stakeholders:detail",
        "rewards:mission",
        "evaluation:indicator",
        "portfolios:dashboard",
        "accounts:members",
    } <= escaped_on, sorted(escaped_on)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [DocumentKind.CANVAS, DocumentKind.BRIEFING])
def test_markup_in_any_text_field_is_printed_as_text_in_the_pdfs(
    member, organisation, outsider, django_capture_on_commit_callbacks, kind
):
    scene = _scene(member, organisation, outsider)
    GeneratedDocument.objects.all().delete()
    _poison_every_text()
    document = document_services.document_request(
        by=scene.people["editor"],
        organisation=organisation,
        kind=kind,
        missions=[scene.values["mission_key"]],
    )
    document_services.document_render(document_id=document.pk)  # as the worker would
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    text = pdftools.text(document.file.read())
    # WeasyPrint would swallow a real <script> element: seeing it printed means it was text.
    assert text.count(SCRIPT) >= 2, text[:2000]
