"""Indicators: versioned definitions, corrections, progress at the band edges, CSV import,
the exchange round trip, the rules that read indicators, permissions, charts and query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.criteria.inputs import build_input
from evaluation.indicators import charts, csv_io, progress, services
from evaluation.indicators.exchange import export_indicators
from evaluation.indicators.models import Indicator, IndicatorVersion, Measurement
from evaluation.tests.builders import assessment_input
from evaluation.tests.builders import mission as mission_data
from evaluation.tests.builders import target as target_data
from evaluation.tests.helpers import outcome, status
from missions import exchange
from missions.models import Target
from missions.tests.factories import TargetFactory

D = Decimal


@pytest.fixture
def headline(mission):
    return Target.objects.get(mission=mission, key="t1")


@pytest.fixture
def indicator(mission, headline, editor):
    return services.indicator_create(
        by=editor,
        mission=mission,
        name="Healthy life years",
        level="impact",
        target=headline,
        definition="Years lived in good health at birth",
        unit="years",
        data_source="CBS StatLine",
        frequency="annual",
    )


def day(year: int, month: int = 12, d: int = 31) -> datetime.date:
    return datetime.date(year, month, d)


# --- Versioned definitions ------------------------------------------------------------------


def test_changing_the_definition_adds_a_version_and_old_values_keep_theirs(indicator, editor):
    first = services.measurement_add(
        by=editor, indicator=indicator, period_end=day(2019), value=D("62.5")
    )
    services.indicator_update(by=editor, indicator=indicator, name="Healthy life years (HLY)")
    indicator.refresh_from_db()
    assert indicator.version_number == 1  # a new name is not a new definition

    services.indicator_update(
        by=editor, indicator=indicator, definition="Years in good self-perceived health"
    )
    indicator.refresh_from_db()
    second = services.measurement_add(
        by=editor, indicator=indicator, period_end=day(2020), value=D("63")
    )

    assert indicator.version_number == 2
    versions = list(IndicatorVersion.objects.filter(indicator=indicator).order_by("number"))
    assert [(v.number, v.definition) for v in versions] == [
        (1, "Years lived in good health at birth"),
        (2, "Years in good self-perceived health"),
    ]
    first.refresh_from_db()
    assert first.version.number == 1 and second.version.number == 2


def test_one_indicator_per_headline_target(mission, indicator, headline, editor):
    with pytest.raises(ValidationError):
        services.indicator_create(
            by=editor, mission=mission, name="Another", level="outcome", target=headline
        )
    plain = TargetFactory(mission=mission, key="t2", is_headline=False)
    with pytest.raises(ValidationError):
        services.indicator_create(
            by=editor, mission=mission, name="Another", level="outcome", target=plain
        )


# --- Corrections ----------------------------------------------------------------------------


def test_a_correction_supersedes_and_the_old_value_stays(indicator, editor):
    old = services.measurement_add(
        by=editor,
        indicator=indicator,
        period_end=day(2021),
        value=D("63"),
        quality="provisional",
    )
    new = services.measurement_correct(
        by=editor, measurement=old, value=D("63.4"), quality="official", source_ref="CBS 2022"
    )
    old.refresh_from_db()
    assert (old.is_current, old.value) == (False, D("63"))
    assert (new.is_current, new.supersedes_id, new.value) == (True, old.pk, D("63.4"))
    assert Measurement.objects.filter(indicator=indicator).count() == 2
    with pytest.raises(ValidationError):  # the old one cannot be corrected again
        services.measurement_correct(by=editor, measurement=old, value=D("1"))
    with pytest.raises(ValidationError):  # a second value for a period is a correction
        services.measurement_add(
            by=editor, indicator=indicator, period_end=day(2021), value=D("64")
        )


def test_viewers_cannot_write(indicator, viewer):
    with pytest.raises(PermissionDenied):
        services.measurement_add(by=viewer, indicator=indicator, period_end=day(2021), value=D("1"))


# --- Progress ratings at the band edges -----------------------------------------------------

# Baseline 60 (2020) → target 70 (2030): the trajectory expects 65 at the end of 2025, and the
# band is 10 % of the planned change of 10, so 1.
LINE = progress.Trajectory(D(60), 2020, D(70), 2030, "increase")
DOWN = progress.Trajectory(D(100), 2020, D(50), 2030, "decrease")  # expects 75; band 5


@pytest.mark.parametrize(
    ("trajectory", "value", "rating"),
    [
        (LINE, D("66"), "on_track"),  # ahead
        (LINE, D("65"), "on_track"),  # on the line
        (LINE, D("64"), "on_track"),  # at the band's edge
        (LINE, D("63.9999"), "at_risk"),  # just outside
        (LINE, D("63"), "at_risk"),  # at two bands
        (LINE, D("62.9999"), "off_track"),
        (DOWN, D("80"), "on_track"),  # decrease: higher is behind
        (DOWN, D("80.0001"), "at_risk"),
        (DOWN, D("85"), "at_risk"),
        (DOWN, D("85.0001"), "off_track"),
        (DOWN, D("60"), "on_track"),
    ],
)
def test_ratings_at_the_band_edges(trajectory, value, rating):
    rated = progress.rate(trajectory, day(2025), value)
    assert rated is not None and rated.rating == rating


def test_the_band_is_a_setting(settings):
    settings.EVALUATION_PROGRESS_BAND = "0.2"  # band 2, two bands 4
    assert progress.rate(LINE, day(2025), D("63")).rating == "on_track"
    assert progress.rate(LINE, day(2025), D("61")).rating == "at_risk"
    assert progress.rate(LINE, day(2025), D("60.9")).rating == "off_track"


def test_nothing_to_rate_without_a_line_or_a_value():
    assert progress.rate(None, day(2025), D(1)) is None
    assert progress.rate(LINE, None, None) is None
    binary = Target(direction="binary", baseline_value=None, target_value=None)
    assert progress.Trajectory.of(binary) is None


# --- CSV import -----------------------------------------------------------------------------


def test_csv_import_adds_and_corrects_in_one_go(indicator, editor):
    services.measurement_add(by=editor, indicator=indicator, period_end=day(2019), value=D(62))
    raw = (
        b"period_end,value,source_ref,quality\n"
        b"2019-12-31,62.4,CBS,official\n"
        b"2020-12-31,63,CBS,estimate\n"
        b"2021-12-31,63.5,,\n"
    )
    summary = csv_io.import_csv(by=editor, indicator=indicator, raw=raw)
    assert (summary.added, summary.corrected, summary.unchanged) == (2, 1, 0)
    current = Measurement.objects.filter(indicator=indicator, is_current=True).order_by(
        "period_end"
    )
    assert [m.value for m in current] == [D("62.4"), D("63"), D("63.5")]
    assert Measurement.objects.filter(indicator=indicator, is_current=False).count() == 1
    again = csv_io.import_csv(by=editor, indicator=indicator, raw=raw)
    assert (again.added, again.corrected, again.unchanged) == (0, 0, 3)


def test_an_exported_csv_with_a_formula_like_source_imports_unchanged(indicator, editor):
    services.measurement_add(
        by=editor,
        indicator=indicator,
        period_end=day(2019),
        value=D(62),
        source_ref="=HYPERLINK(evil)",
    )
    text = csv_io.export_csv(indicator)
    assert "'=HYPERLINK(evil)" in text  # no formulas in spreadsheets
    summary = csv_io.import_csv(by=editor, indicator=indicator, raw=text.encode())
    assert (summary.added, summary.corrected, summary.unchanged) == (0, 0, 1)


def test_csv_import_reports_every_bad_row_and_writes_nothing(indicator, editor):
    raw = (
        b"period_end,value,source_ref,quality\n"
        b"2020-12-31,63,CBS,official\n"
        b"31/12/2021,63.5,,\n"
        b"2022-12-31,lots,,\n"
        b"2023-12-31,64,,guess\n"
        b"2020-12-31,65,,\n"
    )
    with pytest.raises(csv_io.CsvRejected) as rejected:
        csv_io.import_csv(by=editor, indicator=indicator, raw=raw)
    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (3, "period_end"),
        (4, "value"),
        (5, "quality"),
        (6, "period_end"),
    ]
    assert not Measurement.objects.filter(indicator=indicator).exists()


def test_csv_import_is_size_capped_and_needs_its_columns(indicator, editor, settings):
    with pytest.raises(csv_io.CsvRejected) as rejected:
        csv_io.import_csv(by=editor, indicator=indicator, raw=b"when,amount\n2020-12-31,1\n")
    assert {e.column for e in rejected.value.errors} == {"period_end", "value"}
    settings.EVALUATION_MEASUREMENTS_CSV_MAX_BYTES = 10
    with pytest.raises(csv_io.CsvRejected):
        csv_io.import_csv(by=editor, indicator=indicator, raw=b"period_end,value\n2020-12-31,1\n")


def test_the_import_page_lists_row_errors(client, mission, indicator, editor):
    client.force_login(editor)
    url = reverse(
        "evaluation:measurements_import",
        args=[mission.organisation.slug, mission.key, indicator.key],
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("v.csv", b"period_end,value\nyesterday,1\n", "text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 422
    assert "is not a date like" in response.content.decode()
    good = SimpleUploadedFile("v.csv", b"period_end,value\n2020-12-31,1\n", "text/csv")
    assert client.post(url, {"file": good}).status_code == 302
    assert Measurement.objects.filter(indicator=indicator).count() == 1


# --- Exchange round trip --------------------------------------------------------------------


def test_indicators_travel_in_the_exchange_format(mission, indicator, editor, organisation):
    old = services.measurement_add(
        by=editor, indicator=indicator, period_end=day(2019), value=D("62.5")
    )
    services.measurement_correct(by=editor, measurement=old, value=D("62.7"))
    services.indicator_update(by=editor, indicator=indicator, unit="years (HLY)")
    indicator.refresh_from_db()
    services.measurement_add(by=editor, indicator=indicator, period_end=day(2020), value=D(63))
    document = exchange.export_document(organisation=organisation, mission_keys=[mission.key])
    section = document["missions"][0]["indicators"]
    assert [m["value"] for m in section[0]["measurements"]] == ["62.5", "62.7", "63"]
    assert [m["version"] for m in section[0]["measurements"]] == [1, 1, 2]

    # Into a fresh organisation: the same export comes back out.
    from accounts.tests.factories import OrganisationFactory

    other = OrganisationFactory(slug="elsewhere")
    exchange.import_document(document=document, organisation=other, user=None)
    copy = other.missions.get(key=mission.key)
    assert export_indicators(copy) == [
        {**section[0], "owner": None, "measurements": [
            {**m, "entered_by": None} for m in section[0]["measurements"]
        ]}
    ]  # fmt: skip
    current = Measurement.objects.filter(indicator__mission=copy, is_current=True)
    assert sorted(m.value for m in current) == [D("62.7"), D(63)]
    corrected = Measurement.objects.get(indicator__mission=copy, value=D("62.7"))
    assert corrected.supersedes.value == D("62.5")

    # Importing the same document again duplicates nothing.
    exchange.import_document(document=document, organisation=other, user=None)
    assert Measurement.objects.filter(indicator__mission=copy).count() == 3
    assert IndicatorVersion.objects.filter(indicator__mission=copy).count() == 2


def test_a_bad_indicators_section_is_rejected_with_paths(mission, organisation, indicator):
    document = exchange.export_document(organisation=organisation, mission_keys=[mission.key])
    document["missions"][0]["indicators"][0]["target"] = "nowhere"
    document["missions"][0]["indicators"][0]["measurements"] = [{"period_end": "soon"}]
    errors = exchange.validate_document(document, organisation=organisation)
    paths = {e.path for e in errors}
    assert "missions[0].indicators[0].target" in paths
    assert "missions[0].indicators[0].measurements[0].period_end" in paths
    assert "missions[0].indicators[0].measurements[0].value" in paths


# --- Rules that read indicators -------------------------------------------------------------


def test_c2_indicator_check_fires_and_clears(mission, headline, editor):
    # No indicator yet: cannot be judged (missing data), not "not met".
    assert status(build_input(mission), "c2_indicators") == "not_assessed"
    indicator = services.indicator_create(
        by=editor, mission=mission, name="HLY", level="impact", target=headline
    )
    assert status(build_input(mission), "c2_indicators") == "not_passed"  # no source yet
    services.indicator_update(by=editor, indicator=indicator, data_source="CBS", frequency="annual")
    assert status(build_input(mission), "c2_indicators") == "passed"


def test_output_only_fires_and_clears(mission, editor):
    # No indicator at all: "only output indicators" cannot be said (issue #16).
    assert status(build_input(mission), "WASH_OUTPUT_ONLY") == "not_assessed"
    services.indicator_create(by=editor, mission=mission, name="Labs", level="output")
    assert outcome(build_input(mission), "WASH_OUTPUT_ONLY").fires
    services.indicator_create(by=editor, mission=mission, name="Care at home", level="outcome")
    assert status(build_input(mission), "WASH_OUTPUT_ONLY") == "passed"


def test_the_trend_of_an_indicator_feeds_the_stretch_check(mission, headline, editor):
    # Target 62 (2018) → 67 (2040): about 0.23 a year needed.
    indicator = services.indicator_create(
        by=editor, mission=mission, name="HLY", level="impact", target=headline
    )
    assert status(build_input(mission), "OVER_STRETCH") == "not_assessed"
    for year, value in [(2018, "62"), (2020, "62.02"), (2022, "62.04")]:
        services.measurement_add(
            by=editor, indicator=indicator, period_end=day(year), value=D(value)
        )
    data = build_input(mission)
    assert data["mission"]["targets"][0]["trend_annual_rate"] == "0.01"
    assert outcome(data, "OVER_STRETCH").fires  # 23× the trend
    services.measurement_add(by=editor, indicator=indicator, period_end=day(2024), value=D(64))
    assert status(build_input(mission), "OVER_STRETCH") == "passed"


def test_rules_on_hand_made_input():
    data = assessment_input(
        mission_data(targets=[target_data("t1", is_headline=True)]),
        indicators=[
            {"target": "t1", "data_source": "CBS", "frequency": "annual", "level": "impact"}
        ],
    )
    assert status(data, "c2_indicators") == "passed"
    assert not outcome(data, "WASH_OUTPUT_ONLY").fires


# --- Pages, permissions, charts, queries ----------------------------------------------------


def _url(mission, name="evaluation:indicators", *args):
    return reverse(name, args=[mission.organisation.slug, mission.key, *args])


def test_editors_add_indicators_and_values_viewers_only_read(
    client, mission, headline, editor, viewer
):
    client.force_login(viewer)
    assert client.get(_url(mission)).status_code == 200
    response = client.post(_url(mission), {"name": "X", "level": "impact"})
    assert response.status_code == 403
    client.force_login(editor)
    response = client.post(
        _url(mission),
        {
            "name": "Healthy <b>life</b> years",
            "level": "impact",
            "target": headline.pk,
            "direction": "increase",
            "unit": "years",
            "data_source": "CBS",
            "frequency": "annual",
            "timing": "lagging",
            "disaggregations": "socioeconomic group, sex",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(mission=mission)
    assert indicator.disaggregations == ["socioeconomic group", "sex"]
    page = _url(mission, "evaluation:indicator", indicator.key)
    assert client.post(page, {"period_end": "2020-12-31", "value": "63", "quality": "official"}).status_code == 302  # fmt: skip
    client.force_login(viewer)
    html = client.get(page).content.decode()
    assert "Healthy &lt;b&gt;life&lt;/b&gt; years" in html and "<b>life</b>" not in html
    assert 'id="chart-data"' in html and "<svg" in html
    response = client.post(page, {"period_end": "2021-12-31", "value": "64", "quality": "official"})
    assert response.status_code == 403
    assert Measurement.objects.filter(indicator=indicator).count() == 1


def test_correcting_through_the_page(client, mission, indicator, editor):
    old = services.measurement_add(
        by=editor, indicator=indicator, period_end=day(2020), value=D(63)
    )
    client.force_login(editor)
    url = _url(mission, "evaluation:measurement_correct", indicator.key, old.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, {"value": "63.2", "quality": "official", "source_ref": "CBS"})
    assert response.status_code == 302
    html = client.get(_url(mission, "evaluation:indicator", indicator.key)).content.decode()
    assert "Replaced" in html and "63.2" in html


def test_outsiders_get_404(client, mission, indicator, outsider):
    client.force_login(outsider)
    assert client.get(_url(mission, "evaluation:indicator", indicator.key)).status_code == 404
    assert client.get(_url(mission)).status_code == 404


def test_the_indicator_page_query_count_does_not_grow_with_measurements(
    client, mission, indicator, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    url = _url(mission, "evaluation:indicator", indicator.key)
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            version=indicator.versions.get(),
            period_end=day(2000 + n),
            value=D(60 + n),
        )
        for n in range(3)
    )
    client.get(url)  # the first request after signing in also writes the session
    cache.clear()  # and the page keeps its series: this one reads it again
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            version=indicator.versions.get(),
            period_end=datetime.date(1950, 1, 1) + datetime.timedelta(days=n),
            value=D(n),
        )
        for n in range(300)
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    assert len(many) == len(few)
    # The series kept for three values was not used for 303.
    assert "The chart shows 303 values; this table lists the latest 120." in page.content.decode()
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert len(again) == len(many) - 1  # kept this time: the series is not read again


def test_the_targets_page_shows_a_sparkline_with_its_values(client, mission, indicator, editor):
    for year, value in [(2019, "62.5"), (2020, "63")]:
        services.measurement_add(
            by=editor, indicator=indicator, period_end=day(year), value=D(value)
        )
    client.force_login(editor)
    html = client.get(reverse("missions:targets", args=[mission.organisation.slug, mission.key])).content.decode()  # fmt: skip
    assert 'class="lodestar-sparkline"' in html
    assert "Latest values of Healthy life years" in html and "On track" in html


def test_charts_escape_every_text():
    svg = charts.chart_svg(
        [(day(2020), D(1)), (day(2021), D(2))],
        [(day(2020), D(1)), (day(2030), D(5))],
        title='<script>alert("x")</script>',
        unit="<b>",
        series_label="&",
        trajectory_label='"',
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert charts.sparkline_svg([], label="<x>").count("&lt;x&gt;") == 2


def test_snapshot_comparisons_describe_indicator_changes():
    from evaluation.indicators.snapshots import describe

    m = {"period_end": "2020-12-31", "value": "1"}
    old = [{"key": "a", "name": "A", "versions": [{}], "measurements": [m]}]
    new = [
        {"key": "a", "name": "A", "versions": [{}, {}], "measurements": [m, m, {**m, "period_end": "2021-12-31"}]},
        {"key": "b", "name": "B"},
    ]  # fmt: skip
    assert describe(old, new) == [
        "Indicator “B” added",
        "Indicator “A”: new definition (version 2)",
        "Indicator “A”: 1 value added",
        "Indicator “A”: 1 value corrected",
    ]


# --- Overdue indicators ---------------------------------------------------------------------


def test_the_overdue_job_flags_and_clears_by_frequency(indicator, editor, client, mission):
    from evaluation.indicators import overdue
    from evaluation.tasks import mark_overdue_indicators_task

    indicator.owner = editor
    indicator.save()
    services.measurement_add(by=editor, indicator=indicator, period_end=day(2020), value=D(63))
    # Annual: due a year after 2020-12-31, plus a year's grace for publication.
    assert overdue.mark_overdue(today=datetime.date(2022, 12, 31)) == 0
    assert overdue.mark_overdue(today=datetime.date(2023, 1, 3)) == 1
    assert overdue.mark_overdue(today=datetime.date(2023, 2, 1)) == 1  # keeps its first date
    indicator.refresh_from_db()
    assert indicator.overdue_since == datetime.date(2023, 1, 3)
    client.force_login(editor)
    html = client.get(_url(mission, "evaluation:indicator", indicator.key)).content.decode()
    assert "A new value is overdue" in html and "You own this indicator" in html
    assert "Data overdue" in client.get(_url(mission)).content.decode()
    services.measurement_add(
        by=editor, indicator=indicator, period_end=timezone.localdate(), value=D(64)
    )
    indicator.refresh_from_db()
    assert indicator.overdue_since is None  # adding a value re-checks at once
    assert mark_overdue_indicators_task.apply().get() == 0


def test_ad_hoc_indicators_are_never_overdue():
    from evaluation.indicators import overdue

    long_ago = datetime.date(2000, 1, 1)
    assert overdue.overdue_since("adhoc", None, long_ago, datetime.date(2030, 1, 1)) is None
    assert overdue.overdue_since("monthly", long_ago, long_ago, long_ago) is None
    assert overdue.overdue_since(
        "monthly", long_ago, long_ago, datetime.date(2000, 3, 5)
    ) == datetime.date(2000, 3, 5)


def test_long_series_are_thinned_for_the_chart_keeping_peaks_and_the_last_value():
    series = [
        (datetime.date(2000, 1, 1) + datetime.timedelta(days=n), D(n % 50)) for n in range(5000)
    ]
    series[1234] = (series[1234][0], D(999))
    kept = charts.thin(series, 600)
    assert len(kept) <= 602 and kept[-1] == series[-1] and series[1234] in kept
    assert kept == sorted(kept, key=lambda p: p[0])
    assert charts.thin(series[:10]) == series[:10]
