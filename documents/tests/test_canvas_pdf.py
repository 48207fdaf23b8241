"""The canvas PDF shows the mission as its records hold it (issue #18): each box lists what the
mission's targets, stakeholders, projects, budget and evaluation say, in the box it belongs to;
a box says exactly what is missing; the stakeholder table gives sector and attitude in words;
the mission map's titles are given in full, drawn and in words; the figures after page 1 are in
the document's font at 7 pt or more; and no page but the last is more than half empty."""

import pytest

from documents import services
from documents.models import DocumentKind, DocumentStatus
from documents.tests import pdftools
from missions.models import Mission, MissionProject

pytestmark = pytest.mark.django_db

A3_HEIGHT = 841.89
FOOTER_TOP = A3_HEIGHT - 16 * 72 / 25.4  # the bottom margin, where the running footer is
COLUMN = 150  # points: a little less than one column of the canvas grid
ROW = 245  # points: a little less than one grid row (88 mm)


def canvas(user, organisation, key, render_now) -> bytes:
    document = services.document_request(
        by=user, organisation=organisation, kind=DocumentKind.CANVAS, missions=[key]
    )
    document = render_now(document)
    assert document.status == DocumentStatus.DONE, document.error
    pdf = document.file.read()
    pdftools.assert_valid(pdf)
    return pdf


def box_text(pdf: bytes, number: int, title: str, *, width=COLUMN, height=ROW) -> str:
    """The text printed inside canvas box `number` on page 1: below its title, within its
    column and row."""
    found = pdftools.words(pdf, 1)
    first = title.split()[0]
    for index, word in enumerate(found[:-1]):
        following = found[index + 1]
        if word[4] == str(number) and following[4] == first and abs(word[1] - following[1]) < 2:
            return pdftools.region_text(
                found, word[0] - 2, word[1] - 2, word[0] + width, word[1] + height
            )
    raise AssertionError(f"no box titled {number} {title} on page 1")


def test_boxes_show_the_missions_records_in_the_right_box(demo_missions, member, render_now):
    pdf = canvas(member("viewer"), demo_missions, "eu-cities", render_now)
    page_one = " ".join(pdftools.text(pdf, 1, 1).split())
    assert "Not filled in yet" not in page_one

    targets = box_text(pdf, 3, "Targets and milestones")
    assert "Climate-neutral cities (headline): from 0 cities (2021) to 100 cities by 2030" in (
        targets
    )
    assert "Milestone 2022" in targets

    stakeholders = box_text(pdf, 6, "Stakeholders and citizens")
    assert "9 stakeholders on the map" in stakeholders
    assert "European Commission" in stakeholders and "engagement activities" in stakeholders

    portfolio = box_text(pdf, 9, "Portfolio of projects", height=2 * ROW)
    assert "Climate City Contracts" in portfolio and "NetZeroCities Mission Platform" in portfolio

    instruments = box_text(pdf, 10, "Instruments and resources")
    assert "Regulation or standard" in instruments
    # What is missing is said exactly, as on the page.
    assert "No committed budget recorded" in instruments

    governance = box_text(pdf, 7, "Governance and mandate", height=2 * ROW)
    assert "Mandate date: 29 September 2021" in governance

    learning = box_text(pdf, 12, "Learning and review", width=1100, height=100)
    assert "Indicators:" in learning and "Climate-neutral mission cities" in learning


def test_a_box_without_records_says_what_is_missing(demo_missions, member, render_now):
    Mission.objects.filter(organisation=demo_missions, key="eu-soil").update(mandate_date=None)
    pdf = canvas(member("viewer"), demo_missions, "eu-soil", render_now)
    assert "No stakeholders on the map yet." in box_text(pdf, 6, "Stakeholders and citizens")
    assert "Mandate date missing" in box_text(pdf, 7, "Governance and mandate", height=2 * ROW)
    assert "Not filled in yet" not in pdftools.text(pdf, 1, 1)


def test_the_stakeholder_table_gives_sector_and_attitude_in_words(
    demo_missions, member, render_now
):
    pdf = canvas(member("viewer"), demo_missions, "eu-cities", render_now)
    table = pdftools.text(pdf, 2, 2, layout=True)
    header = next(line for line in table.splitlines() if "Stakeholder" in line and "No." in line)
    assert header.split() == [
        "No.",
        "Stakeholder",
        "Sector",
        "Attitude",
        "Power",
        "Interest",
        "Group",
    ]
    row = next(line for line in table.splitlines() if "EIT Climate-KIC" in line)
    assert "Academia and research" in row and "Strongly supportive" in row
    assert "Key players" in row


def test_mission_map_titles_are_given_in_full(demo_missions, member, render_now):
    mission = Mission.objects.get(organisation=demo_missions, key="eu-cities")
    long_title = "Open demonstrators for positive-energy districts in every selected city"
    MissionProject.objects.filter(mission=mission, key="climate-city-contracts").update(
        title=long_title
    )
    pdf = canvas(member("viewer"), demo_missions, "eu-cities", render_now)
    pages = int(pdftools.info(pdf)["Pages"])
    last = pdftools.text(pdf, pages, pages)
    assert "…" not in last
    assert "The mission map in words" in last
    flat = " ".join(last.split())
    # In the table, on one line of words ...
    assert long_title in flat
    # ... and in the drawing, wrapped over lines: every word of it is there twice or more.
    for word in long_title.split():
        assert flat.count(word) >= 2, word
    assert mission.title in flat


def test_figures_after_page_one_use_the_document_font_at_7_pt_or_more(
    demo_missions, member, render_now
):
    pdf = canvas(member("viewer"), demo_missions, "nl-healthy-life-years", render_now)
    pages = int(pdftools.info(pdf)["Pages"])
    assert pages >= 2
    for page in range(2, pages + 1):
        sizes = pdftools.text_sizes(pdf, page)
        assert sizes
        fonts = {font for font, _size in sizes}
        assert all("Source-Sans-3" in font for font in fonts), (page, fonts)
        small = sorted({size for _font, size in sizes if size < 7})
        assert not small, f"text smaller than 7 pt on page {page}: {small}"


@pytest.mark.parametrize("key", ["eu-cities", "nl-healthy-life-years", "eu-soil"])
def test_no_page_but_the_last_is_more_than_half_empty(demo_missions, member, render_now, key):
    pdf = canvas(member("viewer"), demo_missions, key, render_now)
    pages = int(pdftools.info(pdf)["Pages"])
    for page in range(1, pages):
        body = [w for w in pdftools.words(pdf, page) if w[3] < FOOTER_TOP]
        lowest = max(w[3] for w in body)
        assert lowest > A3_HEIGHT / 2, f"page {page} of {pages} ends at {lowest:.0f} pt"
