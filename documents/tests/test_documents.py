"""Every kind of document, rendered for the demo missions and checked as a reader sees it:
page size and count, text, fonts, tagging, escaping, long canvas boxes, and page 1 against a
reviewed reference image."""

import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from canvas.boxes import BOXES
from canvas.services import canvas_box_save
from documents import selectors, services
from documents.models import DocumentKind, DocumentStatus
from documents.tests import pdftools
from missions.models import Mission

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "reference"
A3_LANDSCAPE = "1190.55 x 841.89 pts (A3)"
A4_PORTRAIT = "595.276 x 841.89 pts (A4)"
# Mean absolute difference per channel (0-255) allowed against the reviewed image: enough for
# font hinting and the date; a moved box or a lost section is far above it.
TOLERANCE = 6.0
# Every box but the statement (the mission's own field, with a shorter limit).
BOX_KEYS = [str(box.key) for box in BOXES if not box.is_statement]
DEMO_KEYS = [
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


def make(user, organisation, kind, keys, render_now, **kwargs):
    document = services.document_request(
        by=user, organisation=organisation, kind=kind, missions=keys, **kwargs
    )
    document = render_now(document)
    assert document.status == DocumentStatus.DONE, document.error
    return document, document.file.read()


def assert_like_reference(pdf: bytes, name: str) -> None:
    png = pdftools.page_png(pdf, 1, dpi=50)
    reference = REFERENCE / f"{name}.png"
    if not reference.exists():  # first run: look at it, then commit it
        reference.write_bytes(png.read_bytes())
        pytest.fail(f"wrote {reference}: review it and run again")
    got = Image.open(png).convert("RGB")
    want = Image.open(reference).convert("RGB")
    assert got.size == want.size
    difference = sum(ImageStat.Stat(ImageChops.difference(got, want)).mean) / 3
    assert difference < TOLERANCE, f"page 1 of {name} differs from the reference by {difference}"


@pytest.mark.parametrize("key", DEMO_KEYS)
def test_canvas_of_every_demo_mission(demo_missions, member, render_now, key):
    document, pdf = make(member("viewer"), demo_missions, DocumentKind.CANVAS, [key], render_now)
    mission = Mission.objects.get(organisation=demo_missions, key=key)
    pdftools.assert_valid(pdf)
    info = pdftools.info(pdf)
    assert info["Page size"] == A3_LANDSCAPE
    # The grid on page 1; the stakeholders (when there are any) on page 2, then the map.
    pages = int(info["Pages"])
    assert pages == (3 if mission.stakeholders.exists() else 2)
    assert info["Tagged"] == "yes"
    assert info["Title"] == document.title
    text = " ".join(pdftools.text(pdf, 1, 1).split())
    assert " ".join(mission.statement.split())[:60] in text
    assert "OFFICIAL" in text and f"Page 1 of {pages}" in text
    for target in mission.targets.filter(is_headline=True):
        assert target.title[:30] in text
    assert "Mission map" in pdftools.text(pdf, pages, pages)
    assert document.page_count == pages and document.size_bytes == len(pdf)


@pytest.mark.parametrize("key", DEMO_KEYS)
def test_briefing_of_every_demo_mission(demo_missions, member, render_now, key):
    _document, pdf = make(
        member("editor"),
        demo_missions,
        DocumentKind.BRIEFING,
        [key],
        render_now,
        decision="Agree the next phase.",
    )
    pdftools.assert_valid(pdf)
    info = pdftools.info(pdf)
    assert info["Page size"] == A4_PORTRAIT
    assert int(info["Pages"]) <= 2
    text = " ".join(pdftools.text(pdf).split())
    mission = Mission.objects.get(organisation=demo_missions, key=key)
    assert " ".join(mission.statement.split())[:60] in text
    assert "Agree the next phase." in text
    for target in mission.targets.filter(is_headline=True):
        assert target.title[:30] in text
    for code in ("C1", "C2", "C3", "C4", "C5"):
        assert code in text
    assert "Criteria: Mazzucato (2018) / Horizon Europe" in text  # in every page's footer


def test_pack_of_all_demo_missions(demo_missions, member, render_now):
    _document, pdf = make(member("viewer"), demo_missions, DocumentKind.PACK, DEMO_KEYS, render_now)
    pdftools.assert_valid(pdf)
    info = pdftools.info(pdf)
    assert info["Page size"] == A4_PORTRAIT
    pages = int(info["Pages"])
    assert 3 + len(DEMO_KEYS) <= pages <= 3 + 2 * len(DEMO_KEYS)
    contents = pdftools.text(pdf, 2, 2, layout=True)
    assert "Contents" in contents
    # Each mission's page number in the contents is where its briefing really starts.
    for key in ("eu-soil", "se-school-food"):
        title = Mission.objects.get(organisation=demo_missions, key=key).title
        line = next(line for line in contents.splitlines() if title[:25] in line)
        page = int(line.rstrip().rsplit(".", 1)[-1].split()[-1])
        assert title[:25] in " ".join(pdftools.text(pdf, page, page).split())
    assert "Summary of the missions" in pdftools.text(pdf, 3, 3)


def test_a_full_canvas_box_continues_on_a_later_page(demo_missions, member, render_now):
    editor = member("editor")
    mission = Mission.objects.get(organisation=demo_missions, key="eu-cities")
    words = "Cities share what works in open demonstrators and learn from each other. "
    text = (words * 60)[:2970].rsplit(" ", 1)[0] + " the very last words"
    for box in ("challenge", "rationale", "portfolio", "learning", "risks_rewards"):
        canvas_box_save(
            by=editor, mission=mission, box_key=box, text=text[:3000], expected_version=0
        )
    _document, pdf = make(editor, demo_missions, DocumentKind.CANVAS, ["eu-cities"], render_now)
    pages = int(pdftools.info(pdf)["Pages"])
    # Page-count regression: the grid stays on page 1, continuations follow, then the
    # stakeholders and the map.
    assert 3 <= pages <= 5, pages
    first = " ".join(pdftools.text(pdf, 1, 1).split())
    assert "Continued on page 2" in first
    for title in ("Challenge", "Why a mission?", "Learning", "Risks and rewards"):
        assert title in first
    rest = " ".join(pdftools.text(pdf, 2).split())
    assert rest.count("the very last words") == 5  # nothing was cut
    assert "Mission map" in pdftools.text(pdf, pages, pages)


def test_every_box_full_says_the_page_each_continues_on(demo_missions, member, render_now, caplog):
    """Twelve full boxes continue over two pages: page 1 prints, for each, the page its text
    really continues on, worked out before the page is laid out (not left to the layout)."""
    editor = member("editor")
    mission = Mission.objects.get(organisation=demo_missions, key="eu-cities")
    sentence = "Editor {n} adds sentence {i} about who benefits and by when. "
    for n, box in enumerate(BOX_KEYS):
        text = "".join(sentence.format(n=n, i=i) for i in range(60))[:2990]
        canvas_box_save(by=editor, mission=mission, box_key=box, text=text, expected_version=0)
    with caplog.at_level("WARNING", logger="documents.layout"):
        _document, pdf = make(editor, demo_missions, DocumentKind.CANVAS, ["eu-cities"], render_now)
    assert not [r for r in caplog.records if "moved" in r.getMessage()]
    first = " ".join(pdftools.text(pdf, 1, 1).split())
    printed = re.findall(r"Continued on page (\d+)", first)
    assert len(printed) == 11  # every box but the statement, which has a limit of its own
    # Where each box's continuation really is: its "(continued)" heading's page.
    landed = []
    for page in range(2, int(pdftools.info(pdf)["Pages"]) + 1):
        text = " ".join(pdftools.text(pdf, page, page).split())
        landed += [str(page)] * text.count("(continued)")
    assert sorted(printed) == sorted(landed)
    assert {"2", "3"} <= set(printed)  # the continuation takes two pages


def test_user_text_is_printed_as_text(demo_missions, member, render_now):
    Mission.objects.filter(key="eu-soil").update(title="<script>alert('x')</script> & co")
    _document, pdf = make(
        member("editor"), demo_missions, DocumentKind.BRIEFING, ["eu-soil"], render_now
    )
    assert "<script>alert('x')</script> & co" in pdftools.text(pdf)


def test_protective_marking_comes_from_settings(demo_missions, member, render_now, settings):
    settings.LODESTAR_PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
    _document, pdf = make(
        member("editor"), demo_missions, DocumentKind.BRIEFING, ["eu-soil"], render_now
    )
    assert "OFFICIAL-SENSITIVE" in pdftools.text(pdf, 1, 1)


@pytest.mark.parametrize(
    ("kind", "keys"),
    [
        (DocumentKind.CANVAS, ["eu-cities"]),
        (DocumentKind.BRIEFING, ["nl-healthy-life-years"]),
        (DocumentKind.PACK, ["eu-cities", "nl-healthy-life-years", "se-school-food"]),
    ],
)
def test_page_one_matches_the_reviewed_reference(
    demo_missions, member, render_now, kind, keys, monkeypatch
):
    monkeypatch.setattr(selectors, "today_text", lambda day: "29 November 2026")
    user = member("editor", full_name="Sam Servant")
    _document, pdf = make(user, demo_missions, kind, keys, render_now, decision="")
    assert_like_reference(pdf, f"{kind}-page1")


def test_the_canvas_shows_the_stakeholder_grid_before_the_map(demo_missions, member, render_now):
    _document, with_map = make(
        member("viewer"), demo_missions, DocumentKind.CANVAS, ["eu-cities"], render_now
    )
    _document, without = make(
        member("viewer"), demo_missions, DocumentKind.CANVAS, ["es-agri-2021"], render_now
    )

    # The grid and its table fill page 2; the map, drawn and in words, is the last page.
    page_two = " ".join(pdftools.text(with_map, 2, 2).split())
    assert pdftools.info(with_map)["Pages"] == "3"
    assert "Stakeholders: power and interest" in page_two
    assert "NetZeroCities consortium" in page_two  # in the numbered key beside the grid
    assert "Keep satisfied" in page_two and "Key players" in page_two
    assert "Mission map" in pdftools.text(with_map, 3, 3)
    assert "Stakeholders: power and interest" not in pdftools.text(without)
    assert pdftools.info(without)["Pages"] == "2"
