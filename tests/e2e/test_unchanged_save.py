"""Saving a form unchanged changes nothing: for every edit form, on every object of the demo data,
the browser opens the form as someone who may edit, presses its save button without touching
anything, and the database is the same afterwards, row for row, and the page says that nothing
was changed.

The forms are found from the URL resolver, as the permission matrix finds URLs: every URL that
accepts a write (tests/permissions.py) is either an edit form here (`EDIT_FORMS`) or named in
`NOT_EDIT_FORMS` with the reason. A new form without a line fails
`test_every_form_that_writes_is_declared`.

The first wave's date inputs rendered "29/09/2021", which a date input cannot show: the browser
sent an empty value, and saving the governance form unchanged erased the mandate date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import Membership, Organisation, User
from accounts.tests.factories import PASSWORD
from canvas.boxes import BOXES
from conftest import _wait_until_worker_is_idle
from evaluation.indicators.models import Indicator, Measurement
from evaluation.toc.models import ToCLink, ToCNode
from inbox import services as inbox_services
from inbox.models import Delivery
from missions.forms import MISSION_GROUPS
from missions.models import Actor, Milestone, Mission, MissionProject, Target
from participation.models import Consultation, Idea
from portfolios import services as portfolio_services
from portfolios.models import Initiative, Portfolio
from rewards.models import ProjectTerms, RewardCondition
from stakeholders.models import Stakeholder
from tests import permissions
from tests.e2e.conftest import sign_in_through_the_pages
from tests.e2e.test_canvas import open_box
from tests.permissions import No, Reads
from tests.urls_scoped import app_urls

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ORG = "demo-unit"
EDITOR, LEAD, ADMIN = "servant@demo.example", "lead@demo.example", "admin@demo.example"


@dataclass(frozen=True)
class FormCase:
    label: str  # what is being saved, for the failure message
    person: str  # who opens the form (e-mail of a demo user who may edit)
    page: str  # the page that shows the form
    action: str  # where the form posts (the edit URL)
    box: str = ""  # on the canvas: the title of the box to choose on the board first


def _mission_url(name: str, mission: Mission, **more: object) -> str:
    return reverse(name, kwargs={"org_slug": ORG, "mission_key": mission.key, **more})


def _missions() -> list[Mission]:
    return list(Mission.objects.filter(organisation__slug=ORG).order_by("key"))


def _mission_groups() -> Iterator[FormCase]:
    for mission in _missions():
        for group in MISSION_GROUPS:
            url = _mission_url("missions:edit_group", mission, group=group)
            yield FormCase(f"{mission.key}: {group}", EDITOR, url, url)


def _targets() -> Iterator[FormCase]:
    for target in Target.objects.filter(mission__organisation__slug=ORG).select_related("mission"):
        url = _mission_url("missions:target_edit", target.mission, target_key=target.key)
        yield FormCase(f"target {target.key}", EDITOR, url, url)


def _milestones() -> Iterator[FormCase]:
    milestones = Milestone.objects.filter(target__mission__organisation__slug=ORG)
    for milestone in milestones.select_related("target__mission"):
        target = milestone.target
        url = _mission_url(
            "missions:milestone_edit",
            target.mission,
            target_key=target.key,
            milestone_id=milestone.pk,
        )
        yield FormCase(f"milestone {target.key}@{milestone.year}", EDITOR, url, url)


def _actors() -> Iterator[FormCase]:
    # Six of the register's actors, those with the most details filled in (every field of the
    # form shown with a value); the form is the same for all of them.
    actors = Actor.objects.filter(organisation__slug=ORG).exclude(country="")
    for outside_actor in actors.exclude(government_level="").order_by("name")[:6]:
        url = reverse("missions:actor_edit", kwargs={"org_slug": ORG, "actor_id": outside_actor.pk})
        yield FormCase(f"actor {outside_actor.name}", EDITOR, url, url)


def _preferences() -> Iterator[FormCase]:
    # The editor's stored choice, and the lead's default (no row yet: saving writes none).
    url = reverse("inbox:preferences")
    yield FormCase("e-mail preference, stored", EDITOR, url, url)
    yield FormCase("e-mail preference, default", LEAD, url, url)


def _projects() -> Iterator[FormCase]:
    projects = MissionProject.objects.filter(mission__organisation__slug=ORG)
    for project in projects.select_related("mission"):
        url = _mission_url("missions:project_edit", project.mission, project_key=project.key)
        yield FormCase(f"project {project.key}", EDITOR, url, url)


def _canvas_boxes() -> Iterator[FormCase]:
    # Every box of the two demo missions whose canvases are filled in most.
    for key in ("eu-cities", "eu-soil"):
        mission = Mission.objects.get(organisation__slug=ORG, key=key)
        page = _mission_url("canvas:canvas", mission)
        for box in BOXES:
            url = _mission_url("canvas:box", mission, box_key=box.key)
            yield FormCase(f"{key} canvas: {box.key}", EDITOR, page, url, box=str(box.title))


def _indicators() -> Iterator[FormCase]:
    indicators = Indicator.objects.filter(mission__organisation__slug=ORG).select_related("mission")
    for indicator in indicators:
        url = _mission_url(
            "evaluation:indicator_edit", indicator.mission, indicator_key=indicator.key
        )
        yield FormCase(f"indicator {indicator.key}", EDITOR, url, url)


def _corrections() -> Iterator[FormCase]:
    # The latest value of each indicator: the correction form shows it, ready to change.
    for indicator in Indicator.objects.filter(mission__organisation__slug=ORG):
        latest = (
            Measurement.objects.filter(indicator=indicator, is_current=True)
            .order_by("-period_end")
            .first()
        )
        if latest is None:
            continue
        url = _mission_url(
            "evaluation:measurement_correct",
            indicator.mission,
            indicator_key=indicator.key,
            measurement_id=latest.pk,
        )
        yield FormCase(f"value of {indicator.key}", EDITOR, url, url)


def _toc_steps() -> Iterator[FormCase]:
    for step in ToCNode.objects.filter(mission__organisation__slug=ORG).select_related("mission"):
        url = _mission_url("evaluation:toc_step_edit", step.mission, step_key=step.key)
        yield FormCase(f"step {step.key}", EDITOR, url, url)


def _toc_links() -> Iterator[FormCase]:
    for link in ToCLink.objects.filter(mission__organisation__slug=ORG).select_related("mission"):
        url = _mission_url("evaluation:toc_link_edit", link.mission, link_id=link.pk)
        yield FormCase(f"link {link.pk}", EDITOR, url, url)


def _stakeholders() -> Iterator[FormCase]:
    stakeholders = Stakeholder.objects.filter(mission__organisation__slug=ORG)
    for stakeholder in stakeholders.select_related("mission"):
        kwargs = {"stakeholder_key": stakeholder.key}
        yield FormCase(
            f"stakeholder {stakeholder.key}",
            EDITOR,
            _mission_url("stakeholders:detail", stakeholder.mission, **kwargs),
            _mission_url("stakeholders:edit", stakeholder.mission, **kwargs),
        )


def _reward_terms() -> Iterator[FormCase]:
    for terms in ProjectTerms.objects.filter(mission__organisation__slug=ORG).select_related(
        "mission", "project"
    ):
        url = _mission_url("rewards:terms_edit", terms.mission, project_key=terms.project.key)
        yield FormCase(f"terms of {terms.project.key}", EDITOR, url, url)


def _reward_conditions() -> Iterator[FormCase]:
    for condition in RewardCondition.objects.filter(mission__organisation__slug=ORG).select_related(
        "mission"
    ):
        url = _mission_url("rewards:condition_edit", condition.mission, condition_key=condition.key)
        yield FormCase(f"condition {condition.key}", EDITOR, url, url)


def _consultations() -> Iterator[FormCase]:
    for consultation in Consultation.objects.filter(mission__organisation__slug=ORG).select_related(
        "mission"
    ):
        url = _mission_url(
            "participation:consultation_edit", consultation.mission, key=consultation.key
        )
        yield FormCase(f"consultation {consultation.key}", EDITOR, url, url)


def _idea_answers() -> Iterator[FormCase]:
    """The answer form on the staff's page of each idea (answered or not yet)."""
    for idea in Idea.objects.filter(mission__organisation__slug=ORG).select_related(
        "mission", "consultation"
    ):
        kwargs = {"key": idea.consultation.key, "number": idea.number}
        yield FormCase(
            f"answer to idea {idea.consultation.key} {idea.number}",
            EDITOR,
            _mission_url("participation:idea", idea.mission, **kwargs),
            _mission_url("participation:idea_answer", idea.mission, **kwargs),
        )


