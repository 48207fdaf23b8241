"""Export a PDF in the browser through a real Celery worker; survive a worker crash."""

import os
import signal
import time

import pytest
from playwright.sync_api import Page, expect

from documents import services
from documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from missions.apps import DEMO_FIXTURE
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(organisation):
    from missions import exchange

    exchange.import_file(DEMO_FIXTURE, organisation=organisation)
    return organisation


def wait_for(document_id, statuses, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document = GeneratedDocument.objects.get(pk=document_id)
        if document.status in statuses:
            return document
        time.sleep(0.2)
    raise AssertionError(f"document {document_id} is still {document.status}")


@pytest.mark.e2e
@pytest.mark.celery
def test_export_a_briefing_and_download_it(
    live_server, page: Page, demo, member, sign_in, celery_worker
):
    sign_in(member("viewer", full_name="Vic Viewer"))
    page.goto(f"{live_server.url}/organisations/health/missions/eu-soil/")
    page.get_by_label("Decision requested (optional)").fill("Agree the soil budget for 2027.")
    page.get_by_role("button", name="Export briefing (PDF)").click()
    status = page.locator("#document-status")
    # The state is given in words while the worker renders, then the link replaces it.
    expect(status.get_by_text("Ready")).to_be_visible(timeout=45000)
    link = status.get_by_role("link", name="Download")
    expect(link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("health-briefing-eu-soil-")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    page.goto(f"{live_server.url}/organisations/health/documents/")
    expect(
        page.get_by_role("link", name="Ministerial briefing: A Soil Deal for Europe", exact=True)
    ).to_be_visible()
    assert_accessible(page)


@pytest.mark.e2e
@pytest.mark.celery
def test_the_status_is_shown_in_words_while_rendering(
    live_server, page: Page, demo, member, sign_in, celery_worker
):
    sign_in(member("editor"))
    page.goto(f"{live_server.url}/organisations/health/missions/")
    for key in ("eu-soil", "eu-cancer", "eu-cities", "se-school-food"):
        page.locator(f"#pack-{key}").check()
    page.get_by_role("button", name="Make a briefing pack of the chosen missions (PDF)").click()
    status = page.locator("#document-status")
    expect(status).to_contain_text(
        __import__("re").compile("Queued|Rendering…|Ready"), timeout=5000
    )
    assert_accessible(page)
    expect(status.get_by_role("link", name="Download")).to_be_visible(timeout=60000)
    assert_accessible(page)


@pytest.mark.celery
def test_a_worker_killed_mid_render_leaves_no_broken_file_and_the_render_completes(
    demo, member, celery_worker
):
    editor = member("editor")
    keys = [
        "es-agri-2021",
        "eu-cancer",
        "eu-cities",
        "eu-soil",
        "nl-care-right-place",
        "nl-healthy-life-years",
        "nl-lifestyle-environment",
        "se-healthy-streets",
        "se-school-food",
    ]
    document = services.document_request(
        actor=editor, organisation=demo, kind=DocumentKind.PACK, missions=keys
    )
    rendering = wait_for(document.pk, {DocumentStatus.RENDERING}, timeout=30)
    pid = int(rendering.claimed_by.rsplit(":", 1)[1])
    os.kill(pid, signal.SIGKILL)  # the pool process dies in the middle of WeasyPrint
    time.sleep(0.5)
    crashed = GeneratedDocument.objects.get(pk=document.pk)
    assert not crashed.file  # nothing half-written is ever visible
    # The message comes back (acks_late + reject_on_worker_lost); the next attempt sees that
    # the process that claimed the row is gone and takes it over.
    finished = wait_for(document.pk, {DocumentStatus.DONE, DocumentStatus.FAILED}, timeout=60)
    assert finished.status == DocumentStatus.DONE
    assert finished.attempts >= 2
    data = finished.file.read()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    folder = os.path.dirname(finished.file.path)
    assert not [n for n in os.listdir(folder) if n.startswith(".partial-")]
