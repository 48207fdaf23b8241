"""Briefing packs assembled from cached per-mission pieces: reuse across packs, only what
changed rendered again, contents page numbers and outline right for the whole pack, page
count the sum of the parts, and a pack whose worker was killed mid-piece retryable."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from documents import layout, packs, queueing, rendering, selectors, services
from documents.models import BriefingPiece, DocumentKind, DocumentStatus, GeneratedDocument
from documents.tests import pdftools
from missions.models import Mission

pytestmark = pytest.mark.django_db

KEYS = ["eu-soil", "eu-cancer", "se-school-food", "nl-healthy-life-years"]


def pack(user, organisation, keys, render_now):
    document = services.document_request(
        by=user, organisation=organisation, kind=DocumentKind.PACK, missions=keys
    )
    document = render_now(document)
    assert document.status == DocumentStatus.DONE, document.error
    return document, document.file.read()


@pytest.fixture
def renders(monkeypatch):
    """The missions whose piece was rendered, in the order rendered."""
    rendered = []
    original = layout.piece_render_context

    def counting(piece):
        rendered.append(piece.context["mission"]["key"])
        return original(piece)

    monkeypatch.setattr(layout, "piece_render_context", counting)
    return rendered


def test_pieces_are_reused_across_packs(demo_missions, member, render_now, renders):
    editor = member("editor")
    first, _pdf = pack(editor, demo_missions, KEYS[:3], render_now)
    assert sorted(renders) == sorted(KEYS[:3])
    renders.clear()
    # Another pack, other order, one more mission: only the new mission is rendered.
    second, pdf = pack(editor, demo_missions, [KEYS[3], *reversed(KEYS[:3])], render_now)
    assert second.pk != first.pk
    assert renders == [KEYS[3]]
    assert BriefingPiece.objects.count() == 4
    # The same pack again is the stored document, found without building any context.
    renders.clear()
    again = services.document_request(
        by=editor,
        organisation=demo_missions,
        kind=DocumentKind.PACK,
        missions=[KEYS[3], *reversed(KEYS[:3])],
    )
    assert again.pk == second.pk and renders == []
    assert "Contents" in pdftools.text(pdf, 2, 2)


def test_the_cached_path_builds_no_context(demo_missions, member, render_now, monkeypatch):
    editor = member("editor")
    pack(editor, demo_missions, KEYS, render_now)

    def no_context(**kwargs):
        raise AssertionError("a context was built for an unchanged mission")

    monkeypatch.setattr(selectors, "mission_context", no_context)
    again = services.document_request(
        by=editor, organisation=demo_missions, kind=DocumentKind.PACK, missions=KEYS
    )
    assert again.status == DocumentStatus.DONE


def test_only_the_changed_mission_is_rendered_again(demo_missions, member, render_now, renders):
    editor = member("editor")
    first, _pdf = pack(editor, demo_missions, KEYS, render_now)
    renders.clear()
    # A queryset update skips auto_now: the fingerprint hashes the row, so it still sees it.
    Mission.objects.filter(organisation=demo_missions, key="eu-cancer").update(
        committed_budget=123456789
    )
    second, pdf = pack(editor, demo_missions, KEYS, render_now)
    assert second.pk != first.pk
    assert renders == ["eu-cancer"]
    text = " ".join(pdftools.text(pdf).split())
    assert "€123,456,789" in text
    assert BriefingPiece.objects.filter(mission__key="eu-cancer").count() == 2


def test_a_condition_checked_makes_a_new_piece_of_its_mission_only(
    demo_missions, member, render_now, renders
):
    """The fingerprint hashes the projects' public-value terms and reward conditions: a
    condition found breached (a queryset update, which skips auto_now and the version) makes
    a new piece for its mission, and the other missions' pieces are reused."""
    from datetime import date

    from rewards.models import ConditionStatus, RewardCondition

    editor = member("editor")
    first, _pdf = pack(editor, demo_missions, KEYS, render_now)
    renders.clear()
    changed = RewardCondition.objects.filter(
        mission__organisation=demo_missions, key="soil-labs-eu-policy-use"
    ).update(status=ConditionStatus.BREACHED, checked_on=date(2026, 3, 1))
    assert changed == 1
    second, pdf = pack(editor, demo_missions, KEYS, render_now)
    assert second.pk != first.pk
    assert renders == ["eu-soil"]
    assert BriefingPiece.objects.filter(mission__key="eu-soil").count() == 2
    text = " ".join(pdftools.text(pdf).split())
    assert "3 reward or access conditions: 0 checked and met, 1 checked and breached." in text