def _member_roles() -> Iterator[FormCase]:
    page = reverse("accounts:members", kwargs={"org_slug": ORG})
    for membership in Membership.objects.filter(organisation__slug=ORG).select_related("user"):
        url = reverse(
            "accounts:member_role", kwargs={"org_slug": ORG, "membership_id": membership.pk}
        )
        yield FormCase(f"role of {membership.user.email}", ADMIN, page, url)


def _organisation_settings() -> Iterator[FormCase]:
    url = reverse("accounts:organisation_settings", kwargs={"org_slug": ORG})
    yield FormCase("organisation settings", ADMIN, url, url)


def _portfolios() -> Iterator[FormCase]:
    for portfolio in Portfolio.objects.filter(organisation__slug=ORG):
        url = reverse(
            "portfolios:portfolio_edit", kwargs={"org_slug": ORG, "portfolio_slug": portfolio.slug}
        )
        yield FormCase(f"portfolio {portfolio.slug}", LEAD, url, url)


def _facets() -> Iterator[FormCase]:
    for initiative in Initiative.objects.filter(
        organisation__slug=ORG, project__isnull=False
    ).select_related("project__mission"):
        url = reverse(
            "portfolios:facet_edit",
            kwargs={
                "org_slug": ORG,
                "mission_key": initiative.project.mission.key,
                "project_key": initiative.project.key,
            },
        )
        yield FormCase(f"facets of {initiative.project.key}", LEAD, url, url)


