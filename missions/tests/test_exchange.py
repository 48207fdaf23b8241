"""The exchange format: lossless round trip, every rejection with its message and nothing
written, re-import in place, the commands, and the demo fixture."""

import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts import demo
from accounts.tests.factories import OrganisationFactory
from missions import exchange
from missions.apps import DEMO_FIXTURE, load_demo_missions
from missions.models import Actor, Milestone, Mission, MissionChange, MissionProject, Target

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "lodestar.missions-1.schema.json"


@pytest.fixture
def demo_document():
    return json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))


def rows():
    """Everything the importer writes, counted."""
    return (
        Actor.objects.count(),
        Mission.objects.count(),
        Target.objects.count(),
        Milestone.objects.count(),
        MissionProject.objects.count(),
    )


def rejected(document, organisation):
    with pytest.raises(exchange.ImportRejected) as caught:
        exchange.import_document(document=document, organisation=organisation)
    return [str(error) for error in caught.value.errors]


def comparable(document):
    return {k: v for k, v in document.items() if k not in {"exported_at", "organisation"}}


def test_export_import_export_is_lossless(organisation, other_organisation, demo_document):
    exchange.import_document(document=demo_document, organisation=organisation)
    first = exchange.export_document(organisation=organisation)
    exchange.import_document(
        document=json.loads(exchange.dumps(first)), organisation=other_organisation
    )
    second = exchange.export_document(organisation=other_organisation)
    assert comparable(second) == comparable(first)
    assert second["organisation"] == "transport"
    # and the fixture itself is already in exported form
    assert comparable(first) == comparable(demo_document)


def test_reimport_updates_in_place(organisation, demo_document):
    exchange.import_document(document=demo_document, organisation=organisation)
    before = rows()
    changed = copy.deepcopy(demo_document)
    cities = next(m for m in changed["missions"] if m["key"] == "eu-cities")
    cities["title"] = "Climate-neutral cities"
    cities["projects"] = [p for p in cities["projects"] if p["key"] != "climate-city-contracts"]
    summary = exchange.import_document(document=changed, organisation=organisation)
    assert rows() == (before[0], before[1], before[2], before[3], before[4] - 1)
    assert Mission.objects.get(key="eu-cities").title == "Climate-neutral cities"
    assert summary.updated == {"missions": 1}
    assert summary.deleted == {"projects": 1}
    change = MissionChange.objects.filter(mission__key="eu-cities").first()
    assert change.changes["title"] == [
        "100 Climate-Neutral and Smart Cities by 2030",
        "Climate-neutral cities",
    ]


def test_selected_mission_export_brings_its_parent_and_only_used_actors(
    organisation, demo_document
):
    exchange.import_document(document=demo_document, organisation=organisation)
    document = exchange.export_document(
        organisation=organisation, mission_keys=["nl-care-right-place"]
    )
    assert [m["key"] for m in document["missions"]] == [
        "nl-care-right-place",
        "nl-healthy-life-years",
    ]
    assert {a["key"] for a in document["actors"]} == {"nl-vws", "health-holland", "zonmw"}
    with pytest.raises(LookupError):
        exchange.export_document(organisation=organisation, mission_keys=["nope"])


def test_malformed_json_is_refused_with_its_position(organisation):
    with pytest.raises(exchange.ImportRejected) as caught:
        exchange.parse('{"format": "lodestar.missions/1",\n "missions": [}')
    assert str(caught.value.errors[0]).startswith("document: not valid JSON")
    assert "line 2" in str(caught.value.errors[0])


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({}, "format: is missing; expected 'lodestar.missions/1'."),
        (
            {"format": "lodestar.missions/2"},
            "format: 'lodestar.missions/2' is not a format this Lodestar reads; "
            "expected 'lodestar.missions/1'.",
        ),
        ([], "document: expected a JSON object, got a list."),
    ],
)
def test_unknown_or_missing_format_is_refused(organisation, document, expected):
    assert rejected(document, organisation) == [expected]


def test_every_problem_is_listed_with_its_path_and_nothing_is_written(organisation, demo_document):
    document = copy.deepcopy(demo_document)
    missions = {m["key"]: m for m in document["missions"]}
    del missions["eu-soil"]["title"]  # missing required field
    missions["eu-cancer"]["deadline_year"] = "2030"  # wrong type
    missions["eu-cities"]["targets"][0]["target_year"] = 2045  # after deadline
    missions["se-healthy-streets"]["projects"][0]["lead"] = "ghost"  # unknown actor
    missions["eu-soil"]["projects"][0]["contributions"][0]["target"] = "nothing"  # unknown target
    document["actors"].append(dict(document["actors"][0]))  # duplicate key and name
    missions["nl-care-right-place"]["projects"].append(
        missions["nl-care-right-place"]["projects"][0]
    )
    index = {m["key"]: i for i, m in enumerate(document["missions"])}

    errors = rejected(document, organisation)

    cities, soil = index["eu-cities"], index["eu-soil"]
    duplicate = len(document["actors"]) - 1
    assert f"missions[{soil}].title: is required." in errors
    assert (
        f"missions[{index['eu-cancer']}].deadline_year: expected a whole number, got text."
        in errors
    )
    assert (
        f"missions[{cities}].targets[0].target_year: "
        "Target year 2045 is after the mission deadline 2030." in errors
    )
    assert (
        f"missions[{index['se-healthy-streets']}].projects[0].lead: "
        "refers to actor 'ghost', which is not in the document's actors." in errors
    )
    assert (
        f"missions[{soil}].projects[0].contributions[0].target: "
        "refers to target 'nothing', which this mission does not have." in errors
    )
    assert any(e.startswith(f"actors[{duplicate}].key: Actor key") for e in errors)
    assert (
        f"actors[{duplicate}].name: Actor name 'ArkDes' is already used at actors[0].name."
        in errors
    )
    first_project = missions["nl-care-right-place"]["projects"][0]["key"]
    assert any(
        f"projects[2].key: Project key '{first_project}' is already used" in e for e in errors
    )
    assert rows() == (0, 0, 0, 0, 0)


