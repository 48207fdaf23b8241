"""Who is told what: receivers for the signals the apps below send where something waits for
someone. Each finds its recipients in one query and hands them to `inbox.services.notify`,
inside the sender's transaction, so a notification exists exactly when what it tells of does.

| Event (signal) | Told | Link |
|---|---|---|
| mission proposed (missions: transition "propose") | the organisation's reviewers and leads | mission overview |
| review due (missions: transition "start_review") | the organisation's reviewers and leads | criteria |
| changes requested (portfolios: decision "request_changes") | owner, editors who worked on it | mission overview |
| any other decision (portfolios) | the mission's owner | mission overview |
| reply to a comment (canvas) | the author of the comment replied to | the reply |
| @mention in a comment (canvas) | each member mentioned | the comment |
| steward invited (evaluation) | the steward (in the inbox; the invitation is the e-mail) | the indicator |
| long PDF ready: a briefing pack (documents) | whoever asked for it | the document |
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accounts.models import User
from canvas import signals as canvas_signals
from canvas.boxes import get_box
from canvas.models import CanvasComment
from documents import signals as document_signals
from documents.models import DocumentKind, GeneratedDocument
from evaluation import signals as evaluation_signals
from evaluation.indicators.models import IndicatorSteward
from inbox import selectors
from inbox.models import Kind
from inbox.services import notify
from missions import signals as mission_signals
from missions.models import Mission
from portfolios import signals as portfolio_signals
from portfolios.models import Decision, ReviewDecision


def _name(user: User | None) -> str:
    return user.get_full_name() if user is not None else ""


def _mission_url(mission: Mission, name: str = "missions:overview") -> str:
    return reverse(name, args=[mission.organisation.slug, mission.key])


# The workflow steps that wait for someone: (kind, URL name of where they act).
TRANSITION_EVENTS = {
    "propose": (Kind.MISSION_PROPOSED, "missions:overview"),
    "start_review": (Kind.REVIEW_DUE, "evaluation:criteria"),
}


def on_mission_transitioned(
    *, mission: Mission, actor: User, transition: str, **_kwargs: Any
) -> None:
    event = TRANSITION_EVENTS.get(transition)
    if event is None:
        return
    kind, url_name = event
    notify(
        kind=kind,
        organisation_id=mission.organisation_id,
        mission_id=mission.pk,
        recipients=selectors.reviewers_and_leads(mission.organisation_id),
        by=actor,
        params={"actor": _name(actor), "mission": mission.title},
        url=_mission_url(mission, url_name),
    )


def on_decision_recorded(*, decision: ReviewDecision, actor: User, **_kwargs: Any) -> None:
    mission = decision.mission
    if decision.decision == Decision.REQUEST_CHANGES:
        kind, recipients = Kind.CHANGES_REQUESTED, selectors.owner_and_editors(mission)
    else:
        kind, recipients = Kind.DECISION_RECORDED, selectors.owner_of(mission)
    notify(
        kind=kind,
        organisation_id=mission.organisation_id,
        mission_id=mission.pk,
        recipients=recipients,
        by=actor,
        params={
            "actor": _name(actor),
            "mission": mission.title,
            "decision": decision.past_label,
        },
        url=_mission_url(mission),
    )


def on_comment_added(
    *,
    comment: CanvasComment,
    actor: User,
    replied_to: CanvasComment | None,
    mentioned: list[User],
    **_kwargs: Any,
) -> None:
    mission = comment.mission
    box = get_box(comment.box_key)
    params = {
        "actor": _name(actor),
        "mission": mission.title,
        "box": str(box.title) if box else comment.box_key,
    }
    url = _mission_url(mission, "canvas:canvas") + f"#comment-{comment.pk}"
    told: set[int] = set()
    if replied_to is not None and replied_to.author_id is not None:
        # The author may have left the organisation since: then they cannot read the reply.
        told |= {
            n.recipient_id
            for n in notify(
                kind=Kind.COMMENT_REPLY,
                organisation_id=mission.organisation_id,
                mission_id=mission.pk,
                recipients=selectors.members_among(mission.organisation_id, [replied_to.author_id]),
                by=actor,
                params=params,
                url=url,
            )
        }
    # Mentioned members (canvas.mentions found them among the members); one notification
    # each, and none for the author replied to, who has just been told.
    notify(
        kind=Kind.MENTION,
        organisation_id=mission.organisation_id,
        mission_id=mission.pk,
        recipients=[user.pk for user in mentioned if user.pk not in told],
        by=actor,
        params=params,
        url=url,
    )


def on_steward_invited(*, steward: IndicatorSteward, actor: User, **_kwargs: Any) -> None:
    indicator = steward.indicator
    organisation = indicator.mission.organisation
    notify(
        kind=Kind.STEWARD_INVITED,
        organisation_id=organisation.pk,
        mission_id=indicator.mission_id,
        # A steward is not a member: their invitation is what lets them in.
        recipients=[steward.user_id],
        by=actor,
        params={
            "actor": _name(actor),
            "indicator": str(indicator),
            "organisation": organisation.name,
        },
        url=reverse("evaluation:steward_indicator", args=[indicator.pk]),
        # The invitation e-mail has gone already (with the link to set a password).
        emailed=True,
    )


def on_document_ready(*, document: GeneratedDocument, **_kwargs: Any) -> None:
    # A canvas or a briefing is ready while its page still shows it being made; a pack of
    # many missions is the one people leave and come back to.
    if document.kind != DocumentKind.PACK or document.requested_by_id is None:
        return
    notify(
        kind=Kind.DOCUMENT_READY,
        organisation_id=document.organisation_id,
        mission_id=document.mission_id,
        recipients=selectors.members_among(document.organisation_id, [document.requested_by_id]),
        by=None,
        params={"title": document.title},
        url=reverse("documents:detail", args=[document.organisation.slug, document.pk]),
    )


def connect() -> None:
    """Called once from InboxConfig.ready; dispatch_uid keeps a second call harmless."""
    mission_signals.mission_transitioned.connect(
        on_mission_transitioned, dispatch_uid="inbox.mission_transitioned"
    )
    portfolio_signals.decision_recorded.connect(
        on_decision_recorded, dispatch_uid="inbox.decision_recorded"
    )
    canvas_signals.comment_added.connect(on_comment_added, dispatch_uid="inbox.comment_added")
    evaluation_signals.steward_invited.connect(
        on_steward_invited, dispatch_uid="inbox.steward_invited"
    )
    document_signals.document_ready.connect(on_document_ready, dispatch_uid="inbox.document_ready")