def _initiatives() -> Iterator[FormCase]:
    for initiative in Initiative.objects.filter(organisation__slug=ORG, project__isnull=True):
        url = reverse(
            "portfolios:initiative_edit", kwargs={"org_slug": ORG, "initiative_id": initiative.pk}
        )
        yield FormCase(f"initiative {initiative.title}", LEAD, url, url)


def _briefing_notes() -> Iterator[FormCase]:
    # Every mission's briefing page, whether or not its author has written anything yet.
    for mission in _missions():
        url = _mission_url("documents:briefing_note", mission)
        yield FormCase(f"{mission.key}: briefing", EDITOR, url, url)


# URL name → the forms of the demo data that edit through it.
EDIT_FORMS: dict[str, Callable[[], Iterator[FormCase]]] = {
    "missions:edit_group": _mission_groups,
    "missions:target_edit": _targets,
    "missions:milestone_edit": _milestones,
    "missions:actor_edit": _actors,
    "missions:project_edit": _projects,
    "canvas:box": _canvas_boxes,
    "evaluation:indicator_edit": _indicators,
    "evaluation:measurement_correct": _corrections,
    "evaluation:toc_step_edit": _toc_steps,
    "evaluation:toc_link_edit": _toc_links,
    "stakeholders:edit": _stakeholders,
    "rewards:terms_edit": _reward_terms,
    "rewards:condition_edit": _reward_conditions,
    "participation:consultation_edit": _consultations,
    "participation:idea_answer": _idea_answers,
    "accounts:member_role": _member_roles,
    "accounts:organisation_settings": _organisation_settings,
    "portfolios:portfolio_edit": _portfolios,
    "portfolios:facet_edit": _facets,
    "portfolios:initiative_edit": _initiatives,
    "inbox:preferences": _preferences,
    "documents:briefing_note": _briefing_notes,
}

