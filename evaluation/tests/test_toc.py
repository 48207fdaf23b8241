"""The theory of change: validation messages, database constraints, permissions and scope,
history, the page, the exchange round trip and snapshot descriptions."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.indicators import services as indicator_services
from evaluation.toc import services
from evaluation.toc.exchange import export_toc
from evaluation.toc.models import ToCLink, ToCNode
from evaluation.toc.snapshots import describe
from missions import exchange
from missions.models import MissionChange
from missions.tests.factories import MissionFactory, MissionProjectFactory


@pytest.fixture
def chain(mission, editor):
    """activity → output → outcome → impact, with an assumption on the first link."""
    project = MissionProjectFactory(mission=mission, key="coaching", title="Coaching")
    target = mission.targets.get(key="t1")
    steps = {
        "activity": services.node_create(
            by=editor, mission=mission, kind="activity", title="Fund coaching", project=project
        ),
        "output": services.node_create(
            by=editor, mission=mission, kind="output", title="Coaches trained"
        ),
        "outcome": services.node_create(
            by=editor, mission=mission, kind="outcome", title="People move more"
        ),
        "impact": services.node_create(
            by=editor, mission=mission, kind="impact", title="Healthy years", target=target
        ),
    }
    services.link_create(
        by=editor,
        mission=mission,
        from_node=steps["activity"],
        to_node=steps["output"],
        assumption="Enough coaches apply",
        evidence="strong",
    )
    services.link_create(
        by=editor, mission=mission, from_node=steps["output"], to_node=steps["outcome"]
    )
    services.link_create(
        by=editor,
        mission=mission,
        from_node=steps["outcome"],
        to_node=steps["impact"],
        evidence="weak",
    )
    return steps


def link_error(mission, editor, from_node, to_node):
    with pytest.raises(ValidationError) as caught:
        services.link_create(by=editor, mission=mission, from_node=from_node, to_node=to_node)
    return caught.value.message_dict["to_node"][0]


# --- Validation and constraints ----------------------------------------------------------------


def test_links_must_go_rightwards_with_a_specific_message(mission, editor, chain):
    assert link_error(mission, editor, chain["outcome"], chain["activity"]) == (
        "An outcome cannot lead to an activity: links go from activities to outputs to "
        "outcomes to impact."
    )
    other_output = services.node_create(by=editor, mission=mission, kind="output", title="Leaflets")
    assert link_error(mission, editor, chain["output"], other_output).startswith(
        "An output cannot lead to another output:"
    )
    assert "cannot lead to itself" in link_error(mission, editor, chain["output"], chain["output"])
    assert "already leads to" in link_error(mission, editor, chain["activity"], chain["output"])
    # Skipping a column is allowed.
    services.link_create(
        by=editor, mission=mission, from_node=chain["activity"], to_node=chain["impact"]
    )
    assert ToCLink.objects.filter(mission=mission).count() == 4


def test_steps_from_another_mission_cannot_be_linked(mission, editor, organisation, chain):
    other = MissionFactory(organisation=organisation, key="other")
    foreign = services.node_create(by=editor, mission=other, kind="impact", title="Elsewhere")
    assert link_error(mission, editor, chain["outcome"], foreign) == "Choose steps of this mission."


def test_projects_only_on_activities_and_outputs_targets_only_on_outcomes_and_impact(
    mission, editor
):
    project = MissionProjectFactory(mission=mission, key="p")
    with pytest.raises(ValidationError) as caught:
        services.node_create(
            by=editor, mission=mission, kind="impact", title="Impact", project=project
        )
    assert (
        "Only an activity or an output can be a project" in caught.value.message_dict["project"][0]
    )
    with pytest.raises(ValidationError) as caught:
        services.node_create(
            by=editor,
            mission=mission,
            kind="activity",
            title="Do",
            target=mission.targets.get(key="t1"),
        )
    assert "Only an outcome or the impact can be a target" in caught.value.message_dict["target"][0]
    with pytest.raises(ValidationError) as caught:
        services.node_create(by=editor, mission=mission, kind="activity", title="  ")
    assert caught.value.message_dict["title"] == ["Enter a title for the step."]
    assert not ToCNode.objects.exists()


def test_the_database_refuses_self_backward_duplicate_and_cross_mission_links(
    mission, organisation, chain
):
    a, o, impact = chain["activity"], chain["outcome"], chain["impact"]

    def refused(**fields):
        with pytest.raises(IntegrityError), transaction.atomic():
            ToCLink.objects.create(mission=mission, **fields)

    refused(from_node=o, to_node=o, from_kind="outcome", to_kind="outcome")
    refused(from_node=impact, to_node=a, from_kind="impact", to_kind="activity")
    # Copies of the kinds that lie about the nodes are refused by the composite foreign key.
    refused(from_node=impact, to_node=a, from_kind="activity", to_kind="impact")
    refused(from_node=a, to_node=chain["output"], from_kind="activity", to_kind="output")
    other = MissionFactory(organisation=organisation, key="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        ToCLink.objects.create(
            mission=other, from_node=a, to_node=impact, from_kind="activity", to_kind="impact"
        )
    # Changing a node's kind behind the services' back cannot turn its links backwards.
    with pytest.raises(IntegrityError), transaction.atomic():
        ToCNode.objects.filter(pk=impact.pk).update(kind="activity")


def test_changing_a_kind_that_would_turn_links_backwards_is_refused_with_the_links_named(
    mission, editor, chain
):
    outcome = chain["outcome"]
    with pytest.raises(ValidationError) as caught:
        services.node_update(
            by=editor, node=outcome, expected_version=outcome.version, kind="activity"
        )
    message = caught.value.message_dict["kind"][0]
    assert "“Coaches trained” → “People move more”" in message and "backwards" in message
    assert ToCNode.objects.get(pk=outcome.pk).kind == "outcome"
    # A change that keeps every link rightwards goes through, and the links follow.
    activity = chain["activity"]
    services.node_update(
        by=editor, node=activity, expected_version=activity.version, title="Fund more coaching"
    )
    assert ToCNode.objects.get(pk=activity.pk).title == "Fund more coaching"


def test_changes_are_recorded_in_the_history(mission, editor, chain):
    types = list(MissionChange.objects.filter(mission=mission).values_list("object_type", "action"))
    assert types.count(("theory of change step", "created")) == 4
    assert types.count(("theory of change link", "created")) == 3
    services.node_delete(by=editor, node=chain["output"])
    deleted = MissionChange.objects.filter(mission=mission, action="deleted").get()
    assert deleted.changes["title"] == ["Coaches trained", None]
    assert deleted.changes["links"] == [2, 0]
    assert ToCLink.objects.filter(mission=mission).count() == 1  # its two links went with it


# --- Permissions and scope ---------------------------------------------------------------------


def test_viewers_read_but_cannot_change(mission, viewer, chain):
    with pytest.raises(PermissionDenied):
        services.node_create(by=viewer, mission=mission, kind="activity", title="Sneak")
    with pytest.raises(PermissionDenied):
        services.link_create(
            by=viewer, mission=mission, from_node=chain["activity"], to_node=chain["outcome"]
        )
    with pytest.raises(PermissionDenied):
        services.node_delete(by=viewer, node=chain["activity"])


def test_archived_missions_cannot_be_changed(mission, editor, chain):
    mission.archived_at = timezone.now()
    mission.save()
    with pytest.raises(PermissionDenied):
        services.node_create(by=editor, mission=mission, kind="activity", title="Late")


def urls(mission, chain):
    args = {"org_slug": mission.organisation.slug, "mission_key": mission.key}
    link = ToCLink.objects.get(from_node=chain["activity"])
    step = {**args, "step_key": chain["output"].key}
    return {
        "page": reverse("evaluation:toc", kwargs=args),
        "step_add": reverse("evaluation:toc_step_add", kwargs=args),
        "link_add": reverse("evaluation:toc_link_add", kwargs=args),
        "step_edit": reverse("evaluation:toc_step_edit", kwargs=step),
        "step_delete": reverse("evaluation:toc_step_delete", kwargs=step),
        "link_edit": reverse("evaluation:toc_link_edit", kwargs={**args, "link_id": link.pk}),
        "link_delete": reverse("evaluation:toc_link_delete", kwargs={**args, "link_id": link.pk}),
    }


def test_other_organisations_get_404_on_every_page_and_method(client, mission, chain, outsider):
    client.force_login(outsider)
    for url in urls(mission, chain).values():
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x", "kind": "activity"}).status_code == 404, url
    assert ToCNode.objects.count() == 4


def test_viewers_see_the_page_but_get_403_on_changes(client, mission, chain, viewer):
    client.force_login(viewer)
    addresses = urls(mission, chain)
    html = client.get(addresses["page"]).content.decode()
    assert "Fund coaching" in html and "Add a step" not in html
    for name in ("step_add", "link_add", "step_edit", "step_delete", "link_edit", "link_delete"):
        assert client.post(addresses[name], {}).status_code == 403, name
    # The add addresses take only POST; the page only GET.
    assert client.get(addresses["step_add"]).status_code == 405
    assert client.post(addresses["page"], {}).status_code == 405
    assert ToCNode.objects.count() == 4 and ToCLink.objects.count() == 3


def test_the_page_shows_diagram_and_tables_in_constant_queries(client, mission, editor, chain):
    client.force_login(editor)
    url = urls(mission, chain)["page"]
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html and "Enough coaches apply" in html and "Strong" in html
    assert 'aria-current="page"' in html and "Theory of change" in html
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        extra = services.node_create(by=editor, mission=mission, kind="output", title=f"O{i}")
        services.link_create(by=editor, mission=mission, from_node=extra, to_node=chain["impact"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_adding_steps_and_links_through_the_forms(client, mission, editor, chain):
    client.force_login(editor)
    addresses = urls(mission, chain)
    response = client.post(
        addresses["step_add"], {"kind": "outcome", "title": "Less <script>alert(1)</script>"}
    )
    assert response.status_code == 302
    step = ToCNode.objects.get(title__startswith="Less")
    html = client.get(addresses["page"]).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "Less &lt;script&gt;alert(1)&lt;/script&gt;" in html
    # A backwards link is refused with the specific message, in the page, with 422.
    response = client.post(
        addresses["link_add"],
        {"from_node": step.pk, "to_node": chain["activity"].pk, "evidence": "none"},
    )
    assert response.status_code == 422
    assert "An outcome cannot lead to an activity" in response.content.decode()
    response = client.post(
        addresses["link_add"],
        {
            "from_node": step.pk,
            "to_node": chain["impact"].pk,
            "assumption": "Less sitting helps",
            "evidence": "moderate",
        },
    )
    assert response.status_code == 302
    assert ToCLink.objects.get(from_node=step).assumption == "Less sitting helps"
    # A step with an empty title: 422 and a message next to the field.
    response = client.post(addresses["step_add"], {"kind": "impact", "title": ""})
    assert response.status_code == 422 and "Enter a title" in response.content.decode()


def test_editing_and_deleting_through_the_forms(client, mission, editor, chain):
    client.force_login(editor)
    addresses = urls(mission, chain)
    output = chain["output"]
    assert client.get(addresses["step_edit"]).status_code == 200
    response = client.post(
        addresses["step_edit"],
        {"kind": "output", "title": "Coaches certified", "version": output.version},
    )
    assert response.status_code == 302
    assert ToCNode.objects.get(pk=output.pk).title == "Coaches certified"
    # A stale version is a conflict, shown in the page; nothing is overwritten.
    response = client.post(
        addresses["step_edit"], {"kind": "output", "title": "Stale", "version": output.version}
    )
    assert response.status_code == 422 and "Someone else changed" in response.content.decode()
    link = ToCLink.objects.get(from_node=chain["activity"])
    response = client.post(
        addresses["link_edit"],
        {"assumption": "Coaches stay", "evidence": "moderate", "version": link.version},
    )
    assert response.status_code == 302
    assert ToCLink.objects.get(pk=link.pk).evidence == "moderate"
    assert client.post(addresses["link_delete"]).status_code == 302
    assert not ToCLink.objects.filter(pk=link.pk).exists()
    assert client.post(addresses["step_delete"]).status_code == 302
    assert not ToCNode.objects.filter(pk=output.pk).exists()


# --- Exchange format and snapshots -------------------------------------------------------------


def test_the_theory_of_change_travels_losslessly(mission, editor, organisation, chain):
    indicator = indicator_services.indicator_create(
        by=editor, mission=mission, name="Minutes active", level="outcome"
    )
    services.node_update(
        by=editor,
        node=chain["outcome"],
        expected_version=chain["outcome"].version,
        indicators=[indicator],
    )
    first = exchange.export_document(organisation=organisation, mission_keys=[mission.key])
    section = first["missions"][0]["theory_of_change"]
    assert {s["kind"] for s in section["steps"]} == {"activity", "output", "outcome", "impact"}
    assert next(s for s in section["steps"] if s["kind"] == "activity")["project"] == "coaching"
    assert next(s for s in section["steps"] if s["kind"] == "outcome")["indicators"] == [
        indicator.key
    ]
    from accounts.tests.factories import OrganisationFactory

    other = OrganisationFactory(slug="elsewhere")
    document = json.loads(exchange.dumps(first))
    exchange.import_document(document=document, organisation=other)
    summary = exchange.import_document(document=document, organisation=other)  # twice
    assert "theory of change steps" not in summary.created
    copy = other.missions.get(key=mission.key)
    assert export_toc(copy) == section
    # Re-import with a step's kind changed and a link dropped: the copy follows exactly.
    changed = json.loads(exchange.dumps(first))
    toc = changed["missions"][0]["theory_of_change"]
    output_key = chain["output"].key
    toc["links"] = [link for link in toc["links"] if link["from"] != output_key]
    next(s for s in toc["steps"] if s["key"] == output_key)["kind"] = "outcome"
    exchange.import_document(document=changed, organisation=other)
    assert export_toc(copy) == toc


def test_import_rejects_broken_links_with_paths(mission, organisation, chain):
    document = exchange.export_document(organisation=organisation, mission_keys=[mission.key])
    toc = document["missions"][0]["theory_of_change"]
    impact, activity = chain["impact"].key, chain["activity"].key
    toc["links"].append({"from": impact, "to": activity, "assumption": "", "evidence": "weak"})
    toc["links"].append({"from": "ghost", "to": impact})
    toc["steps"][0]["target"] = "t1"  # the activity step, which cannot be a target
    errors = exchange.validate_document(document, organisation=organisation)
    text = "\n".join(str(e) for e in errors)
    assert "theory_of_change.links[3].to: The impact cannot lead to an activity" in text
    assert "links[4].from: refers to step 'ghost'" in text
    assert "theory_of_change.steps[0].target: only an outcome or the impact" in text


def test_import_rejects_unknown_projects_and_writes_nothing(mission, organisation, chain):
    document = exchange.export_document(organisation=organisation, mission_keys=[mission.key])
    document["missions"][0]["theory_of_change"]["steps"][0]["project"] = "no-such-project"
    document["missions"][0]["title"] = "Renamed"
    with pytest.raises(exchange.ImportRejected) as caught:
        exchange.import_document(document=document, organisation=organisation)
    assert "refers to project 'no-such-project'" in str(caught.value)
    mission.refresh_from_db()
    assert mission.title != "Renamed"


def test_snapshot_comparisons_describe_the_changes():
    old = {
        "steps": [{"key": "a", "kind": "activity", "title": "Fund labs"}],
        "links": [],
    }
    new = {
        "steps": [
            {"key": "a", "kind": "activity", "title": "Fund labs"},
            {"key": "b", "kind": "output", "title": "Labs running"},
        ],
        "links": [{"from": "a", "to": "b", "assumption": "", "evidence": "weak"}],
    }
    lines = describe(old, new)
    assert "Theory of change: Output “Labs running” added" in lines
    assert "Theory of change: “Fund labs” now leads to “Labs running”" in lines
    stronger = {**new, "links": [{**new["links"][0], "evidence": "strong"}]}
    assert describe(new, stronger) == [
        "Theory of change: evidence that “Fund labs” leads to “Labs running” is now strong"
    ]


def test_a_snapshot_comparison_shows_theory_of_change_changes(mission, editor, chain):
    from missions.snapshots import current_document, snapshot_compare, snapshot_take

    snapshot = snapshot_take(by=editor, mission=mission, name="Before evidence")
    link = ToCLink.objects.get(from_node=chain["outcome"])
    services.link_update(by=editor, link=link, expected_version=link.version, evidence="strong")
    comparison = snapshot_compare(snapshot.document, current_document(mission))
    assert (
        "Theory of change: evidence that “People move more” leads to “Healthy years” is now strong"
        in comparison.changes
    )