@pytest.fixture
def parts_laid_out(monkeypatch, settings, tmp_path):
    """Which of a pack's own documents were laid out (not found made), in order; in a media
    folder of this test's own, so no other test's packs are found made."""
    settings.MEDIA_ROOT = tmp_path
    laid_out = []
    original = layout.LaidOut

    def counting(html, *args, **kwargs):
        for part, mark in (
            ("cover", '<section class="cover'),
            ("contents", '<nav class="contents"'),
            ("summary", '<section class="summary"'),
        ):
            if mark in html:
                laid_out.append(part)
        return original(html, *args, **kwargs)

    monkeypatch.setattr(layout, "LaidOut", counting)
    return laid_out


def _briefing_starts_where_the_contents_says(document, pdf) -> None:
    pieces = [BriefingPiece.objects.get(pk=pk) for pk in document.context["pieces"]]
    total = int(pdftools.info(pdf)["Pages"])
    start = total - sum(p.page_count for p in pieces) + 1
    contents = _contents_pages(pdf)
    for number, piece in enumerate(pieces, 1):
        title = piece.context["mission"]["title"]
        line = next(k for k in contents if k.startswith(f"{number}. {title[:20]}"))
        assert contents[line] == start, title
        assert title[:15] in " ".join(pdftools.text(pdf, start, start).split())
        start += piece.page_count


def test_a_packs_own_pages_are_laid_out_once_and_only_what_changed_again(
    demo_missions, member, render_now, parts_laid_out
):
    """Issue #20: a pack's cover, contents and summary are documents of their own, laid out
    while its pieces are made and kept. With one mission's budget changed, only the summary
    (which prints it) is laid out again; a briefing that grew moves the contents' numbers, so
    only the contents is."""
    editor = member("editor")
    pack(editor, demo_missions, KEYS, render_now)
    assert sorted(parts_laid_out) == ["contents", "cover", "summary"]
    parts_laid_out.clear()
    Mission.objects.filter(organisation=demo_missions, key="eu-cancer").update(
        committed_budget=123456789
    )
    second, pdf = pack(editor, demo_missions, KEYS, render_now)
    assert parts_laid_out == ["summary"]
    assert "€123,456,789" in " ".join(pdftools.text(pdf).split())
    _briefing_starts_where_the_contents_says(second, pdf)

    before = BriefingPiece.objects.get(pk=second.context["pieces"][1])
    parts_laid_out.clear()
    # The statement a briefing prints in full, as long as a page of its own.
    Mission.objects.filter(organisation=demo_missions, key="eu-cancer").update(
        statement="Every region screens, treats and follows up cancer early and well. " * 60
    )
    third, pdf = pack(editor, demo_missions, KEYS, render_now)
    after = BriefingPiece.objects.get(pk=third.context["pieces"][1])
    assert after.mission.key == "eu-cancer" and after.page_count > before.page_count
    assert parts_laid_out == ["contents"]
    _briefing_starts_where_the_contents_says(third, pdf)


