"""Document pages: who may ask, follow and download; the htmx status partial."""

import pytest
from django.urls import reverse

from documents.models import DocumentStatus, GeneratedDocument

pytestmark = pytest.mark.django_db


def test_a_viewer_exports_a_canvas_and_follows_it(
    client, demo_missions, member, render_now, django_capture_on_commit_callbacks
):
    client.force_login(member("viewer"))
    url = reverse("documents:canvas", args=["health", "eu-cities"])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url)
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:detail", args=["health", document.pk])
    assert len(callbacks) == 1
    page = client.get(response.url)
    assert b"Queued" in page.content and b'hx-trigger="every 2s"' in page.content
    render_now(document)
    partial = client.get(response.url, headers={"HX-Request": "true"})
    assert b"every 2s" not in partial.content  # finished: the poll stops
    assert b"Download" in partial.content
    download = client.get(reverse("documents:download", args=["health", document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="health-canvas-')
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_htmx_export_returns_the_polling_partial(client, demo_missions, member):
    client.force_login(member("editor"))
    response = client.post(
        reverse("documents:briefing", args=["health", "eu-soil"]),
        {"decision": "Agree the budget."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert b'id="document-status"' in response.content
    assert b"every 2s" in response.content
    assert GeneratedDocument.objects.get().context["decision"] == "Agree the budget."


def test_a_pack_from_the_missions_list(client, demo_missions, member):
    client.force_login(member("viewer"))
    page = client.get(reverse("missions:list", args=["health"]))
    assert b'name="missions" value="eu-soil"' in page.content
    response = client.post(
        reverse("documents:pack", args=["health"]), {"missions": ["eu-soil", "eu-cancer"]}
    )
    assert response.status_code == 302
    assert GeneratedDocument.objects.get().mission_ids
    empty = client.post(reverse("documents:pack", args=["health"]), {}, follow=True)
    assert b"Choose at least one mission" in empty.content


def test_a_failed_document_shows_the_reason_and_a_retry(client, demo_missions, member):
    client.force_login(member("viewer"))
    client.post(reverse("documents:canvas", args=["health", "eu-soil"]))
    document = GeneratedDocument.objects.get()
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error="RuntimeError: out of paper"
    )
    page = client.get(reverse("documents:detail", args=["health", document.pk]))
    assert b"out of paper" in page.content and b"Retry" in page.content
    retried = client.post(
        reverse("documents:retry", args=["health", document.pk]), headers={"HX-Request": "true"}
    )
    assert b"Queued" in retried.content
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED and not document.error


def test_outsiders_get_404_on_every_document_url(client, demo_missions, member, outsider):
    client.force_login(member("viewer"))
    client.post(reverse("documents:canvas", args=["health", "eu-soil"]))
    document = GeneratedDocument.objects.get()
    client.force_login(outsider)
    for name, args in [
        ("documents:canvas", ["health", "eu-soil"]),
        ("documents:briefing", ["health", "eu-soil"]),
        ("documents:pack", ["health"]),
        ("documents:list", ["health"]),
        ("documents:detail", ["health", document.pk]),
        ("documents:retry", ["health", document.pk]),
        ("documents:download", ["health", document.pk]),
    ]:
        for method in ("get", "post"):
            response = getattr(client, method)(reverse(name, args=args), {"missions": ["eu-soil"]})
            assert response.status_code == 404, (name, method, response.status_code)
    # Their own organisation's slug does not reach our document either.
    response = client.get(reverse("documents:download", args=["transport", document.pk]))
    assert response.status_code == 404


def test_the_overview_offers_the_exports(client, demo_missions, member):
    client.force_login(member("viewer"))
    page = client.get(reverse("missions:overview", args=["health", "eu-soil"]))
    assert reverse("documents:canvas", args=["health", "eu-soil"]).encode() in page.content
    assert b'name="decision"' in page.content
