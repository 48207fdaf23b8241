"""Reads for Home (a person's work queue) and for search. Every list starts from
`visible_to(user)`, and each is one query whatever the number of rows: Home reads a fixed
number of queries for any person (pinned in workspace/tests/test_home.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Replace

from accounts.models import Membership, Organisation, Role, User
from canvas.models import CanvasBox, CanvasBoxRevision, CanvasComment
from documents.models import GeneratedDocument
from evaluation.indicators.models import Indicator
from evaluation.models import CriterionVerdict
from inbox.models import Kind, Notification
from inbox.selectors import notifications_for
from missions.models import Actor, Mission, MissionChange, MissionProject, MissionStatus, Target
from portfolios.models import Decision, ReviewDecision

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Home views closer together than this are one visit: "changed since your last visit" counts
# from the start of the visit before.
VISIT_GAP = datetime.timedelta(minutes=30)
LIST_LIMIT = 20
ACTIVITY_LIMIT = 10
UNREAD_LIMIT = 5
# Unread notifications written to the person (a mention, a reply, an invitation); the others
# (a proposal, a decision) already have their own place in the queue.
ADDRESSED_KINDS = (Kind.MENTION, Kind.COMMENT_REPLY, Kind.STEWARD_INVITED, Kind.REVIEW_DUE)

REVIEWING_ROLES = {Role.REVIEWER}
DECIDING_ROLES = {Role.LEAD, Role.ADMIN}


class _YourMissionFacts(TypedDict):
    changes_since: int
    latest_decision: str | None
    latest_decision_comments: str | None


class _ReviewFacts(TypedDict):
    rated_by_you: int


@dataclass
class WorkQueue:
    """What Home shows a person: their missions and what waits for them."""

    since: datetime.datetime | None
    missions: list[WithAnnotations[Mission, _YourMissionFacts]]
    changes_requested: list[WithAnnotations[Mission, _YourMissionFacts]]
    to_review: list[WithAnnotations[Mission, _ReviewFacts]]
    to_decide: list[Mission]
    open_comments: list[CanvasComment]
    overdue_indicators: list[Indicator]
    documents: list[GeneratedDocument]
    activity: list[MissionChange]
    unread: list[Notification] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)

    @property
    def waiting_count(self) -> int:
        return (
            len(self.changes_requested)
            + len(self.to_review)
            + len(self.to_decide)
            + len(self.open_comments)
            + len(self.overdue_indicators)
            + len(self.unread)
        )


def _worked_on(user: User) -> Q:
    """Missions the person started, changed, wrote canvas text for, commented on or rated."""
    return (
        Q(created_by=user)
        | Q(Exists(MissionChange.objects.filter(mission=OuterRef("pk"), user=user)))
        | Q(Exists(CanvasBoxRevision.objects.filter(mission=OuterRef("pk"), user=user)))
        | Q(Exists(CanvasComment.objects.filter(mission=OuterRef("pk"), author=user)))
        | Q(Exists(CriterionVerdict.objects.filter(mission=OuterRef("pk"), reviewer=user)))
    )


def your_missions(
    user: User, *, since: datetime.datetime | None
) -> QuerySet[WithAnnotations[Mission, _YourMissionFacts]]:
    """The person's missions, each with how many changes others made since `since` and the
    latest portfolio decision on it."""
    changes_by_others = (
        MissionChange.objects.filter(mission=OuterRef("pk"), at__gt=since)
        .exclude(user=user)
        .values("mission")
        .annotate(n=Count("pk"))
        .values("n")
        if since is not None
        else None
    )
    latest_decision = ReviewDecision.objects.filter(mission=OuterRef("pk")).order_by(
        "-decided_at", "-pk"
    )
    return (
        Mission.objects.visible_to(user)
        .filter(_worked_on(user), archived_at__isnull=True)
        .select_related("organisation")
        .annotate(
            changes_since=(
                Coalesce(Subquery(changes_by_others, output_field=IntegerField()), 0)
                if changes_by_others is not None
                else Value(0, output_field=IntegerField())
            ),
            latest_decision=Subquery(latest_decision.values("decision")[:1]),
            latest_decision_comments=Subquery(latest_decision.values("comments")[:1]),
        )
        .order_by("-updated_at", "pk")
    )


def _proposed_in(organisation_ids: list[int]) -> QuerySet[Mission]:
    return (
        Mission.objects.filter(
            organisation_id__in=organisation_ids,
            status=MissionStatus.PROPOSED,
            archived_at__isnull=True,
        )
        .select_related("organisation")
        .order_by("updated_at", "pk")  # the longest waiting first
    )


def work_queue(
    user: User, memberships: list[Membership], *, since: datetime.datetime | None
) -> WorkQueue:
    roles_by_organisation = {m.organisation_id: m.role for m in memberships}
    reviewing = [o for o, role in roles_by_organisation.items() if role in REVIEWING_ROLES]
    deciding = [o for o, role in roles_by_organisation.items() if role in DECIDING_ROLES]

    missions = list(your_missions(user, since=since)[:LIST_LIMIT])
    changes_requested = [
        m
        for m in missions
        if m.latest_decision == Decision.REQUEST_CHANGES and m.status == MissionStatus.DRAFT
    ]
    to_review = (
        list(
            _proposed_in(reviewing).annotate(
                rated_by_you=Count(
                    "verdicts__criterion", filter=Q(verdicts__reviewer=user), distinct=True
                )
            )[:LIST_LIMIT]
        )
        if reviewing
        else []
    )
    to_decide = list(_proposed_in(deciding)[:LIST_LIMIT]) if deciding else []
    open_comments = list(
        CanvasComment.objects.filter(
            mission__in=Mission.objects.visible_to(user).filter(_worked_on(user)),
            resolved_at__isnull=True,
        )
        .exclude(author=user)
        .select_related("mission__organisation", "author")
        .order_by("-created_at", "-pk")[:LIST_LIMIT]
    )
    overdue_indicators = list(
        Indicator.objects.visible_to(user)
        .filter(owner=user, overdue_since__isnull=False)
        .select_related("mission__organisation")
        .order_by("overdue_since", "pk")[:LIST_LIMIT]
    )
    documents = list(
        GeneratedDocument.objects.visible_to(user)
        .filter(requested_by=user)
        .select_related("organisation")
        .order_by("-queued_at", "-pk")[:5]
    )
    activity = list(
        MissionChange.objects.visible_to(user)
        .exclude(user=user)
        .select_related("mission__organisation", "user")
        .order_by("-at", "-pk")[:ACTIVITY_LIMIT]
    )
    unread = list(
        notifications_for(user).filter(read_at__isnull=True, kind__in=ADDRESSED_KINDS)[
            :UNREAD_LIMIT
        ]
    )
    return WorkQueue(
        unread=unread,
        since=since,
        missions=missions,
        changes_requested=changes_requested,
        to_review=to_review,
        to_decide=to_decide,
        open_comments=open_comments,
        overdue_indicators=overdue_indicators,
        documents=documents,
        activity=activity,
        roles=set(roles_by_organisation.values()),
    )


# --- Search ---------------------------------------------------------------------------------

SEARCH_LIMIT = 10
# Stored text cannot hold control characters (config/inputs.py), so these mark the matched
# words unambiguously; the template escapes the text and turns them into <mark> (highlight).
MATCH_START = "\x02"
MATCH_END = "\x03"
# ts_headline reads its text as HTML and drops anything like a tag ("a <b> c" → "a  c"), so
# angle brackets go in as these and come back out as themselves.
LESS_THAN = "\x04"
GREATER_THAN = "\x05"
# 'simple': no stemming in one language, so Spanish, Dutch or German text is found as typed.
SEARCH_CONFIG = "simple"


@dataclass
class SearchHit:
    kind: str
    title: str
    excerpt: str  # the matching passage, matched words between MATCH_START and MATCH_END
    organisation: Organisation
    mission: Mission | None
    key: Any  # the object's own key or id, where its page needs one


@dataclass
class SearchResults:
    query: str
    groups: list[tuple[str, list[SearchHit]]]

    @property
    def total(self) -> int:
        return sum(len(hits) for _, hits in self.groups)


def _ranked(queryset: QuerySet, query: SearchQuery, *fields: str) -> QuerySet:
    vector = SearchVector(*fields, config=SEARCH_CONFIG)
    shown = fields[-1]  # the longer text, whose matching passage the result shows
    return (
        queryset.annotate(rank=SearchRank(vector, query))
        .filter(rank__gt=0)
        .annotate(
            excerpt=SearchHeadline(
                Replace(
                    Replace(shown, Value("<"), Value(LESS_THAN)), Value(">"), Value(GREATER_THAN)
                ),
                query,
                config=SEARCH_CONFIG,
                start_sel=MATCH_START,
                stop_sel=MATCH_END,
                max_words=30,
                min_words=12,
            ),
        )
        .order_by("-rank", "pk")
    )


def search(user: User, text: str) -> SearchResults:
    """Missions, targets, projects, actors and canvas text of the person's organisations that
    match `text` (web-search syntax: "a phrase", -word, or), best first; five queries."""
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    visible_missions = Mission.objects.visible_to(user).values("pk")
    missions = _ranked(Mission.objects.visible_to(user), query, "title", "statement")
    targets = _ranked(Target.objects.visible_to(user), query, "title", "success_condition")
    projects = _ranked(MissionProject.objects.visible_to(user), query, "title", "description")
    actors = _ranked(Actor.objects.visible_to(user), query, "name")
    boxes = _ranked(
        CanvasBox.objects.filter(mission__in=visible_missions).exclude(text=""), query, "text"
    )
    groups = [
        (
            "missions",
            [
                SearchHit("mission", m.title, m.excerpt, m.organisation, m, None)
                for m in missions.select_related("organisation")[:SEARCH_LIMIT]
            ],
        ),
        (
            "targets",
            [
                SearchHit("target", t.title, t.excerpt, t.mission.organisation, t.mission, t.key)
                for t in targets.select_related("mission__organisation")[:SEARCH_LIMIT]
            ],
        ),
        (
            "projects",
            [
                SearchHit("project", p.title, p.excerpt, p.mission.organisation, p.mission, p.key)
                for p in projects.select_related("mission__organisation")[:SEARCH_LIMIT]
            ],
        ),
        (
            "actors",
            [
                SearchHit("actor", a.name, "", a.organisation, None, a.pk)
                for a in actors.select_related("organisation")[:SEARCH_LIMIT]
            ],
        ),
        (
            "canvas",
            [
                SearchHit(
                    "box",
                    str(b.get_box_key_display()),
                    b.excerpt,
                    b.mission.organisation,
                    b.mission,
                    b.box_key,
                )
                for b in boxes.select_related("mission__organisation")[:SEARCH_LIMIT]
            ],
        ),
    ]
    return SearchResults(query=text, groups=[(kind, hits) for kind, hits in groups if hits])
