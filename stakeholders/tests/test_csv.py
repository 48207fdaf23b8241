"""CSV import and export: row-level errors, all or nothing, and a size cap."""

import pytest

from stakeholders import csv_io
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

HEADER = "key,name,person,sector,roles,power,interest,attitude,engagement_now,engagement_planned,engagement_plan,core_team,last_engaged\n"


def test_export_then_import_changes_nothing(add, editor, mission, ministry):
    add("Ministry of Health", roles=["owner", "funder"], power=5, interest=4, attitude=2)
    add("=SUM(A1)", helix="industry", roles=["critic"], power=2, interest=1, attitude=-2)
    text = csv_io.export_csv(Stakeholder.objects.filter(mission=mission).select_related("actor"))
    assert "'=SUM(A1)" in text  # no formulas in spreadsheets
    assert "owner;funder" in text and ",-2," in text
    summary = csv_io.import_csv(by=editor, mission=mission, raw=text.encode())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)


def test_a_plan_starting_with_any_formula_character_reads_back_as_written(
    add, editor, mission, ministry
):
    for start in ("=", "+", "-", "@", "\t"):
        add(f"Group {ord(start)}", roles=["critic"], engagement_plan=f"{start}1 call a month")
    text = csv_io.export_csv(Stakeholder.objects.filter(mission=mission).select_related("actor"))
    assert "'\t1 call a month" in text and "'@1 call a month" in text
    summary = csv_io.import_csv(by=editor, mission=mission, raw=text.encode())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 5)


def test_good_rows_add_and_update(add, editor, mission, ministry):
    add("Ministry of Health", roles=["owner"], power=5, interest=4)
    raw = (
        HEADER
        + ",ministry of health,no,,owner,4,4,1,consult,involve,,yes,2025-01-31\n"
        + ",Patients United,no,civil_society,citizen_group;critic,2,5,-1,inform,consult,Panel,no,\n"
        + ",Dr Jane Doe,yes,academia,board_member,3,2,0,,,,,\n"
    ).encode()
    summary = csv_io.import_csv(by=editor, mission=mission, raw=raw)
    assert (summary.created, summary.updated) == (2, 1)
    vws = Stakeholder.objects.get(mission=mission, actor=ministry)
    assert (vws.power, vws.attitude, vws.engagement_now) == (4, 1, "consult")
    jane = Stakeholder.objects.get(mission=mission, person_name="Dr Jane Doe")
    assert jane.is_core_team and jane.actor is None


def test_bad_rows_are_all_reported_and_nothing_is_written(editor, mission):
    raw = (
        HEADER
        + ",Acme,no,industry,supporter,3,3,0,inform,inform,,no,\n"  # fine
        + ",,no,industry,supporter,3,3,0,inform,inform,,no,\n"  # no name
        + ",Beta,no,aliens,overlord,9,x,5,shout,inform,,maybe,31/01/2025\n"
        + ",Acme,no,industry,supporter,3,3,0,inform,inform,,no,\n"  # duplicate
        + ",Gamma,no,,supporter,3,3,0,inform,inform,,no,\n"  # new actor without a sector
    ).encode()
    with pytest.raises(csv_io.CsvRejected) as caught:
        csv_io.import_csv(by=editor, mission=mission, raw=raw)
    found = {(e.row, e.column) for e in caught.value.errors}
    assert (3, "name") in found
    assert {(4, c) for c in ("sector", "roles", "power", "interest", "attitude",
                             "engagement_now", "core_team", "last_engaged")} <= found  # fmt: skip
    assert (5, "name") in found
    assert "Row 4, column power: 9 is outside 1 to 5." in [str(e) for e in caught.value.errors]
    assert not Stakeholder.objects.filter(mission=mission).exists()


def test_a_write_time_problem_rolls_back_the_whole_file(editor, mission):
    raw = (
        HEADER
        + ",Acme,no,industry,supporter,3,3,0,inform,inform,,no,\n"
        + ",Gamma,no,,supporter,3,3,0,inform,inform,,no,\n"
    ).encode()
    with pytest.raises(csv_io.CsvRejected) as caught:
        csv_io.import_csv(by=editor, mission=mission, raw=raw)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "sector")]
    assert not Stakeholder.objects.filter(mission=mission).exists()


def test_missing_columns_size_and_encoding(editor, mission, settings):
    with pytest.raises(csv_io.CsvRejected) as caught:
        csv_io.read_rows(b"name,power\nAcme,3\n")
    assert {e.column for e in caught.value.errors} == {"roles", "interest"}
    with pytest.raises(csv_io.CsvRejected):
        csv_io.read_rows(b"\xff\xfe\x00")
    settings.STAKEHOLDERS_CSV_MAX_BYTES = 100
    with pytest.raises(csv_io.CsvRejected) as caught:
        csv_io.read_rows((HEADER * 3).encode())
    assert "limit" in caught.value.errors[0].message
