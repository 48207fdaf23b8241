"""The permission matrix: every URL of the app, requested by every kind of person, with GET and
with every write it declares, against the table of who may do what in tests/permissions.py.

The people: an anonymous visitor, an administrator of another organisation (the most powerful
stranger there is), a viewer, editor, reviewer, lead and administrator of the organisation, and a
steward (a person of another organisation invited to look after one indicator). A new URL
without a line in the table fails `test_every_url_has_a_line_in_the_permission_table`.

Each request runs in a savepoint that is rolled back, so an allowed write (a deletion, an
archive) does not change the scene for the next URL. A refused request must not have written
anything: PostgreSQL's per-transaction counters (pg_stat_xact_user_tables) count every row
inserted, updated or deleted, even in a savepoint rolled back afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from canvas.models import CanvasComment, Workshop, WorkshopNote
from documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from evaluation.indicators import models as indicator_models
from evaluation.indicators import services as indicator_services
from evaluation.indicators.models import Measurement
from evaluation.models import Finding, ReadinessCheck
from inbox.models import Notification
from missions.models import Milestone, Mission
from missions.tests.factories import (
    ActorFactory,
    MilestoneFactory,
    MissionFactory,
    MissionProjectFactory,
    TargetFactory,
)
from portfolios.models import Initiative, Portfolio
from rewards.models import RewardCondition
from stakeholders.models import EngagementActivity, Stakeholder
from tests import permissions
from tests.permissions import ALL_ROLES, ANONYMOUS, OUTSIDER, PARTICIPANT, STEWARD, No, Reads
from tests.urls_scoped import app_urls, organisation_scoped_urls

# What every write sends: enough to be an attempt (add an administrator), never a valid form of
# any page. The point is who is let in, not validation.
PAYLOAD = {"role": "admin", "email": "intruder@example.gov"}

# Tables a refused (or read-only) request may write to: the visitor's own session, and the
# records *about* requests (the audit trail of reads and refusals, failed sign-ins). They are
# not anyone's data; a real write still shows in the table it changes.
BOOKKEEPING_TABLES = {"django_session"}
BOOKKEEPING_PREFIXES = ("audit_", "auditlog_", "axes_")


@dataclass
class Scene:
    values: dict[str, object]  # a real value for every URL parameter
    people: dict[str, object]  # role → user (None: anonymous)


def _first_organisation_objects(organisation) -> dict[str, object]:
    """A mission of the organisation with one of everything a URL can point at, so every URL
    parameter has a real value to try."""
    mission = MissionFactory(organisation=organisation, key="secret-mission")
    target = TargetFactory(mission=mission, key="secret-target")
    milestone = MilestoneFactory(target=target, year=2030)
    project = MissionProjectFactory(mission=mission, key="secret-project")
    condition = RewardCondition.objects.create(
        mission=mission,
        project=project,
        key="secret-condition",
        kind="price_cap",
        description="A secret price cap.",
    )
    portfolio = Portfolio.objects.create(
        organisation=organisation, slug="secret-portfolio", name="Secret"
    )
    initiative = Initiative.objects.create(
        organisation=organisation,
        title="Secret foresight lab",
        directionality=-2,
        certainty=-2,
        facet_auto="anticipatory",
    )
    now = timezone.now()
    finding = Finding.objects.create(
        mission=mission, code="MANDATE_MISSING", severity="high", first_seen=now, last_seen=now
    )
    check = ReadinessCheck.objects.create(organisation=organisation, answers={}, advice="programme")
    stakeholder = Stakeholder.objects.create(
        mission=mission,
        key="secret-stakeholder",
        person_name="A. Secret",
        helix="civil_society",
        roles=["critic"],
        power=2,
        interest=4,
    )
    activity = EngagementActivity.objects.create(
        mission=mission,
        key="secret-activity",
        date=now.date(),
        type="workshop",
        level="consult",
        summary="A secret workshop.",
    )
    activity.stakeholders.add(stakeholder)
    comment = CanvasComment.objects.create(
        mission=mission, box_key="challenge", text="A secret comment."
    )
    workshop = Workshop.objects.create(
        mission=mission, title="Secret workshop", token="secret-link", ends_at=now
    )
    note = WorkshopNote.objects.create(
        mission=mission, workshop=workshop, box_key="challenge", text="A secret note."
    )
    indicator = indicator_services.indicator_create(
        by=None, mission=mission, key="secret-indicator", name="Secret", level="impact"
    )
    measurement = indicator_services.measurement_add(
        by=None, indicator=indicator, period_end=now.date().replace(month=1, day=1), value=1
    )
    # A pack (of no missions), so its Word copy (documents:word) can be made too.
    document = GeneratedDocument(
        organisation=organisation,
        kind=DocumentKind.PACK,
        context={"organisation": organisation.name, "missions": [], "pieces": []},
        title="Secret pack",
        input_hash="0" * 64,
        status=DocumentStatus.DONE,
        finished_at=now,
        page_count=1,
        size_bytes=15,
    )
    document.file.save("secret.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    return {
        "org_slug": organisation.slug,
        "membership_id": Membership.objects.filter(organisation=organisation, role="viewer")
        .first()
        .pk,
        "mission_key": mission.key,
        "actor_id": ActorFactory(organisation=organisation, name="Secret Agency").pk,
        "target_key": target.key,
        "project_key": "secret-project",
        "milestone_id": milestone.pk,
        "group": "basics",
        "transition": "propose",
        "document_id": document.pk,
        "box_key": "challenge",
        "criterion": "c1",
        "finding_id": finding.pk,
        "portfolio_slug": portfolio.slug,
        "initiative_id": initiative.pk,
        "check_id": check.pk,
        "stakeholder_key": stakeholder.key,
        "activity_id": activity.pk,
        "condition_key": condition.key,
        "comment_id": comment.pk,
        "workshop_id": workshop.pk,
        "example_key": "eu-soil",
        "note_id": note.pk,
        "indicator_key": indicator.key,
        "indicator_id": indicator.pk,
        "measurement_id": measurement.pk,
        # Someone else's notification: only its recipient may open it.
        "notification_id": Notification.objects.create(
            recipient=UserFactory(), organisation=organisation, kind="mention", url="/"
        ).pk,
        # Another person's authenticator app: there is none with this id.
        "device_id": 0,
        # Password reset links: a well-formed link that is not valid for anyone.
        "uidb64": "MQ",
        "token": "not-a-valid-token",
    }


def _steward(values: dict[str, object]):
    """A person of a third organisation who looks after one indicator of this one, with a push
    token: they may open their steward pages and nothing of the organisation's own.

    Without the indicator-steward models (an older tree), the steward is only a member of
    another organisation, and gets 404 everywhere here like any stranger."""
    third = OrganisationFactory(name="Statistics Office", slug="statistics")
    user = UserFactory(email="steward@example.gov")
    MembershipFactory(user=user, organisation=third, role="editor")
    steward_model = getattr(indicator_models, "IndicatorSteward", None)
    if steward_model is not None:
        indicator = indicator_models.Indicator.objects.get(pk=values["indicator_id"])
        values["steward_id"] = steward_model.objects.create(indicator=indicator, user=user).pk
        values["token_id"] = indicator_models.IndicatorPushToken.objects.create(
            user=user, name="Secret system", token_hash="1" * 64, prefix="lsp_secret"
        ).pk
    return user


def _theory_of_change(values: dict[str, object], editor) -> None:
    """A step leading to another, for the theory-of-change addresses (when the app has them)."""
    try:
        from evaluation.toc import services as toc_services
    except ImportError:
        return
    mission = Mission.objects.get(key=values["mission_key"])
    start = toc_services.node_create(
        by=editor, mission=mission, kind="activity", title="Secret step", key="secret-step"
    )
    end = toc_services.node_create(
        by=editor, mission=mission, kind="outcome", title="Secret outcome", key="secret-end"
    )
    link = toc_services.link_create(by=editor, mission=mission, from_node=start, to_node=end)
    values.update({"step_key": start.key, "link_id": link.pk})


def _participation(values: dict[str, object], lead):
    """The mission published with a consultation, an idea and a report on it; returns the
    participant who sent them in."""
    from participation import services as participation_services
    from participation.tests.factories import participant, published_consultation

    mission = Mission.objects.get(key=values["mission_key"])
    consultation = published_consultation(mission, lead)
    person = participant()
    idea = participation_services.idea_submit(
        participant=person, consultation=consultation, title="Secret idea", body="A secret idea."
    )
    report = participation_services.report(
        participant=participant(), idea=idea, reason="A secret report."
    )
    values.update({"key": consultation.key, "number": idea.number, "report_id": report.pk})
    return person


def _scene(member, organisation, outsider) -> Scene:
    people = {role: member(role) for role in permissions.MEMBER_ROLES}
    values = _first_organisation_objects(organisation)
    _theory_of_change(values, people["editor"])
    people.update({ANONYMOUS: None, OUTSIDER: outsider, STEWARD: _steward(values)})
    people[PARTICIPANT] = _participation(values, people["lead"])
    _api(values, organisation, people["admin"])
    return Scene(values=values, people=people)


def _api(values: dict[str, object], organisation, admin) -> None:
    """An API token and a webhook with one delivery, for the administrators' API pages (when
    the app has them)."""
    try:
        from api import services as api_services
        from api import webhooks
    except ImportError:
        return
    token, _secret = api_services.token_create(
        by=None, organisation=organisation, name="Secret system", role="read"
    )
    endpoint = webhooks.endpoint_create(
        by=admin,
        organisation=organisation,
        url="https://secret.example.gov/hook",
        events=["mission.proposed"],
    )
    (delivery,) = webhooks.publish(
        organisation_id=organisation.pk, event="mission.proposed", data={"secret": True}
    )
    values.update(
        {"api_token_id": token.pk, "endpoint_id": endpoint.pk, "delivery_id": delivery.pk}
    )


def _take_part(client: Client, participant) -> None:
    """Sign a participant in, as following their e-mailed link does."""
    from django.conf import settings

    from participation.session import SESSION_KEY

    store = client.session
    store[SESSION_KEY] = participant.pk
    store.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key


def _table_urls() -> list[tuple[str, list[str]]]:
    return [
        (name, params)
        for name, _route, params in app_urls(permissions.EXCLUDED_PREFIXES)
        if name and name not in permissions.EXCLUDED
    ]


def _writes() -> dict[str, tuple[int, int, int]]:
    """Rows inserted, updated and deleted so far in this transaction, per table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        rows = cursor.fetchall()
    return {
        name: tuple(counts)
        for name, *counts in rows
        if name not in BOOKKEEPING_TABLES and not name.startswith(BOOKKEEPING_PREFIXES)
    }


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(name for name in after if after[name] != before.get(name))


