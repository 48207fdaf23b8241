"""Print how far the statement analysis agrees with the case library, and every disagreement.

    python -m evaluation.criteria.cases.report

Exit status 1 when agreement on clear-cut items is below MINIMUM_AGREEMENT (95%)."""

from __future__ import annotations

import sys
from collections import Counter

from evaluation.criteria.cases import agreement, load_cases

MINIMUM_AGREEMENT = 0.95


def render() -> tuple[str, float]:
    cases = load_cases()
    share, items = agreement(cases)
    disagreements = [item for item in items if not item.agrees]
    countries = Counter(case["country"] for case in cases)
    languages = Counter(case["language"] for case in cases)
    arguable = sum(len(case.get("arguable") or {}) for case in cases)
    lines = [
        f"Case library: {len(cases)} cases from {len(countries)} countries or bodies "
        f"({', '.join(f'{c} {n}' for c, n in sorted(countries.items()))}).",
        f"Languages: {', '.join(f'{lang} {n}' for lang, n in sorted(languages.items()))}.",
        f"Clear-cut items: {len(items)}; arguable items left out: {arguable}.",
        f"Agreement: {sum(i.agrees for i in items)} of {len(items)} = {share:.1%} "
        f"(minimum {MINIMUM_AGREEMENT:.0%}).",
    ]
    by_check = Counter(item.check for item in disagreements)
    if disagreements:
        lines.append(
            f"Disagreements ({len(disagreements)}; by check: "
            + ", ".join(f"{check} {n}" for check, n in sorted(by_check.items()))
            + "):"
        )
        lines += [f"  - {item.describe()}" for item in disagreements]
    else:
        lines.append("No disagreements.")
    return "\n".join(lines), share


def main() -> int:
    text, share = render()
    print(text)
    return 0 if share >= MINIMUM_AGREEMENT else 1


if __name__ == "__main__":
    sys.exit(main())