def test_a_late_failure_rolls_back_everything(organisation, demo_document, monkeypatch):
    def explode(mission, data, context):
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        exchange.registry,
        "_sections",
        [
            (
                30,
                exchange.Section(
                    "projects", exchange.export_projects, exchange.validate_projects, explode
                ),
            )
        ],
    )
    with pytest.raises(RuntimeError):
        exchange.import_document(document=demo_document, organisation=organisation)
    assert rows() == (0, 0, 0, 0, 0)


def test_oversized_file_is_refused_before_reading(organisation, tmp_path):
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # a sparse 50 MB file: cheap to make
    with pytest.raises(exchange.ImportRejected) as caught:
        exchange.import_file(big, organisation=organisation)
    assert str(caught.value.errors[0]) == "document: the file is 50.0 MB; the limit is 10.0 MB."


def test_size_limit_is_a_setting(organisation, settings):
    settings.LODESTAR_IMPORT_MAX_BYTES = 100
    with pytest.raises(exchange.ImportRejected) as caught:
        exchange.parse(json.dumps({"format": exchange.FORMAT, "notes": "x" * 200}))
    assert "the limit is 0.0 MB" in str(caught.value.errors[0])


def test_unknown_sections_are_ignored_with_a_warning(organisation, demo_document):
    demo_document["missions"][0]["whiteboard"] = {"boxes": []}
    summary = exchange.import_document(document=demo_document, organisation=organisation)
    assert [str(w) for w in summary.warnings] == [
        "missions[0].whiteboard: is not known to this version of Lodestar and was ignored."
    ]


def test_a_registered_section_travels_with_the_mission(
    organisation, other_organisation, demo_document
):
    loaded = {}
    section = exchange.Section(
        "extra",
        export=lambda mission: {"key": mission.key},
        validate=lambda data, path, ctx: (
            [] if isinstance(data, dict) else [exchange.ExchangeError(path, "no")]
        ),
        load=lambda mission, data, ctx: loaded.setdefault(mission.key, data),
    )
    original = list(exchange._sections)
    exchange.register_section(section, order=500)
    try:
        exchange.import_document(document=demo_document, organisation=organisation)
        assert loaded == {}  # optional: documents without it still import
        document = exchange.export_document(organisation=organisation, mission_keys=["eu-soil"])
        assert document["missions"][0]["extra"] == {"key": "eu-soil"}
        exchange.import_document(document=document, organisation=other_organisation)
        assert loaded == {"eu-soil": {"key": "eu-soil"}}
    finally:
        exchange._sections[:] = original


def test_user_import_needs_a_lead(organisation, demo_document, editor, lead):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        exchange.import_document(document=demo_document, organisation=organisation, user=editor)
    exchange.import_document(document=demo_document, organisation=organisation, user=lead)
    assert Mission.objects.filter(created_by=lead).count() == 9


def test_schema_file_documents_every_top_level_key():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert set(schema["properties"]) == exchange.TOP_LEVEL
    assert schema["properties"]["format"]["const"] == exchange.FORMAT
    mission_properties = set(schema["$defs"]["mission"]["properties"])
    assert {spec.name for spec in exchange.MISSION_SPECS} | {
        "targets",
        "projects",
    } == mission_properties


def test_exported_documents_validate_against_the_schema(organisation, demo_document):
    import jsonschema

    exchange.import_document(document=demo_document, organisation=organisation)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(exchange.export_document(organisation=organisation), schema)


# --- Commands --------------------------------------------------------------------------------


def test_import_and_export_commands(organisation, tmp_path, capsys):
    call_command("import_missions", str(DEMO_FIXTURE), org="health")
    assert "Imported: created" in capsys.readouterr().out
    out = tmp_path / "out.json"
    call_command("export_missions", org="health", mission=["eu-soil"], out=str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [m["key"] for m in document["missions"]] == ["eu-soil"]


def test_import_command_prints_one_error_per_line_and_exits_1(organisation, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": exchange.FORMAT, "missions": [{"key": "x"}]}))
    with pytest.raises(SystemExit) as caught:
        call_command("import_missions", str(bad), org="health")
    assert caught.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "missions[0].title: is required.",
        "missions[0].challenge: is required.",
        "Nothing was imported: 2 problems.",
    ]
    assert Mission.objects.count() == 0


# --- Demo data -------------------------------------------------------------------------------


def test_demo_loader_is_registered_and_idempotent(demo_document):
    unit = OrganisationFactory(slug="demo-unit", name="Demo unit")
    assert load_demo_missions in demo.loaders()
    summary = load_demo_missions({"demo-unit": unit})
    assert summary.startswith("Demo missions: 9 missions in demo-unit.")
    counts = rows()
    load_demo_missions({"demo-unit": unit})
    assert rows() == counts
    dutch = Mission.objects.get(key="nl-healthy-life-years")
    assert sorted(dutch.children.values_list("key", flat=True)) == [
        "nl-care-right-place",
        "nl-lifestyle-environment",
    ]
    spain = Mission.objects.get(key="es-agri-2021")
    assert spain.deadline_year is None and not spain.targets.exists()
    assert "(unverified)" in Target.objects.get(key="health-gap").notes