def test_a_pack_whose_kept_pages_were_removed_lays_them_out_again(
    demo_missions, member, render_now, parts_laid_out, tmp_path
):
    editor = member("editor")
    pack(editor, demo_missions, KEYS, render_now)
    for kept in (tmp_path / "documents" / "pack-parts").glob("*.pdf"):
        kept.unlink()  # a media folder cleared, say; the notes of their lengths stay
    parts_laid_out.clear()
    document = services.document_request(
        by=editor,
        organisation=demo_missions,
        kind=DocumentKind.PACK,
        missions=KEYS,
        covering_note="For the minister's visit on Thursday.",
    )
    document = render_now(document)
    assert document.status == DocumentStatus.DONE, document.error
    assert sorted(parts_laid_out) == ["contents", "cover", "summary"]
    pdf = document.file.read()
    assert "For the minister's visit on Thursday." in " ".join(pdftools.text(pdf, 1, 1).split())
    _briefing_starts_where_the_contents_says(document, pdf)


def _age(paths, days: int) -> None:
    then = (timezone.now() - timedelta(days=days)).timestamp()
    for path in paths:
        os.utime(path, (then, then))


def test_kept_pages_and_pieces_unused_for_a_month_are_removed_and_those_in_use_stay(
    demo_missions, member, render_now, parts_laid_out, tmp_path, settings
):
    """Issue #20: what the workers keep to go faster does not grow for ever. After
    DOCUMENTS_KEEP_DAYS, a kept page no pack reused, and a briefing piece its mission has
    replaced, are removed; a page a pack reused stays (and is not laid out again), as does each
    mission's latest piece and any piece a pack still being made holds."""
    settings.DOCUMENTS_KEEP_DAYS = 30
    editor = member("editor")
    first, _pdf = pack(editor, demo_missions, KEYS, render_now)
    Mission.objects.filter(organisation=demo_missions, key="eu-cancer").update(
        committed_budget=123456789
    )
    pack(editor, demo_missions, KEYS, render_now)  # a new summary and eu-cancer's piece
    kept = [
        p
        for folder in ("pack-parts", "stamps")
        for p in (tmp_path / "documents" / folder).iterdir()
    ]
    _age(kept, days=40)
    BriefingPiece.objects.update(queued_at=timezone.now() - timedelta(days=40))
    replaced = BriefingPiece.objects.get(pk=first.context["pieces"][1])
    assert replaced.mission.key == "eu-cancer"
    replaced_file = Path(replaced.file.path)

    # A month later a pack with a covering note reuses the contents and the summary.
    parts_laid_out.clear()
    noted = services.document_request(
        by=editor,
        organisation=demo_missions,
        kind=DocumentKind.PACK,
        missions=KEYS,
        covering_note="For Thursday.",
    )
    assert render_now(noted).status == DocumentStatus.DONE
    assert parts_laid_out == ["cover"]

    # While a pack that holds the replaced piece is still being made, the piece stays.
    GeneratedDocument.objects.filter(pk=first.pk).update(status=DocumentStatus.QUEUED)
    pruned = services.prune_kept()
    assert BriefingPiece.objects.filter(pk=replaced.pk).exists()
    assert pruned.files >= 2  # the first summary and the cover without a note, at least
    GeneratedDocument.objects.filter(pk=first.pk).update(status=DocumentStatus.DONE)
    assert services.prune_kept().pieces == 1
    assert not BriefingPiece.objects.filter(pk=replaced.pk).exists()
    assert not replaced_file.exists()
    assert sorted(BriefingPiece.objects.values_list("mission__key", flat=True)) == sorted(KEYS)

    # What stayed is used as it is: another note lays out only its cover, and the pack
    # starts each briefing where its contents says.
    parts_laid_out.clear()
    again = services.document_request(
        by=editor,
        organisation=demo_missions,
        kind=DocumentKind.PACK,
        missions=KEYS,
        covering_note="For Friday.",
    )
    again = render_now(again)
    assert again.status == DocumentStatus.DONE, again.error
    assert parts_laid_out == ["cover"]
    _briefing_starts_where_the_contents_says(again, again.file.read())


