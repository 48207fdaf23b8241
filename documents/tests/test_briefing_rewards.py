"""The briefing's "Public money at risk and what the public gets back" (issue #23), in the PDF
and in the Word copy: the public money at risk and its forms, the public side's share, the
reward or access conditions with how many were checked met or breached, the projects with
public money and none; one line when no terms are recorded."""

from datetime import date
from decimal import Decimal

import docx
import pytest
from django.core.management import call_command

from documents import services
from documents.models import DocumentKind, DocumentStatus
from documents.tests import pdftools
from missions.models import Mission, MissionProject
from rewards.models import ConditionStatus, ProjectTerms, PublicRisk, RewardCondition

pytestmark = pytest.mark.django_db

HEADING = "Public money at risk and what the public gets back"


def briefing_text(user, organisation, key, render_now) -> str:
    document = services.document_request(
        by=user, organisation=organisation, kind=DocumentKind.BRIEFING, missions=[key]
    )
    document = render_now(document)
    assert document.status == DocumentStatus.DONE, document.error
    pdf = document.file.read()
    assert int(pdftools.info(pdf)["Pages"]) <= 2
    return " ".join(pdftools.text(pdf).split())


def word_document(organisation, key, out):
    call_command("export_briefing", "--org", organisation.slug, "--mission", key, "--out", str(out))
    return docx.Document(str(out))


@pytest.fixture
def soil_with_money(demo_missions):
    """eu-soil's living labs (demo terms: three Horizon Europe conditions, agreed) given
    public and private money, one condition checked and met and one breached, and the soil
    dashboard bought with public money and no condition at all."""
    mission = Mission.objects.get(organisation=demo_missions, key="eu-soil")
    MissionProject.objects.filter(mission=mission, key="soil-living-labs").update(
        public_funding=Decimal(3_000_000)
    )
    ProjectTerms.objects.filter(mission=mission, project__key="soil-living-labs").update(
        private_money=Decimal(600_000), in_kind_value=Decimal(400_000)
    )
    RewardCondition.objects.filter(mission=mission, key="soil-labs-open-data").update(
        status=ConditionStatus.BREACHED, checked_on=date(2026, 3, 1)
    )
    RewardCondition.objects.filter(mission=mission, key="soil-labs-open-publications").update(
        status=ConditionStatus.MET, checked_on=date(2026, 3, 1)
    )
    dashboard = MissionProject.objects.get(mission=mission, key="euso-dashboard")
    MissionProject.objects.filter(pk=dashboard.pk).update(public_funding=Decimal(1_000_000))
    ProjectTerms.objects.create(
        mission=mission, project=dashboard, public_risk=PublicRisk.PROCUREMENT
    )
    return demo_missions


def test_a_briefing_with_terms_gives_the_sections_figures(soil_with_money, member, render_now):
    text = briefing_text(member("editor"), soil_with_money, "eu-soil", render_now)
    assert HEADING in text
    assert "Public money at risk: €4,000,000." in text
    assert "Grant (not repaid) €3,000,000; Procurement commitment €1,000,000" in text
    # 4 m of the 5 m put in: public, private 0.6 m and in kind 0.4 m.
    assert "The public side put in 80% of all the money and value recorded" in text
    assert "in-kind contributions: €1,000,000." in text
    assert "3 reward or access conditions: 1 checked and met, 1 checked and breached." in text
    assert (
        "Public money with no reward or access condition in this project: "
        "EU Soil Observatory dashboard." in text
    )
    # Some reward conditions are recorded: not the warning that the public has no share.
    assert "nothing gives it a share" not in text


def test_the_demo_school_food_briefing_warns_that_the_public_gets_nothing_back(
    demo_missions, member, render_now
):
    text = briefing_text(member("editor"), demo_missions, "se-school-food", render_now)
    assert "Public money at risk: SEK 21,800,000. Form: Grant (not repaid)." in text
    assert (
        "Only public money is recorded: no private, philanthropic or in-kind contribution." in text
    )
    assert "No reward or access condition is recorded on the public money." in text
    section = text.split(HEADING, 1)[1].split("Assessment against")[0]
    assert "WARNING" in section  # the tag, which poppler reads after the sentence
    assert (
        "The public side carries most of the risk and nothing gives it a share of the "
        "reward. Public money with no reward or access condition in this project: A new "
        "recipe for school meals." in section
    )
    assert "Some of these terms come from a source not verified." in text


def test_public_money_not_recorded_is_said_so_not_printed_as_zero(
    demo_missions, member, render_now
):
    text = briefing_text(member("editor"), demo_missions, "eu-soil", render_now)
    assert "Public money at risk: not recorded for the projects with terms." in text
    assert "€0" not in text and "0%" not in text
    assert "3 reward or access conditions: 0 checked and met, 0 checked and breached." in text
    assert "WARNING" not in text.split(HEADING, 1)[1].split("Assessment against")[0]


def test_a_briefing_without_terms_says_none_are_recorded(demo_missions, member, render_now):
    text = briefing_text(member("editor"), demo_missions, "nl-care-right-place", render_now)
    # One line, no heading of its own: the one-page briefing stays on one page.
    assert f"{HEADING}: No public-value terms are recorded for this mission's projects yet." in text
    assert "Page 1 of 1" in text
    assert "Public money at risk:" not in text


def test_the_word_copy_carries_the_same_section(soil_with_money, member, tmp_path):
    member("admin")
    document = word_document(soil_with_money, "eu-soil", tmp_path / "b.docx")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings.index("Headline targets") < headings.index(HEADING)
    assert headings.index(HEADING) < headings.index("Assessment against the five mission criteria")
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert (
        "Public money at risk: €4,000,000. Forms: Grant (not repaid) €3,000,000; "
        "Procurement commitment €1,000,000." in bullets
    )
    assert any(b.startswith("The public side put in 80%") for b in bullets)
    assert "3 reward or access conditions: 1 checked and met, 1 checked and breached." in bullets
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        "Warning: Public money with no reward or access condition in this project: "
        "EU Soil Observatory dashboard." in text
    )
    none = word_document(soil_with_money, "nl-healthy-life-years", tmp_path / "n.docx")
    text = "\n".join(p.text for p in none.paragraphs)
    assert HEADING in text
    assert "No public-value terms are recorded for this mission's projects yet." in text


def test_what_changed_names_the_new_rewards_sentences_only_when_both_briefings_had_them():
    from documents.layout import describe_changes

    before = {"rewards": {"facts": ["Public money at risk: €1.", "No reward condition."]}}
    after = {"rewards": {"facts": ["Public money at risk: €1.", "1 checked and breached."]}}
    assert describe_changes(before, after) == [
        "Public money and rewards, now: 1 checked and breached."
    ]
    # A briefing made before the section existed: nothing to compare, nothing said.
    assert describe_changes({}, after) == []