def _sent_to_sign_in(response) -> bool:
    """The sign-in redirect for a page that needs a signed-in user (it carries ?next=)."""
    return (
        response.status_code == 302
        and response.url.startswith(reverse("accounts:login"))
        and "next=" in response.url
    )


def _verdict(role: str, allowed: frozenset, response, scoped: bool, refused: int) -> str | None:
    """What is wrong with this answer, or None. `scoped`: the URL names an organisation or one
    of its objects, so a stranger is told it does not exist. `refused`: what a signed-in person
    without the right gets otherwise (403, or 404 where even knowing the object is a right)."""
    status = response.status_code
    if isinstance(allowed, No) and role in allowed:
        return None if status == 405 else "table says 405 (method not accepted)"
    if role in allowed and not isinstance(allowed, No):
        if status >= 500 or status in (401, 403, 404, 405) or _sent_to_sign_in(response):
            return "table says allowed"
        return None
    if role == ANONYMOUS:
        return None if _sent_to_sign_in(response) else "table says: send to sign-in"
    if role == PARTICIPANT:
        return None if status == 404 else "table says 404 (participants see public pages only)"
    if role in (OUTSIDER, STEWARD) and scoped:
        return None if status == 404 else "table says 404 (another organisation)"
    if status == refused:
        return None
    return f"table says refused ({refused})"


