"""The public case library (issue #16, item 5): at least 40 real statements from at least eight
countries plus the EU and historical missions, each sourced and marked unverified, and the
statement analysis agreeing with the rubric on at least 95% of the clear-cut items."""

from collections import Counter

from evaluation.criteria.cases import CHECKS, REQUIRED, agreement, load_cases
from evaluation.criteria.cases.report import MINIMUM_AGREEMENT, render

NATIONAL = {"EU", "World Health Organization", "United States"}


def test_the_library_holds_enough_sourced_cases():
    cases = load_cases()
    assert len(cases) >= 40
    assert len({c["id"] for c in cases}) == len(cases), "case ids are unique"
    countries = Counter(c["country"] for c in cases)
    assert countries["EU"] >= 5
    assert len(set(countries) - NATIONAL) >= 8
    assert any((c["facts"].get("start_year") or 9999) < 1990 for c in cases), "historical ones"
    for case in cases:
        missing = [name for name in REQUIRED if name not in case]
        assert not missing, f"{case['id']}: missing {missing}"
        assert case["source_url"].startswith("https://"), case["id"]
        assert case["verified"] is False and "check before quoting" in case["note"]
        assert set(case["expected"]) <= set(CHECKS), case["id"]
        assert not set(case["expected"]) & set(case.get("arguable") or {}), case["id"]
        assert all(reason.strip() for reason in (case.get("arguable") or {}).values())


def test_the_analysis_agrees_with_the_rubric_on_clear_cut_items():
    share, items = agreement()
    disagreements = "\n".join(item.describe() for item in items if not item.agrees)
    assert len(items) >= 200
    assert share >= MINIMUM_AGREEMENT, (
        f"agreement {share:.1%} is below {MINIMUM_AGREEMENT:.0%}; disagreements:\n{disagreements}"
    )


def test_the_report_lists_every_disagreement():
    text, share = render()
    _share, items = agreement()
    for item in items:
        if not item.agrees:
            assert f"{item.case} · {item.check}" in text
    assert f"{share:.1%}" in text
