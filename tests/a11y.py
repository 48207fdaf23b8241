"""axe-core checks for browser tests: no serious or critical WCAG 2.2 AA violation."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
from playwright.sync_api import Page

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_AA_TAGS},
    # Experimental in axe, so off unless named: a control's accessible name must contain its
    # visible text (WCAG 2.5.3 Label in Name), or speech users cannot say what they see.
    "rules": {"label-content-name-mismatch": {"enabled": True}},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
AXE_TIMEOUT_MS = 60_000


def run_axe(page: Page, context: str | None = None) -> dict:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated rather than added as a <script>: our CSP forbids inline scripts.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    # page.evaluate has no timeout of its own: a run that never settles would hang the suite
    # (seen once in CI), so it is given a minute and then fails the test, naming the page.
    return page.evaluate(
        """([c, o, ms]) => Promise.race([
            axe.run(c || document, o),
            new Promise((_, fail) => setTimeout(() => fail(new Error(
                `axe did not finish within ${ms / 1000} s on ${location.href}`)), ms)),
        ])""",
        [context, AXE_OPTIONS, AXE_TIMEOUT_MS],
    )


def assert_accessible(page: Page, context: str | None = None) -> None:
    results = run_axe(page, context)
    bad = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not bad, f"axe on {page.url}: serious/critical WCAG violations:\n" + "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(
            f"    {', '.join(map(str, n['target']))}: {n['html'][:160]}" for n in v["nodes"]
        )
        for v in bad
    )