def _request(client, method: str, url: str):
    send = getattr(client, method.lower())
    if method == "GET":
        return send(url)
    return send(url, PAYLOAD)


def _check_role(scene: Scene, role: str) -> tuple[list[str], int, set[str]]:
    client = Client(raise_request_exception=False)  # a crash is a 500 to report, not to raise
    user = scene.people[role]
    participant = user if role == PARTICIPANT else None
    if participant is not None:
        user = None
        _take_part(client, participant)
    elif user is not None:
        client.force_login(user)
    failures, checked, detected_writes = [], 0, set()
    for name, params in _table_urls():
        entry = permissions.TABLE.get(name)
        if entry is None:
            continue  # reported by test_every_url_has_a_line_in_the_permission_table
        unknown = [p for p in params if p not in scene.values]
        if unknown:
            failures.append(f"{name}: add a value for {unknown} to _first_organisation_objects")
            continue
        url = reverse(name, kwargs={p: scene.values[p] for p in params})
        methods = {m: who for m, who in entry.items() if m != "refused"}
        for method, allowed in methods.items():
            before = _writes()
            with transaction.atomic():
                response = _request(client, method, url)
                after = _writes()
                transaction.set_rollback(True)
            checked += 1
            status = response.status_code
            problem = _verdict(role, allowed, response, bool(params), entry.get("refused", 403))
            wrote = _changed(before, after)
            if wrote:
                detected_writes.add(f"{name} {method}")
            if not problem and wrote and (role not in allowed or isinstance(allowed, (Reads, No))):
                problem = f"refused or read-only, yet wrote to {', '.join(wrote)}"
            if problem:
                where = f" → {response.url}" if status in (301, 302) else ""
                failures.append(f"{name} {method} as {role} → {status}{where}, {problem}")
            session = client.cookies.get("sessionid")
            if user is not None and (session is None or not session.value):
                client.force_login(user)  # signed out (accounts:logout): sign in again
            if participant is not None and not client.session.get("participation.participant"):
                _take_part(client, participant)  # signed out (public:sign_out): again
    return failures, checked, detected_writes


