"""`python -m bench.pdf_driver`: time PDF exports through the real Celery workers, as JSON.

Run by bench/pdf.py in a process of its own, with the bench database and Redis in the
environment and the `pdf` workers already running. Every figure is wall time from the export
request (the service a view calls) to the stored file, so it includes the queue, the worker,
WeasyPrint and the file write. Also times the worker's own render of the canvas in this
process (warm), and the same HTML in a fresh headless Chromium process, the tool users
otherwise reach for.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

CHROMIUM = os.environ.get("LODESTAR_CHROMIUM", "/usr/bin/chromium")
PACK_SIZE = 20
# How many times the first pack is made (and Chromium prints the same pack): the median counts.
FIRST_PACKS = 3
ORGANISATION = "demo-unit"
USER = "servant@demo.example"


def ensure_missions(organisation) -> list[str]:
    """20 missions: the demo ones plus copies under other keys (idempotent)."""
    from missions import exchange
    from missions.apps import DEMO_FIXTURE
    from missions.models import Mission

    # Not the missions other benchmarks make here (bench-autosave-…, bench-full-canvas).
    missions = Mission.objects.filter(organisation=organisation, archived_at__isnull=True).exclude(
        key__startswith="bench-"
    )
    keys = list(missions.order_by("key").values_list("key", flat=True))
    if len(keys) < PACK_SIZE:
        document = exchange.read_file(DEMO_FIXTURE)
        copies = []
        for round_ in range(1, 4):
            for mission in document["missions"]:
                if mission.get("parent"):
                    continue
                copy = json.loads(json.dumps(mission))
                copy["key"] = f"{mission['key']}-copy{round_}"[:80]
                copy["title"] = f"{mission['title']} ({round_})"[:120]
                copies.append(copy)
        document["missions"] = copies
        exchange.import_document(document=document, organisation=organisation)
        keys = list(missions.order_by("key").values_list("key", flat=True))
    return keys[:PACK_SIZE]


FULL_CANVAS = "bench-full-canvas"


def full_canvas(user, organisation) -> str:
    """A mission whose twelve canvas boxes are all written to their limit (the canvas at its
    heaviest: every box continues after the grid, over two pages); made once."""
    from canvas.boxes import BOXES, TEXT_LIMIT
    from canvas.services import canvas_box_save
    from missions.models import GrandChallenge, Mission

    if not Mission.objects.filter(organisation=organisation, key=FULL_CANVAS).exists():
        challenge = GrandChallenge.objects.filter(organisation=organisation).first()
        mission = Mission.objects.create(
            organisation=organisation, challenge=challenge, key=FULL_CANVAS, title="Every box full"
        )
        for number, box in enumerate(BOXES):
            limit = 300 if box.is_statement else TEXT_LIMIT
            sentences = (
                f"Editor {number} adds sentence {i} about who benefits." for i in range(99)
            )
            text = " ".join(sentences)[:limit].rsplit(" ", 1)[0]
            mission.refresh_from_db()
            canvas_box_save(
                by=user,
                mission=mission,
                box_key=str(box.key),
                text=text,
                expected_version=mission.version if box.is_statement else 0,
            )
    return FULL_CANVAS


def forget_packs(organisation) -> None:
    """No pack, pack piece, pack page or page-number stamp kept: the next pack is made from
    nothing, as a pack of missions never packed before is."""
    from django.conf import settings

    from documents.models import BriefingPiece, DocumentKind, GeneratedDocument
    from documents.retention import KEPT_FOLDERS

    GeneratedDocument.objects.filter(organisation=organisation, kind=DocumentKind.PACK).delete()
    BriefingPiece.objects.filter(organisation=organisation).delete()
    for kept in KEPT_FOLDERS:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / kept, ignore_errors=True)


def export(
    user, organisation, kind: str, keys: list[str], timeout: float = 600
) -> tuple[float, object]:
    from documents.models import DocumentStatus, GeneratedDocument
    from documents.services import document_request

    started = time.perf_counter()
    document = document_request(by=user, organisation=organisation, kind=kind, missions=keys)
    # Polled by its status alone: reading the whole row (a pack's context holds every
    # mission's summary) a hundred times a second cost this process three times the CPU,
    # taken from the workers it measures.
    status = document.status
    while status not in (DocumentStatus.DONE, DocumentStatus.FAILED):
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"{kind} not ready after {timeout:.0f} s")
        time.sleep(0.01)
        status = GeneratedDocument.objects.values_list("status", flat=True).get(pk=document.pk)
    elapsed = time.perf_counter() - started
    document = GeneratedDocument.objects.get(pk=document.pk)
    if document.status != DocumentStatus.DONE:
        raise RuntimeError(f"{kind} failed: {document.error}")
    return elapsed, document


def html_for(document) -> str:
    """The document's HTML; for a pack, one HTML of its own pages (cover, contents, summary)
    and every briefing (what Chromium would print in one go)."""
    from documents.layout import TEMPLATES, render_context
    from documents.models import BriefingPiece
    from documents.pdf import render_html
    from documents.services import PIECE_TEMPLATE, piece_render_context

    if document.kind != "pack":
        return render_html(TEMPLATES[document.kind], render_context(document))
    pieces = [BriefingPiece.objects.get(pk=pk) for pk in document.context["pieces"]]
    start, missions = 5, []
    for summary, piece in zip(document.context["missions"], pieces, strict=True):
        missions.append({**summary, "start_page": start})
        start += piece.page_count or 1
    numbers = {"missions": missions, "summary_page": 3, "briefings_page": 5}
    parts = [
        render_html(TEMPLATES["pack"], {**render_context(document), "part": part, **numbers})
        for part in ("cover", "contents", "summary")
    ]
    parts += [render_html(PIECE_TEMPLATE, piece_render_context(piece)) for piece in pieces]
    bodies = [re.search(r"<body[^>]*>(.*)</body>", html, re.S).group(1) for html in parts]
    joined = "".join(f'<div class="pack-section">{body}</div>' for body in bodies)
    return re.sub(
        r"<body[^>]*>.*</body>", lambda _m: f"<body>{joined}</body>", parts[0], flags=re.S
    )


def pack_timeline(pack, requested: float) -> str:
    """Where a pack's time went, in seconds from the click: the request's return (its pieces'
    contexts built), the pieces' renders on the pdf workers (first start, last finish), and
    the pack's own task (claimed, stored)."""
    from documents.models import BriefingPiece

    pieces = BriefingPiece.objects.filter(pk__in=pack.context["pieces"])
    starts = [p.started_at.timestamp() for p in pieces if p.started_at]
    ends = [p.finished_at.timestamp() for p in pieces if p.finished_at]
    busy = sum(p.render_seconds or 0 for p in pieces)

    def at(value: float | None) -> str:
        return f"{value - requested:.2f}" if value else "?"

    return (
        f"queued {at(pack.queued_at.timestamp())}, pieces rendered from {at(min(starts, default=None))} "
        f"to {at(max(ends, default=None))} ({busy:.2f} s of rendering for {len(ends)} pieces), "
        f"pack claimed {at(pack.started_at.timestamp())}, stored {at(pack.finished_at.timestamp())}"
    )


