"""Nobody is stranded: signed in as each demo role, a crawler that starts at Home and only
follows the links on the pages (<a href>) reaches every kind of page the role may read.

"Every kind" is every URL name the permission table (tests/permissions.py) lets the role GET,
less the few listed in UNLINKED with the reason no link leads there. A page added without a
way to reach it fails this test, naming the page.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve

from accounts.models import User
from tests.e2e.test_unchanged_save import _demo_with_portfolio_and_initiatives
from tests.permissions import EXCLUDED, TABLE, No

pytestmark = pytest.mark.django_db

# Pages a role may open that no link leads to, and why.
UNLINKED = {
    "robots": "read by search engines, not people",
    "accounts:login": "the sign-in page; the crawler is signed in",
    "accounts:password_reset": "reached from the sign-in page, before signing in",
    "accounts:password_reset_done": "shown after asking for a reset",
    "accounts:password_reset_confirm": "opened from the reset e-mail's link",
    "accounts:password_reset_complete": "shown after a new password is set",
    "accounts:two_factor_verify": "shown by sign-in to those with an authenticator app",
    "accounts:member_remove": "a confirmation page opened by the Remove button's form",
    "accounts:logout": "a button (POST), not a link",
    "canvas:box": "the canvas loads each box's editor in place (htmx), from the canvas page",
    "canvas:box_history": "loaded in place on the canvas page (htmx)",
    "canvas:box_comments": "loaded in place on the canvas page (htmx)",
    "evaluation:criteria_status": "polled by the criteria panel while an assessment runs",
    "evaluation:readiness_result": "shown after the readiness check's form is sent",
    "documents:detail": "shown after asking for a document; the list links to ready ones",
    "documents:download": "a file, not a page",
    "documents:word": "a file (a Word copy), not a page",
    "stakeholders:actor_suggestions": "loaded in place by the stakeholder form (htmx)",
    "canvas:comment_resolve": "the Resolve button's form (POST)",
    "canvas:live": "polled by the open canvas for the board and who else is on it",
    "canvas:examples": "the canvas page's button that fills empty boxes with examples (POST)",
    "canvas:workshop_start": "the workshop page's Start form (POST)",
    "canvas:workshop_end": "the workshop page's End button (POST)",
    "canvas:note_sort": "the buttons under a workshop note in the box's editor (POST)",
    "canvas:workshop_join": "the workshop's link, shown on the projector to participants",
    "evaluation:criteria_summary": "the criteria panel reloads itself in place (htmx)",
    "evaluation:stewarding": "a steward's own list, linked from Home for people who keep an "
    "indicator of another organisation up to date",
    "evaluation:readiness_start_mission": "the readiness check's result page offers it",
    "evaluation:steward_invite": "the indicator page's invitation form (POST)",
    "workspace:search": "the search form in the header of every page",
    "inbox:unsubscribe": "opened from the link in a notification e-mail",
    # The public side's pages for a participant: staff (whom the crawler signs in as) are not
    # participants. tests/e2e/test_participation.py clicks its way to each.
    "public:idea_new": "the Send in an idea button, shown to signed-in participants",
    "public:report": "the Report links under an idea or comment, shown to participants",
    "public:you": "the participant's own page, linked from the public header once signed in",
    "public:your_data": "a download on the participant's own page",
    "public:forget_me": "linked from the participant's own page",
    "public:sign_in_link": "opened from the link e-mailed to a participant",
    "public:link_sent": "shown after the Take part form is sent",
}
# The crawler reads every mission's sections, but at most this many addresses of a kind that
# names a part of a mission (one target's page stands for all targets).
PER_KIND = 2
MISSION_LEVEL = {"org_slug", "mission_key"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _kind(path: str) -> tuple[str, bool] | None:
    """(view name, whether it names a part of a mission or another object), or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, bool(set(match.kwargs) - MISSION_LEVEL)


def _crawl(client) -> dict[str, str]:
    """{view name: first path reached} for every page reached from Home by links."""
    reached: dict[str, str] = {"home": "/"}
    seen_per_kind: dict[str, int] = {}
    queue, seen = deque(["/"]), {"/"}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            href, _fragment = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site, mailto:, or the same page's anchor
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            kind = _kind(parts.path)
            if kind is None or target in seen:
                continue
            name, names_a_part = kind
            if names_a_part and seen_per_kind.get(name, 0) >= PER_KIND:
                continue
            seen.add(target)
            seen_per_kind[name] = seen_per_kind.get(name, 0) + 1
            reached.setdefault(name, target)
            queue.append(target)
    return reached


def _readable_by(role: str) -> set[str]:
    names = set()
    for name, entry in TABLE.items():
        allowed = entry.get("GET")
        if isinstance(allowed, frozenset) and not isinstance(allowed, No) and role in allowed:
            names.add(name)
    return names - set(EXCLUDED) - set(UNLINKED)


@pytest.mark.parametrize("role", ["viewer", "editor", "reviewer", "lead", "admin"])
def test_every_page_the_role_may_read_is_reached_from_home_by_links(client, role):
    _demo_with_portfolio_and_initiatives()
    client.force_login(
        User.objects.get(email=f"{'servant' if role == 'editor' else role}@demo.example")
    )

    reached = _crawl(client)

    missing = sorted(_readable_by(role) - set(reached))
    assert not missing, f"As {role}, no link from Home leads to: {', '.join(missing)}"