def test_every_url_has_a_line_in_the_permission_table():
    names = [name for name, _params in _table_urls()]
    unnamed = [
        route for name, route, _params in app_urls(permissions.EXCLUDED_PREFIXES) if not name
    ]
    missing = sorted(set(names) - set(permissions.TABLE))
    stale = sorted(set(permissions.TABLE) - set(names))
    assert not unnamed, f"give these routes a name, then a line in tests/permissions.py: {unnamed}"
    assert not missing, f"add a line to tests/permissions.py TABLE for: {missing}"
    assert not stale, f"these lines in tests/permissions.py name no URL any more: {stale}"
    assert not set(permissions.EXCLUDED) - {n for n, _r, _p in app_urls()}, "stale exclusion"


def test_the_matrix_covers_the_organisation_pages():
    names = {name for name, _params in organisation_scoped_urls()}
    assert {
        "accounts:organisation",
        "accounts:members",
        "accounts:member_role",
        "accounts:member_remove",
    } <= names
    assert names <= set(permissions.TABLE), "every organisation URL is in the table"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_permission_matrix(member, organisation, outsider, role):
    scene = _scene(member, organisation, outsider)
    failures, checked, detected_writes = _check_role(scene, role)
    assert not failures, f"{len(failures)} answers disagree with tests/permissions.py:\n" + (
        "\n".join(failures)
    )
    assert checked >= 2 * len(permissions.TABLE)  # every line: GET and at least one write
    if role in ("lead", "admin"):
        # The write detector can see: the allowed archive was written (and rolled back), so
        # the "wrote nothing" checks above are not blind.
        assert "missions:archive POST" in detected_writes, detected_writes


@pytest.mark.django_db
def test_refused_writes_leave_another_organisations_data_as_it_was(
    client, member, organisation, outsider
):
    """The stranger's POSTs to every URL (the matrix checks the answers) leave the objects
    exactly as they were: seen the way their owners see them."""
    scene = _scene(member, organisation, outsider)
    client.force_login(outsider)
    for name, params in organisation_scoped_urls():
        if set(params) <= set(scene.values):  # else the matrix asks for a value
            client.post(reverse(name, kwargs={p: scene.values[p] for p in params}), PAYLOAD)
    assert Membership.objects.filter(organisation=organisation, user=outsider).count() == 0
    assert not Membership.objects.filter(user__email=PAYLOAD["email"]).exists()
    mission = Mission.objects.get(organisation=organisation, key="secret-mission")
    assert (mission.status, mission.archived_at) == ("draft", None)
    assert mission.targets.count() == 1
    assert Milestone.objects.filter(target__mission=mission).count() == 1
    stakeholder = Stakeholder.objects.get(key="secret-stakeholder")
    assert (stakeholder.power, stakeholder.interest, stakeholder.version) == (2, 4, 1)
    assert EngagementActivity.objects.filter(mission=mission).count() == 1
    comment = CanvasComment.objects.get(mission=mission)
    assert (comment.text, comment.resolved_at) == ("A secret comment.", None)
    assert [
        (m.value, m.is_current) for m in Measurement.objects.filter(indicator__mission=mission)
    ] == [(1, True)]
    assert GeneratedDocument.objects.filter(organisation=organisation).count() == 1
