"""Plain words on every page (issue #15, docs: ux.md "Plain words, always"): the demo data,
used a little (assessed, reviewed, decided on, commented, put in a portfolio), is shown to each
demo role on every page that role may open, and the visible text of each page must hold no
Python repr, no internal code and no raw number.

The pages are every URL of the permission table (tests/permissions.py) that the role may GET,
filled with the demo's own objects: every mission, and every target, project, stakeholder,
indicator, canvas box, step… of each. The first role allowed on a page sees it for every
object of every mission; the other roles see it for the first two missions (one of them
paused by a decision), with the first object of each kind: what differs between roles is the
page around the objects, not the objects.

Visible text is what a person sees or hears: text nodes (the <title> too, and text kept for
screen readers), never <script>/<style>, attribute values or what a form field holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Organisation
from api.models import WebhookEndpoint
from api.services import TOKEN_PREFIX
from canvas import services as canvas_services
from canvas.boxes import BoxKey
from canvas.models import CanvasComment
from documents import services as document_services
from documents.models import GeneratedDocument
from evaluation import services as evaluation_services
from evaluation.indicators.models import Indicator, IndicatorVersion, Measurement
from evaluation.models import Finding, ReadinessCheck
from evaluation.toc.models import ToCLink, ToCNode
from missions import examples, snapshots
from missions.forms import MISSION_GROUPS
from missions.models import Actor, Milestone, Mission, MissionProject, MissionSnapshot, Target
from participation.models import Consultation, Idea, Report
from portfolios import services as portfolio_services
from portfolios.models import Initiative, Portfolio
from rewards.models import RewardCondition
from stakeholders.models import Stakeholder
from tests import permissions
from tests.permissions import MEMBER_ROLES, No
from tests.test_role_matrix import _table_urls

DEMO_PEOPLE = {
    "viewer": "viewer@demo.example",
    "editor": "servant@demo.example",
    "reviewer": "reviewer@demo.example",
    "lead": "lead@demo.example",
    "admin": "admin@demo.example",
}

# What must never be shown. Each: (name, pattern over one line of visible text).
FORBIDDEN: list[tuple[str, re.Pattern[str]]] = [
    ("a Python list or dict", re.compile(r"\[\]|\{\}|\['|\{'|\[\"|\{\"")),
    # Python's None; "None yet" is English.
    ("None", re.compile(r"(?<![\w-])None(?![\w-])(?! [a-z])")),
    ("True or False", re.compile(r"(?<![\w-])(?:True|False)(?![\w-])")),
    ("a Python object", re.compile(r"Decimal\(|datetime\.|<QuerySet|object at 0x|\w+\(\w+=")),
    ("an internal code", re.compile(r"\b[A-Z]{2,}_[A-Z0-9_]{2,}\b")),
    ("an internal key", re.compile(r"\b[a-z]+_[a-z_]+\b")),
    # "C2 Clear …": a criterion's code is always followed by its name.
    ("a criterion without its name", re.compile(r"\b[Cc][1-5]\b(?! [A-Z][a-z])")),
    ("a float with four or more decimals", re.compile(r"\d\.\d{4,}")),
    # 0.32 for 32 %: a share or ratio shown as a fraction of one.
    # (A change per year in the target's own unit may well be 0.04.)
    (
        "a ratio instead of a percentage",
        re.compile(r"(?<![\d.,])(?<!per year: )(?<!so far: )0\.\d{2,3}(?![\d%])"),
    ),
]
URL = re.compile(r"https?://\S+")
# An API token's first characters, which its list shows so people can tell their tokens apart
# (as GitHub shows "ghp_…"): random, so now and then they read like a key.
TOKEN_START = re.compile(re.escape(TOKEN_PREFIX) + r"[A-Za-z0-9_-]+")
# A CSV import page names the file's columns exactly as the file must spell them.
CSV_COLUMNS = re.compile(r"^Columns: ")


def _free_text_tokens() -> set[str]:
    """snake_case words people wrote themselves in the demo's free text (a dataset's code in
    an indicator's source, "from hlth_hlye"): theirs to write, not the app's code."""
    from missions.apps import DEMO_FIXTURE

    tokens: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and " " in value:
            tokens.update(re.findall(r"\b[a-z]+_[a-z_]+\b", value))

    walk(json.loads(DEMO_FIXTURE.read_text(encoding="utf-8")))
    return tokens


def _stored_free_text() -> set[str]:
    """The same, from what the demo loaders stored beyond the fixture (indicator sources)."""
    tokens: set[str] = set()
    for model in (Indicator, IndicatorVersion, Measurement):
        names = [
            f.name
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField") and not f.choices
        ]
        for row in model.objects.values_list(*names):
            for value in row:
                if isinstance(value, str) and " " in value:
                    tokens.update(re.findall(r"\b[a-z]+_[a-z_]+\b", value))
    return tokens


FREE_TEXT = _free_text_tokens()

# Elements whose contents nobody sees as text.
SKIPPED = {"script", "style", "textarea", "template"}
# Elements that start a new line of text (so "C2" in one cell is not read with the next one).
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "label", "legend", "li", "main", "nav", "ol", "option", "p", "pre",
    "section", "select", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title",
    "tr", "ul", "text", "tspan", "g", "svg", "button", "a", "input",
}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _VisibleText(HTMLParser):
    """The lines of text a person sees on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIPPED:
            self.skipping.append(tag)
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def lines(self) -> list[str]:
        text = "".join(self.parts)
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def visible_lines(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.lines()


def problems_in(html: str) -> list[str]:
    found = []
    for line in visible_lines(html):
        line = TOKEN_START.sub("(token)", URL.sub("(address)", line))
        for name, pattern in FORBIDDEN:
            match = next(
                (
                    m
                    for m in pattern.finditer(line)
                    if name != "an internal key"
                    or not (m.group() in FREE_TEXT or CSV_COLUMNS.match(line))
                ),
                None,
            )
            if match:
                start = max(0, match.start() - 40)
                found.append(f"{name}: …{line[start : match.end() + 40]}…")
    return found


def test_the_checker_sees_what_people_see():
    page = (
        "<html><head><title>C2 – Lodestar</title><script>x = ['a']</script></head><body>"
        "<p>Sectors: ['medical devices']</p><input value=\"None\"><textarea>{'a'}</textarea>"
        '<span class="govuk-visually-hidden">OVER_UNDERFUNDED</span>'
        "<td>C2</td><td>Clear and targeted</td><p>C3 Ambitious</p><p>0.3333 and 0.32 or 32%</p>"
        "<p>None</p><p>Approved: False</p><p>changed is_headline</p></body></html>"
    )
    found = " | ".join(problems_in(page))
    for expected in (
        "a criterion without its name: …C2 – Lodestar",
        "['medical devices']",
        "an internal code",
        "a criterion without its name: …C2…",
        "a float with four or more decimals",
        "a ratio instead of a percentage: …0.3333 and 0.32",
        "None: …None…",
        "True or False",
        "an internal key: …changed is_headline",
    ):
        assert expected in found, (expected, found)
    assert "{'a'}" not in found and "x = " not in found and "C3" not in found
    # A token's random start may read like a key; the words around it may not.
    assert problems_in(f"<p>Token {TOKEN_PREFIX}r-8nGv…, last used today</p>") == []
    assert problems_in(f"<p>Token {TOKEN_PREFIX}r-8nGv… has_scope</p>") != []


# --- the demo, used a little ---------------------------------------------------------------


def _use_the_demo(people: dict[str, object]) -> Organisation:
    """The demo as people leave it after a week: assessed, reviewed, commented on, decided on,
    in a portfolio, with a snapshot, a readiness check, a PDF asked for and a warning
    acknowledged."""
    organisation = Organisation.objects.get(slug="demo-unit")
    missions = list(organisation.missions.order_by("key"))
    for mission in missions:
        evaluation_services.assessment_run_now(mission_id=mission.pk)
    first, second = missions[0], missions[1]
    editor, reviewer, lead = people["editor"], people["reviewer"], people["lead"]
    snapshots.snapshot_take(by=editor, mission=first, name="Before the review")
    evaluation_services.verdict_record(
        by=reviewer, mission=first, criterion="c2", rating=3, rationale="Needs a deadline."
    )
    canvas_services.canvas_comment_add(
        by=reviewer, mission=first, box_key=BoxKey.values[1], text="Who pays for this?"
    )
    finding = Finding.objects.filter(mission=first).order_by("pk").first()
    if finding is not None:
        evaluation_services.finding_decide(
            by=editor, finding=finding, status="acknowledged", reason="Known; fixing it."
        )
    portfolio_services.decision_record(
        by=lead, mission=second, decision="pause", comments="Wait for the budget."
    )
    portfolio_services.portfolio_create(
        by=lead, organisation=organisation, name="Health", missions=missions[:3]
    )
    project = MissionProject.objects.filter(mission__organisation=organisation).first()
    portfolio_services.initiative_classify(
        by=lead, organisation=organisation, directionality=2, certainty=-1, project=project
    )
    portfolio_services.initiative_classify(
        by=lead, organisation=organisation, directionality=-1, certainty=1, title="A lab"
    )
    evaluation_services.readiness_check_record(
        by=editor,
        organisation=organisation,
        answers={
            step: {"score": 1, "note": ""}
            for step in ("challenge", "support", "objective", "commitment")
        },
    )
    document_services.document_request(
        by=editor, organisation=organisation, kind="canvas", missions=[first.key]
    )
    return organisation


def first_mission(organisation: Organisation) -> Mission:
    return organisation.missions.order_by("key").first()


def _bindings(organisation: Organisation, mission: Mission | None) -> dict[frozenset, list]:
    """For each set of URL parameters (beyond the organisation and mission), every value the
    demo has for them: one dict per object."""
    org = organisation
    if mission is None:
        return {
            frozenset(): [{}],
            frozenset({"membership_id"}): [
                {"membership_id": m.pk}
                for m in Membership.objects.filter(organisation=org).exclude(role="admin")
            ],
            frozenset({"endpoint_id"}): [
                {"endpoint_id": pk}
                for pk in WebhookEndpoint.objects.filter(organisation=org).values_list(
                    "pk", flat=True
                )
            ],
            frozenset({"actor_id"}): [
                {"actor_id": pk}
                for pk in Actor.objects.filter(organisation=org).values_list("pk", flat=True)
            ],
            frozenset({"document_id"}): [
                {"document_id": pk}
                for pk in GeneratedDocument.objects.filter(organisation=org).values_list(
                    "pk", flat=True
                )
            ],
            frozenset({"check_id"}): [
                {"check_id": pk}
                for pk in ReadinessCheck.objects.filter(organisation=org).values_list(
                    "pk", flat=True
                )
            ],
            frozenset({"portfolio_slug"}): [
                {"portfolio_slug": slug}
                for slug in Portfolio.objects.filter(organisation=org).values_list(
                    "slug", flat=True
                )
            ],
            frozenset({"initiative_id"}): [
                {"initiative_id": pk}
                for pk in Initiative.objects.filter(organisation=org).values_list("pk", flat=True)
            ],
            # A password reset link that is not valid (the page that says so).
            frozenset({"uidb64", "token"}): [{"uidb64": "MQ", "token": "not-a-valid-token"}],
            frozenset({"token"}): [{"token": "not-a-valid-token"}],  # an e-mail's link
            # Every example mission shipped with Lodestar (missions.examples).
            frozenset({"example_key"}): [{"example_key": e["key"]} for e in examples.entries()],
        }
    comments = CanvasComment.objects.filter(mission=mission)
    return {
        frozenset(): [{}],
        frozenset({"group"}): [{"group": group} for group in MISSION_GROUPS],
        # Every box of the first mission; the first box elsewhere (the same template).
        frozenset({"box_key"}): [
            {"box_key": key}
            for key in (BoxKey.values if mission == first_mission(org) else BoxKey.values[:1])
        ],
        frozenset({"box_key", "comment_id"}): [
            {"box_key": c.box_key, "comment_id": c.pk} for c in comments
        ],
        frozenset({"target_key"}): [
            {"target_key": key}
            for key in Target.objects.filter(mission=mission).values_list("key", flat=True)
        ],
        frozenset({"target_key", "milestone_id"}): [
            {"target_key": m.target.key, "milestone_id": m.pk}
            for m in Milestone.objects.filter(target__mission=mission).select_related("target")
        ],
        frozenset({"project_key"}): [
            {"project_key": key}
            for key in MissionProject.objects.filter(mission=mission).values_list("key", flat=True)
        ],
        frozenset({"stakeholder_key"}): [
            {"stakeholder_key": key}
            for key in Stakeholder.objects.filter(mission=mission).values_list("key", flat=True)
        ],
        frozenset({"condition_key"}): [
            {"condition_key": key}
            for key in RewardCondition.objects.filter(mission=mission).values_list("key", flat=True)
        ],
        frozenset({"indicator_key"}): [
            {"indicator_key": key}
            for key in Indicator.objects.filter(mission=mission).values_list("key", flat=True)
        ],
        frozenset({"indicator_key", "measurement_id"}): [
            {"indicator_key": m.indicator.key, "measurement_id": m.pk}
            for m in Measurement.objects.filter(indicator__mission=mission).select_related(
                "indicator"
            )
        ],
        frozenset({"step_key"}): [
            {"step_key": key}
            for key in ToCNode.objects.filter(mission=mission).values_list("key", flat=True)
        ],
        frozenset({"link_id"}): [
            {"link_id": pk}
            for pk in ToCLink.objects.filter(mission=mission).values_list("pk", flat=True)
        ],
        frozenset({"key"}): [
            {"key": key}
            for key in Consultation.objects.filter(mission=mission).values_list("key", flat=True)
        ],
        frozenset({"key", "number"}): [
            {"key": idea.consultation.key, "number": idea.number}
            for idea in Idea.objects.filter(mission=mission).select_related("consultation")
        ],
        frozenset({"key", "number", "report_id"}): [
            {"key": r.idea.consultation.key, "number": r.idea.number, "report_id": r.pk}
            for r in Report.objects.filter(idea__mission=mission).select_related(
                "idea__consultation"
            )
        ],
    }


def _query_pages(organisation: Organisation) -> list[tuple[str, str]]:
    """Pages whose content comes from the query string: (URL name, URL)."""
    slug = organisation.slug
    keys = list(organisation.missions.order_by("key").values_list("key", flat=True))
    pages = [
        (
            "portfolios:compare",
            reverse("portfolios:compare", kwargs={"org_slug": slug})
            + "?"
            + "&".join(f"missions={key}" for key in keys[:4]),
        )
    ]
    for snapshot in MissionSnapshot.objects.filter(mission__organisation=organisation):
        url = reverse(
            "missions:snapshot_compare",
            kwargs={"org_slug": slug, "mission_key": snapshot.mission.key},
        )
        pages.append(("missions:snapshot_compare", f"{url}?a={snapshot.pk}&b=now"))
    return pages


def _pages(organisation: Organisation, role: str) -> Iterator[tuple[str, str]]:
    """(URL name, URL) of every page `role` may GET, for the demo's objects."""
    missions = list(organisation.missions.order_by("key"))
    per_mission = {m.key: _bindings(organisation, m) for m in missions}
    per_org = _bindings(organisation, None)
    for name, params in _table_urls():
        allowed = permissions.TABLE.get(name, {}).get("GET")
        if not allowed or isinstance(allowed, No) or role not in allowed:
            continue
        first_role = next(r for r in MEMBER_ROLES if r in allowed)
        rest = frozenset(params) - {"org_slug", "mission_key"}
        base = {"org_slug": organisation.slug} if "org_slug" in params else {}
        shown = missions if role == first_role else missions[:2]
        scopes = (
            [(per_mission[m.key], {"mission_key": m.key}) for m in shown]
            if "mission_key" in params
            else [(per_org, {})]
        )
        for bindings, scope in scopes:
            if rest not in bindings:
                raise AssertionError(f"{name}: give _bindings values for {sorted(rest)}")
            values = bindings[rest] if role == first_role else bindings[rest][:1]
            for value in values:
                yield name, reverse(name, kwargs={**base, **scope, **value})
    for name, url in _query_pages(organisation):
        if role in permissions.TABLE[name]["GET"]:
            yield name, url


def _check(client: Client, role: str, pages: Iterator[tuple[str, str]]) -> tuple[list, int]:
    failures, checked = [], 0
    for _name, url in pages:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{url} as {role}: {response.status_code}")
        if response.status_code != 200:  # a PDF not made yet, a page sending elsewhere
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        checked += 1
        for problem in dict.fromkeys(problems_in(response.content.decode())):
            failures.append(f"{url} as {role}: {problem}")
    return failures, checked


@pytest.mark.django_db
def test_every_page_of_the_demo_speaks_plain_words(django_user_model):
    """One demo load for the five roles (loading it is most of the time), one client each."""
    call_command("seed_demo", force=True, verbosity=0)
    people = {r: django_user_model.objects.get(email=e) for r, e in DEMO_PEOPLE.items()}
    organisation = _use_the_demo(people)
    FREE_TEXT.update(_stored_free_text())
    failures, counts = [], {}
    for role in MEMBER_ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(people[role])
        found, counts[role] = _check(client, role, _pages(organisation, role))
        failures += found
    assert all(count >= 50 for count in counts.values()), f"too few pages checked: {counts}"
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