def word_briefing(document, runs: int = 3) -> float:
    """The same briefing as an editable Word document (documents.word), in this process:
    median seconds from its stored context to .docx bytes."""
    from documents import word
    from documents.services import render_context

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        word.briefing_docx(render_context(document))
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def edit_one(organisation, key: str) -> None:
    """One mission of the pack edited as a user would (a save: its version goes up)."""
    from missions.models import Mission

    mission = Mission.objects.get(organisation=organisation, key=key)
    mission.committed_budget = (mission.committed_budget or 0) + 1000
    mission.save()


def after_change(user, organisation, key: str, timeout: float = 120) -> float:
    """A canvas box of an exported mission saved as on the canvas page (which tells the
    mission's listeners), then, once that change has settled (its canvas made again ahead, on
    the pdf_ahead queue), the canvas asked for: seconds from that click to the stored file."""
    from canvas.models import CanvasBox
    from canvas.services import canvas_box_save
    from documents.models import DocumentStatus, GeneratedDocument
    from missions.models import Mission

    mission = Mission.objects.get(organisation=organisation, key=key)
    row = CanvasBox.objects.filter(mission=mission, box_key="risks_rewards").first()
    version = row.version if row else 0
    before = set(
        GeneratedDocument.objects.filter(mission=mission, kind="canvas").values_list(
            "pk", flat=True
        )
    )
    canvas_box_save(
        by=user,
        mission=mission,
        box_key="risks_rewards",
        text=f"Reviewed again (bench run {time.time_ns()}): the risks stand as written.",
        expected_version=version,
    )
    started = time.perf_counter()
    while not (
        GeneratedDocument.objects.filter(mission=mission, kind="canvas", status=DocumentStatus.DONE)
        .exclude(pk__in=before)
        .exists()
    ):
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"the canvas was not made again within {timeout:.0f} s of a change")
        time.sleep(0.05)
    elapsed, _document = export(user, organisation, "canvas", [key])
    return elapsed


def after_changes(user, organisation, key: str, runs: int = 3) -> float:
    """`after_change`, `runs` times: the median (one click is one sample of a shared machine)."""
    return statistics.median(after_change(user, organisation, key) for _ in range(runs))