def _contents_pages(pdf: bytes) -> dict[str, int]:
    """Contents line → the page number it gives, as pdftotext reads the contents page."""
    pages = {}
    for line in pdftools.text(pdf, 2, 2, layout=True).splitlines():
        # The title, then a gap, then its page number at the right of the ruled line.
        found = re.match(r"\s*(.+?)\s{2,}(\d+)\s*$", line)
        if found:
            pages[found.group(1)] = int(found.group(2))
    return pages


def test_contents_page_numbers_and_page_count_are_right_for_the_whole_pack(
    demo_missions, member, render_now
):
    from documents.tests.test_documents import DEMO_KEYS

    document, pdf = pack(member("viewer"), demo_missions, DEMO_KEYS, render_now)
    pieces = [BriefingPiece.objects.get(pk=pk) for pk in document.context["pieces"]]
    total = int(pdftools.info(pdf)["Pages"])
    front = total - sum(p.page_count for p in pieces)
    assert front == 3  # cover, contents, summary
    assert total == document.page_count == front + sum(p.page_count for p in pieces)
    contents = _contents_pages(pdf)
    assert contents["Summary of the missions"] == 3
    assert contents["Briefings"] == front + 1
    start = front + 1
    for number, piece in enumerate(pieces, 1):
        title = piece.context["mission"]["title"]
        line = next(k for k in contents if k.startswith(f"{number}. {title[:20]}"))
        assert contents[line] == start
        page_text = " ".join(pdftools.text(pdf, start, start).split())
        assert title[:15] in page_text and "ministerial briefing" in page_text.lower()
        # The stamped page number agrees with the contents.
        assert f"Page {start} of {total}" in page_text
        start += piece.page_count
    for page in range(1, total + 1):
        text = pdftools.text(pdf, page, page)
        assert text.count(f"Page {page} of {total}") == (0 if page == 1 else 1), page


def test_outline_has_one_entry_per_mission_and_metadata(demo_missions, member, render_now):
    document, pdf = pack(member("viewer"), demo_missions, KEYS, render_now)
    reader = PdfReader(__import__("io").BytesIO(pdf))
    top = [item for item in reader.outline if not isinstance(item, list)]
    titles = [item.title for item in top]
    missions = [Mission.objects.get(organisation=demo_missions, key=k).title for k in KEYS]
    assert titles == ["Briefing pack", "Contents", "Summary of the missions", *missions]
    pieces = [BriefingPiece.objects.get(pk=pk) for pk in document.context["pieces"]]
    start = len(reader.pages) - sum(p.page_count for p in pieces)
    for item, piece in zip(top[3:], pieces, strict=True):
        assert reader.get_destination_page_number(item) == start
        start += piece.page_count
    info = pdftools.info(pdf)
    assert info["Title"] == document.title
    assert info["Tagged"] == "yes"
    assert str(reader.trailer["/Root"]["/Lang"]).startswith("en")
    fonts = pdftools.fonts(pdf)
    assert fonts and all(embedded for _name, embedded in fonts)
    # The contents links go to the briefings' pages.
    contents = reader.pages[1]
    targets = []
    for annotation in contents.get("/Annots") or []:
        action = annotation.get_object().get("/A")
        if action is not None and action.get("/S") == "/GoTo":
            targets.append(reader.get_page_number(action["/D"][0].get_object()))
    # (WeasyPrint makes several annotations per link: one per box of the line.)
    linked = [t + 1 for t in dict.fromkeys(targets)]
    assert linked == sorted(set(_contents_pages(pdf).values()))


