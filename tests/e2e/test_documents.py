"""Export a PDF in the browser through a real Celery worker; survive a worker crash."""

import os
import re
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
    expect(status).to_contain_text(re.compile("Queued|Rendering…|Ready"), timeout=5000)
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
        by=editor, organisation=demo, kind=DocumentKind.PACK, missions=keys
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


@pytest.mark.e2e
@pytest.mark.celery
def test_a_pack_with_a_covering_note_from_the_documents_page_and_its_word_copy(
    live_server, page: Page, demo, member, sign_in, celery_worker
):
    """From Home to the documents page, a pack of two missions with a covering note (refused
    once for its length, with nothing typed lost), then its Word copy and its PDF."""
    import io

    import docx

    sign_in(member("viewer", full_name="Vic Viewer"))
    page.get_by_role("link", name=demo.name).first.click()
    page.get_by_role("main").get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("heading", name="Documents", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Make a briefing pack").click()
    page.get_by_label("Put “A Soil Deal for Europe” in the briefing pack").check()
    page.get_by_label(
        "Put “Every child eats sustainable, good school food” in the briefing pack"
    ).check()
    note = page.get_by_label("Covering note (optional)")
    purpose = "For the minister's bilateral with the Commissioner on 12 January."
    too_long = purpose + " " + "Background. " * 100
    note.fill(too_long)
    # The count says how far over the limit it is while typing; nothing is cut.
    expect(page.locator(".govuk-character-count__status")).to_contain_text("too many")
    assert_accessible(page)
    page.get_by_role("button", name="Make a briefing pack of the chosen missions (PDF)").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The covering note can be at most 1200 characters long")
    assert_accessible(page)
    note = page.get_by_label("Covering note (optional)")
    expect(note).to_have_value(too_long)  # as typed, not cut
    note.fill(purpose)
    page.get_by_role("button", name="Make the briefing pack").click()

    expect(page.get_by_role("heading", name="Briefing pack: 2 missions")).to_be_visible()
    word = page.get_by_role("link", name="Download “Briefing pack: 2 missions” (Word)")
    with page.expect_download() as download_info:
        word.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    with open(download.path(), "rb") as handle:
        document = docx.Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert purpose in text and "A Soil Deal for Europe" in text
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"

    status = page.locator("#document-status")
    expect(status.get_by_role("link", name="Download")).to_be_visible(timeout=60000)
    assert_accessible(page)
    with page.expect_download() as download_info:
        status.get_by_role("link", name="Download").click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # The documents page offers both copies of the pack.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Documents").click()
    row = page.get_by_role("row", name=re.compile("Briefing pack: 2 missions"))
    expect(row.get_by_role("link", name="Download PDF")).to_be_visible()
    expect(row.get_by_role("link", name="Word")).to_be_visible()
    assert_accessible(page)