def bare_weasyprint(document, runs: int = 3) -> float:
    """The worker's own render of the document (documents.layout), in this process: no
    queue, no database, no file."""
    from documents.layout import document_pdf

    document_pdf(document)  # warm, as a worker is
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        document_pdf(document)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def chromium(html: str, runs: int = 3) -> float:
    """A fresh `chromium --headless --print-to-pdf` process on the same HTML and files."""
    from django.contrib.staticfiles import finders

    folder = Path(tempfile.mkdtemp(prefix="lodestar-chromium-"))
    try:
        for name in ("documents/print.css", "fonts/source-sans-3/fonts.css"):
            target = folder / "static" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(finders.find(name), target)
        fonts = Path(finders.find("fonts/source-sans-3/fonts.css")).parent
        for font in fonts.glob("*.ttf"):
            shutil.copy(font, folder / "static" / "fonts" / "source-sans-3" / font.name)
        page = folder / "document.html"
        page.write_text(re.sub(r'href="/static/', 'href="static/', html), encoding="utf-8")
        times = []
        for _ in range(runs):
            profile = tempfile.mkdtemp(prefix="lodestar-chromium-profile-")
            started = time.perf_counter()
            subprocess.run(
                [
                    CHROMIUM,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    f"--user-data-dir={profile}",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={folder / 'out.pdf'}",
                    page.as_uri(),
                ],
                capture_output=True,
                check=True,
                timeout=120,
            )
            times.append(time.perf_counter() - started)
            shutil.rmtree(profile, ignore_errors=True)
        return statistics.median(times)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.utils import translation

    from accounts.models import Organisation, User
    from documents.models import BriefingPiece, GeneratedDocument
    from documents.retention import KEPT_FOLDERS

    translation.activate("en-gb")
    organisation = Organisation.objects.get(slug=ORGANISATION)
    user = User.objects.get(email=USER)
    keys = ensure_missions(organisation)
    # The bench database is throwaway: start from no stored documents, so first renders are real;
    # nor the pack pages and page-number stamps kept on disk (documents.layout), which a pack of
    # missions never packed before lays out too.
    GeneratedDocument.objects.filter(organisation=organisation).delete()
    BriefingPiece.objects.filter(organisation=organisation).delete()
    for kept in KEPT_FOLDERS:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / kept, ignore_errors=True)

    # Warm every pdf worker process (imports, fonts, templates) on documents not measured.
    for key in keys[-4:]:
        export(user, organisation, "canvas", [key])
        export(user, organisation, "briefing", [key])

    figures: dict[str, float] = {}
    figures["canvas_pdf_s"], canvas = export(user, organisation, "canvas", [keys[0]])
    figures["canvas_pdf_cached_s"], _ = export(user, organisation, "canvas", [keys[0]])
    figures["canvas_pdf_after_change_s"] = after_changes(user, organisation, keys[0])
    figures["canvas_full_pdf_s"], full = export(
        user, organisation, "canvas", [full_canvas(user, organisation)]
    )
    figures["briefing_pdf_s"], briefing = export(user, organisation, "briefing", [keys[1]])
    figures["briefing_docx_s"] = word_briefing(briefing)
    # The pack: its 20 missions' pieces rendered in parallel by the two pdf processes, then
    # assembled; again unchanged (nothing rendered, no context built); then with one mission
    # edited (that mission's piece and the pack's own pages rendered, the rest reused).
    # The first pack, made FIRST_PACKS times from nothing (its pieces, pack pages and stamps
    # forgotten each time): the median, as one pack is one sample of a shared machine.
    firsts = []
    for _attempt in range(FIRST_PACKS):
        forget_packs(organisation)
        requested = time.time()
        elapsed, pack = export(user, organisation, "pack", keys)
        print(f"bench: pack timeline (s): {pack_timeline(pack, requested)}", file=sys.stderr)
        firsts.append(elapsed)
    figures["pack20_pdf_s"] = statistics.median(firsts)
    print(f"bench: first packs (s): {', '.join(f'{t:.2f}' for t in firsts)}", file=sys.stderr)
    figures["pack20_cached_pdf_s"], _ = export(user, organisation, "pack", keys)
    edit_one(organisation, keys[len(keys) // 2])
    figures["pack20_one_changed_pdf_s"], changed = export(user, organisation, "pack", keys)

    canvas_html, pack_html = html_for(canvas), html_for(pack)
    bare = bare_weasyprint(canvas)
    figures["canvas_pdf_vs_bare_weasyprint"] = figures["canvas_pdf_s"] / bare
    figures["canvas_chromium_s"] = chromium(canvas_html)
    figures["pack20_chromium_s"] = chromium(pack_html, runs=FIRST_PACKS)
    figures["canvas_pdf_vs_chromium"] = figures["canvas_pdf_s"] / figures["canvas_chromium_s"]
    figures["canvas_full_chromium_s"] = chromium(html_for(full))
    figures["canvas_full_vs_chromium"] = (
        figures["canvas_full_pdf_s"] / figures["canvas_full_chromium_s"]
    )
    figures["pack20_vs_chromium"] = figures["pack20_pdf_s"] / figures["pack20_chromium_s"]
    figures["bare_weasyprint_canvas_s"] = bare
    figures["pack20_pages"] = pack.page_count
    figures["canvas_worker_render_s"] = canvas.render_seconds
    figures["pack20_worker_render_s"] = pack.render_seconds
    figures["pack20_one_changed_worker_render_s"] = changed.render_seconds
    figures["pack20_bytes"] = pack.size_bytes
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