def test_a_failed_piece_fails_the_pack_and_a_retry_renders_only_what_is_missing(
    demo_missions, member, render_now, monkeypatch, renders, django_capture_on_commit_callbacks
):
    editor = member("editor")
    document = services.document_request(
        by=editor, organisation=demo_missions, kind=DocumentKind.PACK, missions=KEYS
    )
    original = rendering.html_to_pdf_with_outline
    school = Mission.objects.get(organisation=demo_missions, key="se-school-food")

    def broken(html, **kwargs):
        if f'id="mission-{school.pk}"' in html and "pack-piece" in html:
            raise RuntimeError("out of paper")
        return original(html, **kwargs)

    monkeypatch.setattr(rendering, "html_to_pdf_with_outline", broken)
    failed = render_now(document)
    assert failed.status == DocumentStatus.FAILED and "out of paper" in failed.error
    assert not failed.file and failed.can_retry
    done_before = set(
        BriefingPiece.objects.filter(status=DocumentStatus.DONE).values_list("pk", flat=True)
    )
    assert len(done_before) == len(KEYS) - 1
    monkeypatch.setattr(rendering, "html_to_pdf_with_outline", original)
    renders.clear()
    with django_capture_on_commit_callbacks():
        services.document_retry(by=editor, document=failed)
    done = render_now(failed)
    assert done.status == DocumentStatus.DONE and done.attempts == 2
    assert renders == ["se-school-food"]


