"""Asking for documents: contexts from selectors, reuse by input hash, the render and its
failure paths, retries and abandoned claims."""

import contextlib
import os
import socket
import subprocess
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from documents import canvas_print, rendering, services
from documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from documents.tests import pdftools
from missions.models import Mission

pytestmark = pytest.mark.django_db


def request(user, organisation, kind, keys, **kwargs):
    return services.document_request(
        by=user, organisation=organisation, kind=kind, missions=keys, **kwargs
    )


def test_a_request_queues_one_task_after_commit(
    demo_missions, member, django_capture_on_commit_callbacks
):
    viewer = member("viewer")
    with django_capture_on_commit_callbacks() as callbacks:
        document = request(viewer, demo_missions, DocumentKind.CANVAS, ["eu-cities"])
    assert document.status == DocumentStatus.QUEUED
    assert len(callbacks) == 1
    assert document.context["mission"]["title"].startswith("100 Climate-Neutral")
    assert len(document.input_hash) == 64


def test_the_same_inputs_reuse_the_stored_document(
    demo_missions, member, render_now, django_capture_on_commit_callbacks
):
    viewer = member("viewer")
    first = render_now(request(viewer, demo_missions, DocumentKind.CANVAS, ["eu-soil"]))
    assert first.status == DocumentStatus.DONE
    with django_capture_on_commit_callbacks() as callbacks:
        again = request(member("editor"), demo_missions, DocumentKind.CANVAS, ["eu-soil"])
    assert again.pk == first.pk
    assert callbacks == []  # nothing is rendered twice
    assert GeneratedDocument.objects.count() == 1


def test_changed_inputs_make_a_new_briefing_that_says_what_changed(
    demo_missions, member, render_now, django_capture_on_commit_callbacks
):
    editor = member("editor")
    first = render_now(request(editor, demo_missions, DocumentKind.BRIEFING, ["eu-soil"]))
    # Nothing to compare a first briefing with: no section spent on saying so.
    assert "What changed" not in pdftools.text(first.file.read())
    Mission.objects.filter(key="eu-soil").update(committed_budget=90000000, status="approved")
    second = request(editor, demo_missions, DocumentKind.BRIEFING, ["eu-soil"])
    assert second.pk != first.pk
    assert second.extras["previous_date"]
    changes = " ".join(second.extras["changes"])
    assert "Committed budget" in changes and "€90,000,000" in changes
    assert "Status: Active → Approved" in changes
    rendered = render_now(second)
    text = pdftools.text(rendered.file.read())
    assert "What changed since the previous briefing" in text
    assert "€90,000,000" in text


def test_a_briefing_in_another_language_is_not_an_earlier_state_of_the_mission(
    demo_missions, member, render_now
):
    editor = member("editor")
    render_now(request(editor, demo_missions, DocumentKind.BRIEFING, ["eu-soil"]))
    with translation.override("es"):
        spanish = render_now(request(editor, demo_missions, DocumentKind.BRIEFING, ["eu-soil"]))
    # The English one's words ("Active") are not the Spanish ones ("En marcha"), but nothing
    # changed: the Spanish briefing has no earlier briefing to compare with.
    assert spanish.extras["changes"] == []
    assert "Qué ha cambiado" not in pdftools.text(spanish.file.read())
    Mission.objects.filter(key="eu-soil").update(status="approved")
    with translation.override("es"):
        later = request(editor, demo_missions, DocumentKind.BRIEFING, ["eu-soil"])
    assert later.extras["changes"] == ["Estado: En marcha → Aprobada"]


def test_the_decision_requested_is_part_of_the_inputs(demo_missions, member):
    editor = member("editor")
    plain = request(editor, demo_missions, DocumentKind.BRIEFING, ["eu-soil"])
    asked = request(editor, demo_missions, DocumentKind.BRIEFING, ["eu-soil"], decision="Agree.")
    assert plain.pk != asked.pk
    assert asked.context["decision"] == "Agree."


def test_a_decision_requested_over_the_limit_is_refused_not_cut(demo_missions, member):
    from django.core.exceptions import ValidationError

    editor = member("editor")
    with pytest.raises(ValidationError) as refused:
        request(editor, demo_missions, DocumentKind.BRIEFING, ["eu-soil"], decision="A" * 601)
    assert "Shorten it by 1 character." in refused.value.messages[0]
    assert not GeneratedDocument.objects.exists()
    whole = request(editor, demo_missions, DocumentKind.BRIEFING, ["eu-soil"], decision="A" * 600)
    assert whole.context["decision"] == "A" * 600