# URL names that accept a write but show no form of something already stored, with the reason.
CREATES = "adds something new; its form starts empty"
DELETES = "removes something, after a confirmation"
ACTS = "an action or an event (a button, not a form of stored values)"
NOT_EDIT_FORMS: dict[str, str] = {
    "accounts:login": "signs in",
    "set_language": "chooses the language pages are shown in (one button per language)",
    "inbox:mark_all_read": ACTS,
    "inbox:unsubscribe": "turns e-mail off, from a signed link in an e-mail (one button)",
    "accounts:logout": "signs out",
    "accounts:password_reset": "sends a reset e-mail",
    "accounts:password_reset_confirm": "sets a new password; the fields start empty",
    "accounts:password_change": "sets a new password; the fields start empty",
    "accounts:two_factor_setup": "confirms a new authenticator with a fresh code",
    "accounts:two_factor_verify": "checks a code",
    "accounts:two_factor_remove": DELETES,
    "accounts:members": CREATES,
    "accounts:member_remove": DELETES,
    "missions:start": CREATES,
    "missions:copy": CREATES,
    "canvas:example": CREATES,
    "missions:import": "uploads a file",
    "missions:actors": CREATES,
    "missions:transition": ACTS,
    "missions:archive": ACTS,
    "missions:delete": DELETES,
    "missions:targets": CREATES,
    "missions:target_delete": DELETES,
    "missions:milestone_add": CREATES,
    "missions:milestone_delete": DELETES,
    "missions:projects": CREATES,
    "missions:project_delete": DELETES,
    "missions:snapshots": CREATES,
    "documents:canvas": "asks for a PDF",
    "documents:briefing": "asks for a PDF",
    "documents:pack": "asks for a PDF",
    "documents:retry": ACTS,
    "canvas:box_comments": CREATES,
    "canvas:comment_resolve": ACTS,
    "canvas:workshop_start": CREATES,
    "canvas:workshop_end": ACTS,
    "canvas:examples": ACTS,
    "canvas:note_sort": ACTS,
    "evaluation:assess": ACTS,
    "evaluation:gonogo": "records a new dated go/no-go review; earlier ones stay as history",
    "evaluation:mission_readiness": "records a new dated readiness check; earlier ones stay",
    "evaluation:readiness": "records a readiness check before any mission exists",
    "evaluation:readiness_start_mission": CREATES,
    "evaluation:verdict": "records a reviewer's new verdict; the form starts empty",
    "evaluation:decide": ACTS,
    "evaluation:indicators": CREATES,
    "evaluation:reviews": CREATES,
    "evaluation:indicator": CREATES + " (a value)",
    "evaluation:measurements_import": "uploads a file",
    "evaluation:steward_invite": CREATES,
    "evaluation:steward_revoke": ACTS,
    "evaluation:push_tokens": CREATES,
    "evaluation:push_token_revoke": ACTS,
    "evaluation:steward_indicator": CREATES + " (a steward's value)",
    "evaluation:steward_import": "uploads a file",
    "evaluation:steward_correct": "the steward's copy of evaluation:measurement_correct, through "
    "the same service; evaluation/tests cover its page",
    "evaluation:toc_step_add": CREATES,
    "evaluation:toc_step_delete": DELETES,
    "evaluation:toc_link_add": CREATES,
    "evaluation:toc_link_delete": DELETES,
    "stakeholders:add": CREATES,
    "stakeholders:import": "uploads a file",
    "stakeholders:reviewed": ACTS,
    "stakeholders:move": "moves a marker on the grid (drag or arrow keys), no form",
    "stakeholders:delete": DELETES,
    "stakeholders:activities": CREATES,
    "stakeholders:activity_delete": DELETES,
    "rewards:condition_add": CREATES,
    "rewards:condition_delete": DELETES,
    "rewards:terms_delete": DELETES,
    "participation:publish": "publishes the mission as it is now, a decision (a button)",
    "participation:withdraw": ACTS,
    "participation:consultation_add": CREATES,
    "participation:idea_hide": ACTS + ", with the reason its author is told",
    "participation:idea_restore": ACTS,
    "participation:idea_ban": ACTS,
    "participation:idea_verify": ACTS,
    "participation:idea_project": CREATES + " (a project from the idea)",
    "participation:idea_stakeholder": CREATES + " (a stakeholder from the idea)",
    "participation:idea_canvas": CREATES + " (a comment on a canvas box quoting the idea)",
    "participation:report_dismiss": ACTS,
    "public:take_part": "e-mails a link to take part",
    "public:idea_new": CREATES,
    "public:idea_support": ACTS,
    "public:comment": CREATES,
    "public:report": CREATES,
    "public:forget_me": DELETES,
    "public:sign_out": "signs a participant out",
    "portfolios:portfolios": CREATES,
    "portfolios:portfolio_add": ACTS,
    "portfolios:initiative_add": CREATES,
    "portfolios:decide": "records a new review decision; the form starts empty",
    "api:tokens": CREATES + " (a token, shown once)",
    "api:token_revoke": ACTS,
    "api:webhooks": CREATES + " (a webhook)",
    "api:webhook": ACTS + " (switch it on again, or delete it after a confirmation)",
    "api:webhook_resend": ACTS,
}


def _urls_that_write() -> set[str]:
    writes = set()
    for name, entry in permissions.TABLE.items():
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            who = entry.get(method)
            if isinstance(who, frozenset) and not isinstance(who, Reads | No):
                writes.add(name)
    return writes


def test_every_form_that_writes_is_declared():
    names = {name for name, _route, _params in app_urls() if name}
    writes = _urls_that_write() & names
    undeclared = sorted(writes - set(EDIT_FORMS) - set(NOT_EDIT_FORMS))
    assert not undeclared, (
        "say in tests/e2e/test_unchanged_save.py whether these are edit forms: "
        + ", ".join(undeclared)
    )
    assert not (set(EDIT_FORMS) | set(NOT_EDIT_FORMS)) - writes, "stale lines"
    assert not set(EDIT_FORMS) & set(NOT_EDIT_FORMS)


# Tables about requests rather than anyone's data (as in the permission matrix).
BOOKKEEPING = ("django_session", "audit_", "auditlog_", "axes_", "otp_")


def _database() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith(BOOKKEEPING):
                continue
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 - our table names
            rows[table] = cursor.fetchall()
    return rows


