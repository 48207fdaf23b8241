"""A public case library for the statement checks: real mission statements, in their original
language, with the facts their sources state and the expected result of each clear-cut check
under docs/criteria-rubric.md.

One JSON file per country (or international body) in `data/`. Each case:

    {"id", "country", "title", "language", "statement", "source", "source_url",
     "verified": false, "note": "transcribed without access to the source; check before quoting",
     "facts": {"start_year", "deadline_year", "measurable_end_state", "language"},
     "expected": {check: true | false},      # clear-cut items only
     "arguable": {check: "why it is not clear-cut"}}

Checks: `deadline` (the statement names a deadline: a year or a relative phrase),
`deadline_year` (derived: the year it names, or resolves to, is the source's deadline year; a
relative decade may be one year off), `end_state` (a measurable or yes/no end state),
`activity_verb` (opens with an activity verb), `acronyms_ok` (no more unexplained abbreviations
than the setting allows), `short` (at most `statement_max_words` words).

`agreement()` runs the statement analysis over every case, as the engine does (same glossary
and limits, the case's language, its start year), and compares each clear-cut item.
`python -m evaluation.criteria.cases.report` prints the figure and every disagreement.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluation.criteria import statement as statement_analysis
from evaluation.criteria.thresholds import DEFAULTS

DATA = Path(__file__).resolve().parent / "data"
CHECKS = ("deadline", "deadline_year", "end_state", "activity_verb", "acronyms_ok", "short")
REQUIRED = ("id", "country", "language", "statement", "source_url", "verified", "note", "facts")


@dataclass(frozen=True)
class Item:
    """One clear-cut check on one case: what the rubric expects and what the analysis found."""

    case: str
    check: str
    expected: Any
    found: Any
    agrees: bool
    statement: str

    def describe(self) -> str:
        return (
            f"{self.case} · {self.check}: expected {self.expected!r}, found {self.found!r}"
            f"\n    “{self.statement}”"
        )


def load_cases(directory: Path = DATA) -> list[dict[str, Any]]:
    """Every case of every file, in file then document order."""
    cases: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for case in document["cases"]:
            case = {**case, "file": path.name}
            cases.append(case)
    return cases


def analyse_case(
    case: dict[str, Any], thresholds: dict[str, Any] | None = None
) -> statement_analysis.StatementAnalysis:
    t = thresholds or DEFAULTS
    language = case.get("language") or ""
    return statement_analysis.analyse(
        case["statement"],
        glossary=t["acronym_glossary"],
        language=language if language in statement_analysis.LANGUAGES else "",
        start_year=(case.get("facts") or {}).get("start_year"),
    )


def evaluate(case: dict[str, Any], thresholds: dict[str, Any] | None = None) -> list[Item]:
    """The clear-cut items of one case, each compared with the analysis."""
    t = thresholds or DEFAULTS
    result = analyse_case(case, t)
    expected = dict(case.get("expected") or {})
    arguable = case.get("arguable") or {}
    deadline_year = (case.get("facts") or {}).get("deadline_year")
    if expected.get("deadline") is True and deadline_year and "deadline_year" not in arguable:
        expected["deadline_year"] = deadline_year
    found: dict[str, Any] = {
        "deadline": result.has_deadline,
        "end_state": result.has_measurable_end_state,
        "activity_verb": result.opens_with_activity_verb,
        "acronyms_ok": len(result.unexplained_acronyms) <= t["unexplained_acronyms_max"],
        "short": 0 < result.word_count <= t["statement_max_words"],
    }
    items = []
    for check in CHECKS:
        if check not in expected or check in arguable:
            continue
        if check == "deadline_year":
            year = expected[check]
            close = result.relative_deadline and any(abs(y - year) <= 1 for y in result.years)
            agrees = year in result.years or bool(close)
            value: Any = result.years
        else:
            value = found[check]
            agrees = value == expected[check]
        if check == "end_state":
            value = result.end_state or False
            agrees = bool(value) == expected[check]
        if check == "activity_verb":
            value = result.activity_verb or False
            agrees = bool(value) == expected[check]
        items.append(Item(case["id"], check, expected[check], value, agrees, case["statement"]))
    return items


def agreement(
    cases: list[dict[str, Any]] | None = None, thresholds: dict[str, Any] | None = None
) -> tuple[float, list[Item]]:
    """(share of clear-cut items where the analysis agrees with the rubric, every item)."""
    items = [item for case in (cases or load_cases()) for item in evaluate(case, thresholds)]
    if not items:
        return 1.0, items
    return sum(item.agrees for item in items) / len(items), items