def test_a_pack_is_limited_and_needs_missions(demo_missions, member):
    from django.core.exceptions import ValidationError

    editor = member("editor")
    with pytest.raises(ValidationError):
        request(editor, demo_missions, DocumentKind.PACK, [])
    with pytest.raises(ValidationError):
        request(editor, demo_missions, DocumentKind.PACK, [f"m{i}" for i in range(51)])


def test_an_outsider_cannot_ask_for_another_organisations_mission(demo_missions, outsider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        request(outsider, demo_missions, DocumentKind.CANVAS, ["eu-soil"])


def test_a_failed_render_is_recorded_and_a_retry_completes_it(
    demo_missions, member, monkeypatch, render_now, django_capture_on_commit_callbacks
):
    editor = member("editor")
    document = request(editor, demo_missions, DocumentKind.BRIEFING, ["eu-cancer"])

    def broken(*args, **kwargs):
        raise RuntimeError("fonts are missing")

    monkeypatch.setattr(rendering.layout, "document_pdf", broken)
    failed = render_now(document)
    assert failed.status == DocumentStatus.FAILED
    assert "fonts are missing" in failed.error
    assert not failed.file
    assert failed.can_retry
    monkeypatch.undo()
    with django_capture_on_commit_callbacks() as callbacks:
        retried = services.document_retry(by=editor, document=failed)
    assert retried.status == DocumentStatus.QUEUED and len(callbacks) == 1
    done = render_now(retried)
    assert done.status == DocumentStatus.DONE and done.pk == document.pk
    assert done.attempts == 2


def test_asking_again_for_a_failed_document_queues_it_again(
    demo_missions, member, django_capture_on_commit_callbacks
):
    editor = member("editor")
    document = request(editor, demo_missions, DocumentKind.CANVAS, ["eu-cancer"])
    GeneratedDocument.objects.filter(pk=document.pk).update(status="failed", error="boom")
    with django_capture_on_commit_callbacks() as callbacks:
        again = request(editor, demo_missions, DocumentKind.CANVAS, ["eu-cancer"])
    assert again.pk == document.pk and again.status == DocumentStatus.QUEUED
    assert len(callbacks) == 1


def test_a_claim_left_by_a_dead_worker_process_is_taken_over(demo_missions, member, render_now):
    document = request(member("editor"), demo_missions, DocumentKind.CANVAS, ["eu-cities"])
    dead = subprocess.Popen(["true"])
    dead.wait()
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status="rendering",
        started_at=timezone.now(),
        claimed_by=f"{socket.gethostname()}:{dead.pid}",
    )
    done = render_now(document)
    assert done.status == DocumentStatus.DONE


@contextlib.contextmanager
def _rendered_elsewhere(document):
    """The document's render lock held by another database session, as a live worker on
    another host holds it while it renders."""
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            key = rendering.lock_key(GeneratedDocument, document.pk)
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        yield
    finally:
        other.close()


def test_a_live_claim_is_left_alone_and_a_stale_one_can_be_retried(
    demo_missions, member, django_capture_on_commit_callbacks
):
    editor = member("editor")
    document = request(editor, demo_missions, DocumentKind.CANVAS, ["eu-cities"])
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status="rendering", started_at=timezone.now(), claimed_by=f"elsewhere:{os.getpid()}"
    )
    with _rendered_elsewhere(document):
        assert services.document_render(document_id=document.pk) == "skipped"
        document.refresh_from_db()
        assert not document.can_retry
        GeneratedDocument.objects.filter(pk=document.pk).update(
            started_at=timezone.now() - timedelta(hours=1)
        )
        document.refresh_from_db()
        assert document.is_stale and document.can_retry
        with django_capture_on_commit_callbacks() as callbacks:
            retried = services.document_retry(by=editor, document=document)
        assert retried.status == DocumentStatus.QUEUED and len(callbacks) == 1


