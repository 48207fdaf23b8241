"""Render ahead (issue #20): once a change to a mission settles, the documents already exported
for it are made again by the pdf workers, without a click, so the next click gets the new file
at once; a mission nobody exported is left alone; a burst of changes makes one render."""

import time

import pytest

from canvas.models import CanvasBox
from canvas.services import canvas_box_save
from documents import ahead, queueing, services
from documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from documents.tests import pdftools
from missions.models import Mission

WAIT = 90  # seconds: the assessment runs first (3 s after the change), then the render


def _wait_for(condition, timeout=WAIT, what="the documents"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"{what} did not settle within {timeout} s")


def _save_box(editor, mission, text):
    row = CanvasBox.objects.filter(mission=mission, box_key="risks_rewards").first()
    canvas_box_save(
        by=editor,
        mission=mission,
        box_key="risks_rewards",
        text=text,
        expected_version=row.version if row else 0,
    )


def _canvas(editor, organisation, key):
    return services.document_request(
        by=editor, organisation=organisation, kind=DocumentKind.CANVAS, missions=[key]
    )


def _made(document_id):
    document = GeneratedDocument.objects.get(pk=document_id)
    return document if document.status in (DocumentStatus.DONE, DocumentStatus.FAILED) else None


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_changed_missions_canvas_is_made_again_without_a_click(
    demo_missions, member, pdf_worker, settings
):
    settings.LODESTAR_RENDER_AHEAD_SECONDS = 0.5
    pdf_worker("ahead", "default,pdf,pdf_ahead")
    editor = member("editor")
    mission = Mission.objects.get(organisation=demo_missions, key="eu-soil")
    first = _canvas(editor, demo_missions, "eu-soil")
    first = _wait_for(lambda: _made(first.pk), what="the first canvas")
    assert first.status == DocumentStatus.DONE, first.error

    _save_box(editor, mission, "Soil sealing may outpace the restoration we fund.")
    remade = _wait_for(
        lambda: (
            GeneratedDocument.objects.filter(
                mission=mission, kind=DocumentKind.CANVAS, status=DocumentStatus.DONE
            )
            .exclude(pk=first.pk)
            .first()
        ),
        what="the canvas made ahead",
    )
    # Nobody clicked: it was made ahead, as asked for last time.
    assert remade.requested_by == editor
    assert "Soil sealing may outpace" in " ".join(pdftools.text(remade.file.read(), 1, 1).split())

    started = time.perf_counter()
    click = _canvas(editor, demo_missions, "eu-soil")
    assert time.perf_counter() - started < 1
    # The click gets the new file at once: nothing to wait for.
    assert click.pk == remade.pk and click.status == DocumentStatus.DONE
    assert pdftools.page_counts(click.file.read())["poppler"] == click.page_count


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_changes_makes_one_render_after_the_last(
    demo_missions, member, pdf_worker, settings
):
    settings.LODESTAR_RENDER_AHEAD_SECONDS = 1.5
    pdf_worker("ahead", "default,pdf,pdf_ahead")
    editor = member("editor")
    mission = Mission.objects.get(organisation=demo_missions, key="eu-cancer")
    first = _canvas(editor, demo_missions, "eu-cancer")
    _wait_for(lambda: _made(first.pk), what="the first canvas")

    for word in ("first", "second", "third"):
        _save_box(editor, mission, f"The {word} thought on the risks of screening.")
    last = _wait_for(
        lambda: (
            GeneratedDocument.objects.filter(
                mission=mission, kind=DocumentKind.CANVAS, status=DocumentStatus.DONE
            )
            .exclude(pk=first.pk)
            .first()
        ),
        what="the canvas made ahead",
    )
    time.sleep(3)  # long enough for any render the earlier saves might have sent
    made = GeneratedDocument.objects.filter(mission=mission, kind=DocumentKind.CANVAS)
    assert made.count() == 2
    assert "The third thought" in " ".join(pdftools.text(last.file.read(), 1, 1).split())


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_mission_never_exported_gets_no_render_ahead(demo_missions, member, pdf_worker, settings):
    settings.LODESTAR_RENDER_AHEAD_SECONDS = 0.2
    pdf_worker("ahead", "default,pdf,pdf_ahead")
    editor = member("editor")
    exported = _canvas(editor, demo_missions, "eu-soil")  # another mission was exported
    _wait_for(lambda: _made(exported.pk), what="the other mission's canvas")
    mission = Mission.objects.get(organisation=demo_missions, key="se-school-food")

    assert not ahead.was_exported(mission.pk)
    _save_box(editor, mission, "Suppliers may not keep up with the new menus.")
    time.sleep(4)
    assert not GeneratedDocument.objects.filter(mission=mission).exists()
    # Nothing was even counted for it: no task was sent.
    assert ahead._redis().get(ahead.COUNTER_KEY.format(mission_id=mission.pk)) is None


@pytest.mark.django_db
def test_a_render_ahead_waits_while_a_click_waits(demo_missions, member, render_now, monkeypatch):
    import os

    from documents.tasks import render_document_task

    # Queues of this test's own, so no worker of another test takes their messages.
    suffix = f"{os.getpid()}-{time.time_ns()}"
    monkeypatch.setattr(ahead, "CLICK_QUEUE", f"pdf-click-test-{suffix}")
    monkeypatch.setattr(ahead, "QUEUE", f"pdf-ahead-test-{suffix}")
    client = ahead._redis()
    editor = member("editor")
    mission = Mission.objects.get(organisation=demo_missions, key="eu-soil")
    first = render_now(_canvas(editor, demo_missions, "eu-soil"))
    _save_box(editor, mission, "Erosion after the floods may undo a year of work.")
    key = ahead.COUNTER_KEY.format(mission_id=mission.pk)
    client.set(key, 41)
    try:
        # A click's render waits on the pdf queue (nobody consumes this one).
        render_document_task.apply_async((first.pk,), queue=ahead.CLICK_QUEUE)
        assert ahead.render_ahead(mission_id=mission.pk, change=41) == [ahead.LATER]
        assert GeneratedDocument.objects.filter(mission=mission).count() == 1
        # It asks again a little later, behind every click.
        assert [client.llen(name) for name in queueing.queue_keys(ahead.QUEUE)] == [0, 0, 1]

        client.delete(*queueing.queue_keys(ahead.CLICK_QUEUE))  # the click was taken
        assert ahead.render_ahead(mission_id=mission.pk, change=41, tries=1) == ["done"]
        remade = GeneratedDocument.objects.exclude(pk=first.pk).get(mission=mission)
        assert "Erosion after the floods" in " ".join(pdftools.text(remade.file.read()).split())
        # A later change supersedes this one: its task does nothing.
        client.set(key, 42)
        assert ahead.render_ahead(mission_id=mission.pk, change=41) == [ahead.SUPERSEDED]
    finally:
        client.delete(
            key, *queueing.queue_keys(ahead.CLICK_QUEUE), *queueing.queue_keys(ahead.QUEUE)
        )