def test_each_piece_goes_to_the_pdf_queue_once_as_the_request_makes_it(
    demo_missions, member, monkeypatch, django_capture_on_commit_callbacks
):
    from documents import tasks

    sent = []
    monkeypatch.setattr(
        tasks.render_piece_task, "apply_async", lambda args, **options: sent.append(args[0])
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(
            by=member("editor"), organisation=demo_missions, kind=DocumentKind.PACK, missions=KEYS
        )
    assert sorted(sent) == sorted(document.context["pieces"])
    with django_capture_on_commit_callbacks(execute=True):
        services.document_render(document_id=document.pk)
    # The pack's own task sends none of them again: the other workers would each take a
    # message that finds its piece made, ahead of the pack's last pieces.
    assert sorted(sent) == sorted(document.context["pieces"])
    # Each was rendered once (here, as no worker ran): the queued tasks will find them done.
    assert all(services.piece_render(piece_id=pk) == "skipped" for pk in sent)


def test_a_packs_later_attempt_sends_every_piece_still_missing(
    demo_missions, member, monkeypatch, django_capture_on_commit_callbacks
):
    """The first attempt died, or its request's messages were lost with the broker."""
    from documents import tasks

    document = services.document_request(
        by=member("editor"), organisation=demo_missions, kind=DocumentKind.PACK, missions=KEYS
    )
    GeneratedDocument.objects.filter(pk=document.pk).update(attempts=1)
    sent = []
    monkeypatch.setattr(
        tasks.render_piece_task, "apply_async", lambda args, **options: sent.append(args[0])
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.document_render(document_id=document.pk)
    assert sorted(sent) == sorted(document.context["pieces"])
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE


def test_a_click_is_taken_before_the_pieces_of_a_pack_queued_earlier(
    demo_missions, member, redis_server, django_capture_on_commit_callbacks
):
    """Issue #20: a pack's twenty pieces wait behind a canvas someone clicks after them (and
    behind the pack's own task), so one click never queues behind a whole pack."""
    import time

    from kombu.simple import SimpleQueue

    from config.celery import app
    from documents import tasks

    queue = f"pdf-order-test-{os.getpid()}-{time.time_ns()}"  # no worker consumes it
    editor = member("editor")
    document = services.document_request(
        by=editor, organisation=demo_missions, kind=DocumentKind.PACK, missions=KEYS
    )
    # A later attempt, which sends its missing pieces to its own queue (the request sent them
    # to the pdf queue, at the same priority).
    GeneratedDocument.objects.filter(pk=document.pk).update(attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        packs.pack_start(pack_id=document.pk, queue=queue)
    canvas = services.document_request(
        by=editor, organisation=demo_missions, kind=DocumentKind.CANVAS, missions=["eu-soil"]
    )
    tasks.render_document_task.apply_async((canvas.pk,), queue=queue)
    taken = []
    with app.connection_for_read() as connection:
        waiting = SimpleQueue(connection, queue)
        try:
            for _ in range(len(KEYS) + 1):
                message = waiting.get(timeout=5)
                taken.append(message.headers["task"])
                message.ack()
        finally:
            waiting.queue.delete()
            waiting.close()
    assert taken == [tasks.render_document_task.name] + [tasks.render_piece_task.name] * len(KEYS)


def _waiting_for_its_pieces(document):
    """The pack as its own task leaves it while other workers make its pieces."""
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RENDERING, started_at=timezone.now()
    )


def test_the_page_counts_the_briefings_made_and_the_last_piece_sends_the_pack_on(
    client, demo_missions, member, monkeypatch, django_capture_on_commit_callbacks
):
    from documents import tasks

    sent = []
    monkeypatch.setattr(
        tasks.assemble_pack_task, "apply_async", lambda args, **options: sent.append(args[0])
    )
    editor = member("editor")
    document = services.document_request(
        by=editor, organisation=demo_missions, kind=DocumentKind.PACK, missions=KEYS
    )
    _waiting_for_its_pieces(document)
    pieces = document.context["pieces"]
    for pk in pieces[:2]:
        with django_capture_on_commit_callbacks(execute=True):
            assert services.piece_render(piece_id=pk) == DocumentStatus.DONE
    client.force_login(editor)
    url = reverse("documents:detail", args=["health", document.pk])
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Rendering…" in page and "2 of 4 briefings ready." in page
    assert sent == []
    for pk in pieces[2:]:
        with django_capture_on_commit_callbacks(execute=True):
            services.piece_render(piece_id=pk)
    assert sent == [document.pk]  # the piece that completed the set, once
    # A piece task run twice sends nothing more: the pack is no longer waiting once assembled.
    assert services.pack_assemble(pack_id=document.pk) == DocumentStatus.DONE
    assert services.pack_assemble(pack_id=document.pk) == "skipped"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.piece_render(piece_id=pieces[-1]) == "skipped"
    assert sent == [document.pk]
    done = GeneratedDocument.objects.get(pk=document.pk)
    assert done.status == DocumentStatus.DONE and done.file.read().startswith(b"%PDF")


def test_a_piece_failing_in_another_worker_fails_its_pack_at_once_with_a_retry(
    demo_missions, member, monkeypatch, django_capture_on_commit_callbacks
):
    editor = member("editor")
    document = services.document_request(
        by=editor, organisation=demo_missions, kind=DocumentKind.PACK, missions=KEYS
    )
    _waiting_for_its_pieces(document)

    def broken(html, **kwargs):
        raise RuntimeError("out of paper")

    monkeypatch.setattr(rendering, "html_to_pdf_with_outline", broken)
    assert services.piece_render(piece_id=document.context["pieces"][1]) == DocumentStatus.FAILED
    failed = GeneratedDocument.objects.get(pk=document.pk)
    # The other pieces are not made yet: the pack does not wait for them to say it failed.
    assert failed.status == DocumentStatus.FAILED and failed.can_retry
    assert failed.error == "The briefing on Cancer failed: RuntimeError: out of paper"
    assert BriefingPiece.objects.filter(status=DocumentStatus.QUEUED).count() == len(KEYS) - 1
    with django_capture_on_commit_callbacks() as callbacks:
        retried = services.document_retry(by=editor, document=failed)
    assert retried.status == DocumentStatus.QUEUED and len(callbacks) == 1


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_pack_whose_worker_is_killed_mid_piece_is_retryable_and_completes(
    demo_missions, member, pdf_worker, monkeypatch
):
    import signal
    import time

    from documents.tasks import render_document_task
    from documents.tests.test_documents import DEMO_KEYS

    queue = f"pdf-crash-test-{os.getpid()}-{time.time_ns()}"
    monkeypatch.setattr(
        queueing,
        "_enqueue",
        lambda document: queueing.transaction.on_commit(
            lambda: render_document_task.apply_async((document.pk,), queue=queue)
        ),
    )
    # A pack's new pieces go to the workers as the request builds them (packs._send): here to
    # this test's queue too, so the doomed worker is the one rendering them.
    send = packs._send
    monkeypatch.setattr(packs, "_send", lambda name, ids, to: send(name, ids, to or queue))
    editor = member("editor")
    doomed = pdf_worker("doomed", queue)
    document = services.document_request(
        by=editor, organisation=demo_missions, kind=DocumentKind.PACK, missions=DEMO_KEYS
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait for a piece in the middle of its render
        if (
            BriefingPiece.objects.filter(
                status=DocumentStatus.RENDERING, mission__key__in=DEMO_KEYS
            ).exists()
            and BriefingPiece.objects.filter(status=DocumentStatus.DONE).exists()
        ):
            break
        time.sleep(0.02)
    else:
        pytest.fail("no piece started rendering")
    os.killpg(doomed.pid, signal.SIGKILL)  # the worker and its pool process, mid-piece
    doomed.wait(timeout=10)
    time.sleep(0.5)

    crashed = GeneratedDocument.objects.get(pk=document.pk)
    assert crashed.status != DocumentStatus.DONE and not crashed.file
    if crashed.status == DocumentStatus.QUEUED:
        # The pack's own task goes before its pieces (CELERY_TASK_ROUTES), so the killed
        # worker may have taken its message and died before starting it; Redis gives such a
        # message back only after its visibility timeout. Once the pack has waited longer than
        # any render may take, its page offers a retry.
        assert not crashed.can_retry
        GeneratedDocument.objects.filter(pk=document.pk).update(
            queued_at=rendering.stale_before() - timedelta(seconds=1)
        )
        crashed.refresh_from_db()
    # Queued too long, or started by a worker that is gone: the page offers a retry.
    assert crashed.can_retry
    retried = services.document_retry(by=editor, document=crashed)
    assert retried.status == DocumentStatus.QUEUED
    left = BriefingPiece.objects.exclude(status=DocumentStatus.DONE)
    assert left.exists() and not any(p.file for p in left)
    pdf_worker("fresh", queue)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        finished = GeneratedDocument.objects.get(pk=document.pk)
        if finished.status in (DocumentStatus.DONE, DocumentStatus.FAILED):
            break
        time.sleep(0.2)
    assert finished.status == DocumentStatus.DONE, finished.error
    pieces = BriefingPiece.objects.filter(pk__in=finished.context["pieces"])
    assert all(p.status == DocumentStatus.DONE for p in pieces)
    assert finished.page_count == 3 + sum(p.page_count for p in pieces)
    data = finished.file.read()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert int(pdftools.info(data)["Pages"]) == finished.page_count
    # The pieces killed mid-render (one per pool process at most) were taken over and
    # rendered once more; those already done were not rendered again.
    assert max(p.attempts for p in pieces) == 2
    assert sum(p.attempts for p in pieces) <= len(DEMO_KEYS) + 2
    folder = Path(finished.file.path).parent
    assert not [n for n in os.listdir(folder) if n.startswith(".partial-")]


COVERING_NOTE = "For the minister's bilateral with the Commissioner on 12 January."


def _decisions(demo_missions, member):
    """Briefing notes asking for a decision on eu-soil (with a date) and eu-cancer (without)."""
    import datetime

    editor = member("editor")
    for key, fields in (
        (
            "eu-soil",
            {
                "decision": "Agree the soil budget for 2027.",
                "decision_by": datetime.date(2027, 1, 15),
            },
        ),
        ("eu-cancer", {"decision": "Note the screening results."}),
    ):
        mission = Mission.objects.get(organisation=demo_missions, key=key)
        services.briefing_note_save(by=editor, mission=mission, fields=fields)
    return editor


def test_the_pack_opens_with_its_covering_note_and_each_missions_decision(
    demo_missions, member, render_now
):
    editor = _decisions(demo_missions, member)
    document = services.document_request(
        by=editor,
        organisation=demo_missions,
        kind=DocumentKind.PACK,
        missions=KEYS[:3],
        covering_note=f"  {COVERING_NOTE}\n",
    )
    document = render_now(document)
    assert document.status == DocumentStatus.DONE, document.error
    pdf = document.file.read()
    first = " ".join(pdftools.text(pdf, 1, 1).split())
    # What the pack is for, in the requester's words; the decision each mission asks for and
    # by when (or that it is for information); who prepared it; the protective marking.
    assert "Covering note" in first and COVERING_NOTE in first
    assert "Agree the soil budget for 2027." in first and "15 January 2027" in first
    assert "Note the screening results." in first
    assert "None: for information." in first  # se-school-food asks for no decision
    assert first.index("A Soil Deal for Europe") < first.index("Agree the soil budget")
    assert "prepared by" in first.lower() and "OFFICIAL" in first
    assert "2 of the 3 missions ask for a decision." in first
    # Each mission's briefing in the pack carries its own decision and date.
    briefings = " ".join(pdftools.text(pdf, 4).split())
    assert (
        "decision requested agree the soil budget for 2027. needed by 15 january 2027"
        in briefings.lower()
    )
    # Another covering note is another pack; the same one is the same pack.
    again = services.document_request(
        by=editor,
        organisation=demo_missions,
        kind=DocumentKind.PACK,
        missions=KEYS[:3],
        covering_note=COVERING_NOTE,
    )
    assert again.pk == document.pk
    other = services.document_request(
        by=editor, organisation=demo_missions, kind=DocumentKind.PACK, missions=KEYS[:3]
    )
    assert other.pk != document.pk and other.context["covering_note"] == ""


def test_an_over_long_covering_note_is_refused_with_the_limit_and_kept(
    client, demo_missions, member
):
    from django.urls import reverse

    client.force_login(member("viewer"))
    note = "A" * (services.COVERING_NOTE_MAX_LENGTH + 25)
    response = client.post(
        reverse("documents:pack", args=["health"]),
        {"missions": ["eu-soil", "eu-cancer"], "covering_note": note},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert (
        "The covering note can be at most 1200 characters long; it has 1225. "
        "Shorten it by 25 characters." in page
    )
    # Nothing is cut and nothing is lost: the request comes back as it was sent.
    assert f">{note}</textarea>" in page
    assert 'value="eu-soil" checked' in page and 'value="eu-cancer" checked' in page
    assert not GeneratedDocument.objects.exists()
    # At the limit it is taken.
    response = client.post(
        reverse("documents:pack", args=["health"]),
        {"missions": ["eu-soil"], "covering_note": note[: services.COVERING_NOTE_MAX_LENGTH]},
    )
    assert response.status_code == 302
    assert len(GeneratedDocument.objects.get().context["covering_note"]) == 1200


def test_a_pack_of_pieces_already_made_is_assembled_in_its_own_language(
    demo_missions, member, render_now
):
    """A pack asked for in Spanish, all of whose pieces another pack made, is assembled by its
    own task at once: its contents, cover and page numbers are in Spanish too, whatever
    language the worker runs in."""
    from django.utils import translation

    editor = member("editor")
    with translation.override("es"):
        first = services.document_request(
            by=editor, organisation=demo_missions, kind=DocumentKind.PACK, missions=KEYS[:2]
        )
        second = services.document_request(
            by=editor,
            organisation=demo_missions,
            kind=DocumentKind.PACK,
            missions=list(reversed(KEYS[:2])),
        )
    assert render_now(first).status == DocumentStatus.DONE
    second = render_now(second)
    assert second.status == DocumentStatus.DONE, second.error
    text = " ".join(pdftools.text(second.file.read()).split())
    assert "Índice" in text and "Página 2 de" in text
    assert "Contents" not in text and "Page 2 of" not in text