def test_no_partial_file_is_ever_left_behind(demo_missions, member, render_now):
    document = render_now(
        request(member("editor"), demo_missions, DocumentKind.CANVAS, ["se-school-food"])
    )
    folder = os.path.dirname(document.file.path)
    assert not [name for name in os.listdir(folder) if name.startswith(".partial-")]
    assert document.file.read().startswith(b"%PDF")


def test_box_text_splits_at_a_word_and_keeps_every_character():
    text = "One two three. " * 100
    shown, rest = canvas_print.split_box_text(text, 500)
    assert len(shown) <= 500
    assert shown.endswith(".")
    assert (shown + " " + rest).split() == text.split()
    assert canvas_print.split_box_text("short", 500) == ("short", "")


def test_the_export_commands_write_pdfs(demo_missions, member, tmp_path):
    from django.core.management import call_command

    member("admin")
    canvas = tmp_path / "canvas.pdf"
    call_command("export_canvas", "eu-soil", org="health", out=str(canvas))
    assert pdftools.info(canvas.read_bytes())["Pages"] == "2"
    pack = tmp_path / "pack.pdf"
    call_command(
        "export_briefing",
        "--org=health",
        "--mission=eu-soil",
        "--mission=eu-cancer",
        f"--out={pack}",
    )
    assert "Briefing pack" in pdftools.text(pack.read_bytes(), 1, 1)
    # The briefings follow the pack's own pages, numbered for the whole pack.
    text = " ".join(pdftools.text(pack.read_bytes()).split())
    soil = Mission.objects.get(organisation=demo_missions, key="eu-soil")
    assert soil.statement.split()[0] in text and "Mission statement" in text
    pages = int(pdftools.info(pack.read_bytes())["Pages"])
    assert pages >= 5 and f"Page {pages} of {pages}" in text


def test_a_document_queued_too_long_lost_its_message_and_can_be_retried(
    client, demo_missions, member, django_capture_on_commit_callbacks
):
    """Redis restarted empty: the message is gone and no worker will ever start the document.
    After as long as any render may take, the page says so and offers Retry, which queues it
    again; asking for the same document again does the same."""
    editor = member("editor")
    document = request(editor, demo_missions, DocumentKind.CANVAS, ["eu-cities"])
    assert not document.can_retry  # just queued: a worker may pick it up any moment
    GeneratedDocument.objects.filter(pk=document.pk).update(
        queued_at=timezone.now() - timedelta(hours=1)
    )
    document.refresh_from_db()
    assert document.is_stale and document.can_retry
    client.force_login(editor)
    page = client.get(
        reverse("documents:detail", args=[document.organisation.slug, document.pk])
    ).content.decode()
    assert "No worker started this document" in page
    assert "Retry" in page

    with django_capture_on_commit_callbacks() as callbacks:
        again = request(editor, demo_missions, DocumentKind.CANVAS, ["eu-cities"])
    assert again.pk == document.pk
    assert again.status == DocumentStatus.QUEUED and not again.is_stale
    assert len(callbacks) == 1  # sent to the workers once more


def test_a_briefing_shows_the_automatic_checks_beside_the_verdict(
    demo_missions, member, render_now
):
    from evaluation import services as evaluation
    from rewards.models import ProjectTerms, RewardCondition

    mission = Mission.objects.get(organisation=demo_missions, key="eu-soil")
    # The demo gives eu-soil's living labs public-value terms, whose section (with the open
    # warnings of the assessment) takes the briefing onto a second page, within its budget of
    # two; without them, as when this was written, a first briefing must fit on one page.
    RewardCondition.objects.filter(mission=mission).delete()
    ProjectTerms.objects.filter(mission=mission).delete()
    evaluation.assessment_request(mission_id=mission.pk, reason="test", enqueue=False)
    evaluation.assessment_run(mission_id=mission.pk)
    briefing = render_now(
        request(member("editor"), demo_missions, DocumentKind.BRIEFING, ["eu-soil"])
    )
    text = " ".join(pdftools.text(briefing.file.read()).split())
    automatic = [c["automatic"] for c in briefing.context["mission"]["criteria"]]
    assert len(automatic) == 5 and "Not checked yet" not in automatic
    for label in set(automatic):
        assert " ".join(label.split()[:2]) in text
    assert "the automatic checks inform it and are never a verdict on their own" in text
    assert briefing.page_count == 1  # a first briefing fits on one page: nothing spills over
