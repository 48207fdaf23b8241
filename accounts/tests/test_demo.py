"""The demo shows the product at work: after `seed_demo` each role finds something waiting for
them, missions carry verdicts, decisions and comments, and an indicator has a real series with
its source named (issue #15, item 6)."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import override_settings

from accounts.models import User
from canvas.models import CanvasComment
from evaluation.indicators.models import Indicator, Measurement
from evaluation.models import CriterionVerdict
from missions import demo
from missions.models import ChangeAction, Mission, MissionSnapshot, MissionStatus
from portfolios.models import Decision, ReviewDecision

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]


@pytest.fixture
def demo_data():
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


@pytest.fixture
def people():
    return {
        role: User.objects.get(email=email)
        for role, email in (
            ("editor", demo.EDITOR),
            ("reviewer", demo.REVIEWER),
            ("lead", demo.LEAD),
        )
    }


def _unit_missions():
    return Mission.objects.filter(organisation__slug=demo.ORGANISATION)


def test_the_reviewer_has_a_proposed_mission_to_review(people):
    waiting = [
        mission
        for mission in _unit_missions().filter(status=MissionStatus.PROPOSED)
        if not mission.verdicts.filter(reviewer=people["reviewer"]).exists()
    ]
    assert [mission.key for mission in waiting] == [demo.PROPOSED]
    proposal = waiting[0].changes.get(action=ChangeAction.TRANSITIONED)
    assert proposal.user == people["editor"]
    assert proposal.changes["status"] == [MissionStatus.DRAFT, MissionStatus.PROPOSED]


def test_the_lead_has_a_proposed_mission_awaiting_a_decision():
    undecided = _unit_missions().filter(status=MissionStatus.PROPOSED, decisions__isnull=True)
    assert list(undecided.values_list("key", flat=True)) == [demo.PROPOSED]


def test_the_editor_has_changes_requested_and_a_comment_addressed_to_them(people):
    sent_back = ReviewDecision.objects.get(
        mission__key=demo.CHANGES_REQUESTED, decision=Decision.REQUEST_CHANGES
    )
    assert sent_back.decided_by == people["lead"]
    assert sent_back.mission.status == MissionStatus.DRAFT
    assert (sent_back.status_before, sent_back.status_after) == ("proposed", "draft")
    assert "baseline" in sent_back.comments
    # Taken against a snapshot of the mission as the lead saw it.
    assert MissionSnapshot.objects.filter(pk=sent_back.snapshot_id).exists()

    addressed = CanvasComment.objects.filter(
        author=people["reviewer"],
        mission__created_by=people["editor"],
        text__contains="@" + people["editor"].full_name,
        resolved_at__isnull=True,
    )
    assert addressed.count() == 1
    assert addressed.get().mission == sent_back.mission


def test_the_lead_approved_one_mission_against_its_snapshot(people):
    approval = ReviewDecision.objects.get(mission__key=demo.APPROVED, decision=Decision.APPROVE)
    assert approval.decided_by == people["lead"]
    assert approval.mission.status == MissionStatus.APPROVED


def test_several_missions_carry_reviewer_verdicts_with_rationales(people):
    verdicts = CriterionVerdict.objects.filter(
        reviewer=people["reviewer"], mission__organisation__slug=demo.ORGANISATION
    )
    assert verdicts.values("mission").distinct().count() >= 3
    assert all(verdict.rationale.strip() for verdict in verdicts)
    judged = verdicts.filter(mission__key=demo.CHANGES_REQUESTED)
    assert set(judged.values_list("criterion", flat=True)) == {"c1", "c2", "c3", "c4", "c5"}


def test_an_indicator_has_a_yearly_series_with_its_source_named():
    current = Q(measurements__is_current=True)
    series = Indicator.objects.annotate(values=Count("measurements", filter=current)).filter(
        mission__organisation__slug=demo.ORGANISATION, values__gte=5
    )
    healthy_years = series.get(key="healthy-life-years-women")
    assert "Eurostat" in healthy_years.data_source
    assert "tsdph100" in healthy_years.data_source
    years = Measurement.objects.filter(indicator=healthy_years, is_current=True)
    assert sorted(m.period_end.year for m in years) == list(range(2015, 2024))
    # Linked to the proposed mission's headline target, so its chart shows the trajectory.
    assert healthy_years.target.is_headline
    assert healthy_years.mission.key == demo.PROPOSED
    # Values that are not the published figures say so.
    approximate = series.get(key="eu-net-ghg-index")
    assert approximate.data_source.startswith("Approximate values for demonstration")
    assert not approximate.measurements.exclude(quality="estimate").exists()


def test_a_second_run_adds_nothing_and_changes_no_status():
    def state():
        missions = _unit_missions()
        return {
            "statuses": dict(missions.values_list("key", "status")),
            "changes": sum(mission.changes.count() for mission in missions),
            "verdicts": CriterionVerdict.objects.count(),
            "decisions": ReviewDecision.objects.count(),
            "snapshots": MissionSnapshot.objects.count(),
            "comments": CanvasComment.objects.count(),
            "values": Measurement.objects.count(),
            "indicators": Indicator.objects.count(),
        }

    before = state()
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    after = state()
    # The import records one "imported" line per example mission on every run; nothing else.
    assert (
        after.pop("changes") - before.pop("changes")
        == _unit_missions().exclude(key__in=demo.OWN_MISSIONS).count()
    )
    assert after == before