def _differences(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    found = []
    for table, old in before.items():
        new = after[table]
        if old != new:
            gone = [row for row in old if row not in new][:3]
            came = [row for row in new if row not in old][:3]
            found.append(f"{table}: was {gone} now {came}")
    return found


def _demo_with_portfolio_and_initiatives() -> None:
    """The demo data, plus what a lead would have set up by then: a portfolio, one mission
    project placed on the innovation facets, and one initiative outside any mission."""
    call_command("seed_demo", force=True, verbosity=0)
    lead = User.objects.get(email=LEAD)
    organisation = Organisation.objects.get(slug=ORG)
    portfolio_services.portfolio_create(
        by=lead,
        organisation=organisation,
        name="Cities and climate",
        description="Missions the minister asked about.",
        missions=Mission.objects.filter(organisation=organisation)[:3],
    )
    project = MissionProject.objects.filter(mission__organisation=organisation).first()
    portfolio_services.initiative_classify(
        by=lead, organisation=organisation, project=project, directionality=2, certainty=-1
    )
    portfolio_services.initiative_classify(
        by=lead,
        organisation=organisation,
        title="Regional innovation vouchers",
        budget=Decimal("1500000"),
        directionality=-1,
        certainty=1,
    )
    for user in User.objects.filter(memberships__organisation=organisation):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    # The editor chose a daily digest; the lead keeps the default.
    inbox_services.preference_set(by=User.objects.get(email=EDITOR), delivery=Delivery.DAILY)


def _submit_unchanged(page: Page, action: str) -> None:
    """Press the save button of the form that posts to `action`, touching nothing else."""
    found = page.evaluate(
        """(action) => {
            const forms = [...document.querySelectorAll('form')].filter(
                (f) => f.method === 'post' && new URL(f.action).pathname === action);
            forms.forEach((f) => f.setAttribute('data-unchanged-save', ''));
            return forms.length;
        }""",
        action,
    )
    assert found == 1, f"{found} forms post to {action} on {page.url}"
    buttons = page.locator(
        "form[data-unchanged-save] button:not([type=button]), "
        "form[data-unchanged-save] input[type=submit]"
    ).filter(has_not_text=re.compile("delete|remove", re.IGNORECASE))
    buttons.first.click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("url_name", sorted(EDIT_FORMS))
def test_saving_a_form_unchanged_changes_nothing(live_server, page: Page, celery_worker, url_name):
    _demo_with_portfolio_and_initiatives()
    cases = list(EDIT_FORMS[url_name]())
    assert cases, f"the demo data has nothing to edit through {url_name}"
    _wait_until_worker_is_idle()  # the demo's first assessments
    signed_in = None
    failures = []
    for case in cases:
        if case.person != signed_in:
            page.context.clear_cookies()
            sign_in_through_the_pages(page, live_server.url, User.objects.get(email=case.person))
            signed_in = case.person
        page.goto(live_server.url + case.page)
        if case.box:
            open_box(page, case.box)
        before = _database()
        _submit_unchanged(page, case.action)
        _wait_until_worker_is_idle()
        changed = _differences(before, _database())
        said = page.get_by_text("Nothing was changed").or_(page.get_by_text("Nothing changed"))
        if changed:
            failures.append(f"{case.label}: the database changed: {changed}")
        elif not said.count():
            failures.append(f"{case.label}: the page did not say nothing was changed")
    assert not failures, "\n".join(failures)


def test_the_governance_form_saved_unchanged_keeps_the_mandate_date(
    live_server, page: Page, celery_worker
):
    """The reproduction: the editor opens EU Cities from the missions list, changes the mandate
    and governance without touching anything, and the date is still there."""
    call_command("seed_demo", force=True, verbosity=0)
    editor = User.objects.get(email=EDITOR)
    editor.set_password(PASSWORD)
    editor.save(update_fields=["password"])
    mission = Mission.objects.get(organisation__slug=ORG, key="eu-cities")
    assert str(mission.mandate_date) == "2021-09-29"
    version = mission.version

    sign_in_through_the_pages(page, live_server.url, editor)
    page.get_by_role("link", name="Government Mission Unit (demo)").first.click()
    page.get_by_role("link", name="Missions", exact=True).first.click()
    page.get_by_role("link", name="100 Climate-Neutral and Smart Cities by 2030").click()
    page.get_by_role("link", name="Change mandate and governance").click()
    date_input = page.get_by_label("Mandate date")
    expect(date_input).to_have_value("2021-09-29")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Nothing was changed.")).to_be_visible()
    expect(page.locator("#group-governance")).to_contain_text("29 September 2021")

    mission.refresh_from_db()
    assert str(mission.mandate_date) == "2021-09-29"
    assert mission.version == version
