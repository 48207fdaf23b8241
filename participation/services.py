"""Writes for the public side of a mission.

Staff (`by: User`) publish and withdraw a mission's public page, run consultations, moderate and
answer ideas; consultations and answers are mission parts, changed through the kernel
(`missions.parts`), so history, audit and re-assessment are the same as for any other part.

Participants (`participant: Participant`, never a `User`) sign up, send in ideas, support and
comment on them and report abuse. Their writes are checked against the spam limits here, not in
the views, so every way in obeys them.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.mail import send_after_commit
from accounts.models import Language, User
from canvas import services as canvas_services
from missions import hooks, parts
from missions import services as mission_services
from missions.models import ChangeAction, Mission, MissionProject, Origin
from missions.snapshots import current_document
from participation import public
from participation.models import (
    Answer,
    Comment,
    Consultation,
    Idea,
    Participant,
    Publication,
    Report,
    Support,
)
from stakeholders import services as stakeholder_services
from stakeholders.models import Stakeholder

CONSULTATION_FIELDS = frozenset(
    {"title", "purpose", "decision_by", "opens_on", "closes_on", "questions", "themes"}
)
CONSULTATION = parts.PartKind("consultation", CONSULTATION_FIELDS, named_by="title")
# Staff's answer to an idea, and what it became: published beside the idea.
ANSWER = parts.PartKind(
    "answer to an idea",
    frozenset({"answer", "response", "merged_into", "project", "stakeholder", "canvas_box"}),
)
MODERATION = parts.PartKind(
    "moderation of an idea",
    frozenset({"hidden_at", "hidden_reason"}),
    permission="participation.moderate",
    refusal=gettext_lazy("Only editors, leads and administrators moderate ideas."),
)

# Spam limits. Counted in PostgreSQL (not a cache), so every web process sees the same count.
LINKS_PER_HOUR = 3  # sign-in links e-mailed to one address
IDEAS_PER_HOUR = 5
IDEAS_PER_HOUR_NEW = 2  # in an account's first day
COMMENTS_PER_HOUR = 20
COMMENTS_PER_HOUR_NEW = 5
REPORTS_PER_HOUR = 10
NEW_ACCOUNT = datetime.timedelta(days=1)
LINKS_IN_IDEA = 2
LINKS_IN_COMMENT = 1
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
SIGN_IN_SALT = "participation.sign-in"
SIGN_IN_MAX_AGE = 2 * 24 * 3600


class Refused(ValidationError):
    """A participant's write that the rules or the limits refuse, with what to tell them."""


# --- Publishing ------------------------------------------------------------------------------


@transaction.atomic
def publish(
    *,
    by: User,
    mission: Mission,
    introduction: str,
    second_language: str = "",
    second_statement: str = "",
    second_introduction: str = "",
) -> Publication:
    """Show the mission to the public as it is now. Publishing again replaces the public copy;
    nothing changed after this moment shows until then. A bilingual country's page can carry
    the statement and introduction in a second language too."""
    parts.require_editable(
        by,
        mission,
        permission="participation.publish_mission",
        refusal=_("Only leads and administrators publish a mission."),
    )
    introduction = introduction.strip()
    if len(introduction) > 1000:
        raise ValidationError({"introduction": _("Keep the introduction to 1,000 characters.")})
    second = _second_language(second_language, second_statement, second_introduction)
    document = public.public_copy(current_document(mission))
    publication, created = Publication.objects.select_for_update().get_or_create(
        mission=mission,
        defaults={
            "document": document,
            "introduction": introduction,
            **second,
            "published_at": timezone.now(),
            "published_by": by,
        },
    )
    if not created:
        publication.document = document
        publication.introduction = introduction
        for field, value in second.items():
            setattr(publication, field, value)
        publication.published_at = timezone.now()
        publication.published_by = by
        publication.withdrawn_at = None
        publication.save()
    parts.record_change(
        mission=mission,
        user=by,
        action=ChangeAction.CREATED if created else ChangeAction.UPDATED,
        object_type="public page",
        object_key=mission.key,
        changes={"published": [None, publication.published_at.isoformat()]},
    )
    return publication


def _second_language(language: str, statement: str, introduction: str) -> dict[str, str]:
    """The second language's words, checked: a language with a statement, or nothing."""
    statement, introduction = statement.strip(), introduction.strip()
    if not language:
        if statement or introduction:
            raise ValidationError(
                {"second_language": _("Choose the language the second text is written in.")}
            )
        return {"second_language": "", "second_statement": "", "second_introduction": ""}
    if language not in Language.values:
        raise ValidationError({"second_language": _("Choose one of the languages offered.")})
    if not statement:
        raise ValidationError(
            {"second_statement": _("Write the mission statement in the second language.")}
        )
    for field, text in (("second_statement", statement), ("second_introduction", introduction)):
        if len(text) > 1000:
            raise ValidationError({field: _("Keep it to 1,000 characters.")})
    return {
        "second_language": language,
        "second_statement": statement,
        "second_introduction": introduction,
    }


@transaction.atomic
def withdraw(*, by: User, mission: Mission) -> None:
    """Take the public page down (its consultations close to the public with it)."""
    parts.require_editable(
        by,
        mission,
        permission="participation.publish_mission",
        refusal=_("Only leads and administrators withdraw a public page."),
    )
    now = timezone.now()
    if Publication.objects.filter(mission=mission, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    ):
        parts.record_change(
            mission=mission,
            user=by,
            action=ChangeAction.DELETED,
            object_type="public page",
            object_key=mission.key,
            changes={"withdrawn": [None, now.isoformat()]},
        )


# --- Consultations ---------------------------------------------------------------------------


def consultation_create(*, by: User, mission: Mission, title: str, **fields: Any) -> Consultation:
    parts.check_fields(fields, CONSULTATION_FIELDS)
    consultation = Consultation(
        mission=mission,
        key=parts.unique_key(mission.consultations.all(), title, fallback="consultation"),
        title=title.strip(),
        **fields,
    )
    return parts.create_part(
        CONSULTATION, consultation, by=by, mission=mission, recorded=["title", *fields]
    )


def consultation_update(
    *, by: User, consultation: Consultation, expected_version: int, **fields: Any
) -> Consultation:
    return parts.update_part(
        CONSULTATION,
        consultation,
        by=by,
        mission=consultation.mission,
        expected_version=expected_version,
        fields=fields,
    )


# --- Moderation and answers --------------------------------------------------------------------


def idea_hide(*, by: User, idea: Idea, reason: str) -> Idea:
    """Hide an idea from the public, telling its author why."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"hidden_reason": _("Say why it is hidden: its author is told.")})
    hidden = parts.update_part(
        MODERATION,
        idea,
        by=by,
        mission=idea.mission,
        expected_version=idea.version,
        fields={"hidden_at": idea.hidden_at or timezone.now(), "hidden_reason": reason},
    )
    Report.objects.filter(idea=idea, comment=None, handled_at=None).update(
        handled_at=timezone.now(), handled_by=by
    )
    _tell_author(
        idea,
        subject=_("Your idea “%(title)s” was hidden") % {"title": idea.title},
        template="participation/mail/hidden.txt",
        context={"reason": reason},
    )
    return hidden


def idea_restore(*, by: User, idea: Idea) -> Idea:
    return parts.update_part(
        MODERATION,
        idea,
        by=by,
        mission=idea.mission,
        expected_version=idea.version,
        fields={"hidden_at": None, "hidden_reason": ""},
    )


@transaction.atomic
def comment_hide(*, by: User, comment: Comment, reason: str) -> None:
    mission = comment.idea.mission
    parts.require_editable(by, mission, permission="participation.moderate")
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"hidden_reason": _("Say why it is hidden: its author is told.")})
    Comment.objects.filter(pk=comment.pk).update(hidden_at=timezone.now(), hidden_reason=reason)
    Report.objects.filter(comment=comment, handled_at=None).update(
        handled_at=timezone.now(), handled_by=by
    )
    parts.record_change(
        mission=mission,
        user=by,
        action=ChangeAction.UPDATED,
        object_type="comment on an idea",
        object_key=comment.idea.key,
        changes={"hidden_reason": ["", reason]},
    )


@transaction.atomic
def report_dismiss(*, by: User, report: Report) -> None:
    """The moderator looked and found nothing wrong."""
    parts.require_editable(by, report.idea.mission, permission="participation.moderate")
    Report.objects.filter(pk=report.pk, handled_at=None).update(
        handled_at=timezone.now(), handled_by=by
    )


@transaction.atomic
def participant_ban(*, by: User, idea: Idea, reason: str) -> Participant | None:
    """Ban the author of `idea` from taking part anywhere (they are told why); what they sent in
    stays as moderated."""
    if not by.has_perm("participation.ban_participant", idea.mission):
        raise PermissionDenied(_("Only leads and administrators ban participants."))
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"ban_reason": _("Say why: the participant is told.")})
    participant = idea.participant
    if participant is None or participant.is_banned:
        return participant
    participant.banned_at = timezone.now()
    participant.ban_reason = reason
    participant.save(update_fields=["banned_at", "ban_reason"])
    send_after_commit(
        subject=_("You can no longer take part"),
        body=render_to_string(
            "participation/mail/banned.txt", {"participant": participant, "reason": reason}
        ),
        to=[participant.email],
    )
    return participant


@transaction.atomic
def representative_verify(*, by: User, idea: Idea) -> Participant | None:
    """Vouch that the author of `idea` speaks for the organisation they named; their ideas from
    now on show it."""
    if not by.has_perm("participation.verify_representative", idea.mission):
        raise PermissionDenied(_("Only leads and administrators verify representatives."))
    participant = idea.participant
    if participant is None or not participant.organisation_name:
        return participant
    if participant.organisation_verified_at is None:
        participant.organisation_verified_at = timezone.now()
        participant.organisation_verified_by = by
        participant.save(update_fields=["organisation_verified_at", "organisation_verified_by"])
        # The ideas they sent in for the organisation now say so; those sent as themselves
        # stay theirs.
        Idea.objects.filter(participant=participant, for_organisation=True).update(
            on_behalf_of=participant.organisation_name
        )
    return participant


def idea_answer(
    *,
    by: User,
    idea: Idea,
    expected_version: int,
    answer: str,
    response: str,
    merged_into: Idea | None = None,
) -> Idea:
    """Publish what came of an idea, with the reason. The author hears of it by e-mail."""
    if answer != Answer.MERGED:
        merged_into = None
    elif merged_into is None or merged_into.consultation_id != idea.consultation_id:
        raise ValidationError({"merged_into": _("Choose the idea of this consultation it joins.")})
    elif merged_into.pk == idea.pk:
        raise ValidationError({"merged_into": _("An idea cannot be merged into itself.")})
    if answer != Answer.PENDING and not response.strip():
        raise ValidationError({"response": _("Say what was done with the idea, and why.")})
    before = idea.answer

    def stamp(part: Idea) -> None:
        part.responded_at = timezone.now() if part.answer != Answer.PENDING else None

    answered = parts.update_part(
        ANSWER,
        idea,
        by=by,
        mission=idea.mission,
        expected_version=expected_version,
        fields={"answer": answer, "response": response.strip(), "merged_into": merged_into},
        prepare=stamp,
    )
    if answered.version != expected_version and answered.answer != Answer.PENDING:
        _tell_author(
            answered,
            subject=_("What came of your idea “%(title)s”") % {"title": idea.title},
            template="participation/mail/answered.txt",
            context={"answer": answered.get_answer_display(), "was": before},
        )
    return answered


@transaction.atomic
def idea_to_project(*, by: User, idea: Idea, title: str = "") -> MissionProject:
    """Turn an idea into a proposed project of the mission (origin "an idea from citizens or
    civil society"), keeping the link both ways. The public answer is published separately."""
    if idea.project_id is not None:
        return idea.project  # type: ignore[return-value]
    project = mission_services.project_create(
        by=by,
        mission=idea.mission,
        title=(title or idea.title).strip(),
        description=(
            _("From the idea “%(title)s” sent in to the consultation “%(c)s”.\n\n%(body)s")
            % {"title": idea.title, "c": idea.consultation.title, "body": idea.body}
        )[:2000],
        origin=Origin.CITIZEN_IDEA,
    )
    parts.update_part(
        ANSWER,
        idea,
        by=by,
        mission=idea.mission,
        expected_version=idea.version,
        fields={"project": project},
    )
    return project


@transaction.atomic
def idea_to_stakeholder(*, by: User, idea: Idea) -> Stakeholder:
    """Bring the civil-society organisation an idea was sent in for onto the mission's
    stakeholder map (civil society, a citizen group, interested), keeping the link."""
    if idea.stakeholder_id is not None:
        return idea.stakeholder  # type: ignore[return-value]
    if not idea.on_behalf_of:
        raise ValidationError(
            _("Only an idea sent in for a verified organisation brings in a stakeholder.")
        )
    stakeholder = stakeholder_services.stakeholder_create(
        by=by,
        mission=idea.mission,
        name=idea.on_behalf_of,
        helix="civil_society",
        roles=["citizen_group"],
        power=2,
        interest=4,
    )
    parts.update_part(
        ANSWER,
        idea,
        by=by,
        mission=idea.mission,
        expected_version=idea.version,
        fields={"stakeholder": stakeholder},
    )
    return stakeholder


@transaction.atomic
def idea_to_canvas(*, by: User, idea: Idea, box_key: str) -> None:
    """Quote an idea as evidence on a canvas box (a comment the box's editors see beside their
    text, which stays theirs to change), keeping the link."""
    canvas_services.canvas_comment_add(
        by=by,
        mission=idea.mission,
        box_key=box_key,
        text=(
            _("From the public (idea %(number)s, “%(title)s”): %(body)s")
            % {"number": idea.number, "title": idea.title, "body": idea.body}
        )[:1000],
    )
    parts.update_part(
        ANSWER,
        idea,
        by=by,
        mission=idea.mission,
        expected_version=idea.version,
        fields={"canvas_box": box_key},
    )


def _tell_author(idea: Idea, *, subject: str, template: str, context: dict[str, Any]) -> None:
    participant = idea.participant
    if participant is None or participant.is_banned:
        return
    send_after_commit(
        subject=subject,
        body=render_to_string(
            template,
            {
                "idea": idea,
                "participant": participant,
                "link": settings.LODESTAR_SITE_URL + idea_link(idea),
                **context,
            },
        ),
        to=[participant.email],
    )


def idea_link(idea: Idea) -> str:
    """The idea's public address, as a path (mails prefix the site's address)."""
    return reverse(
        "public:idea",
        args=[idea.mission.organisation.slug, idea.mission.key, idea.consultation.key, idea.number],
    )


# --- Participants ------------------------------------------------------------------------------


def sign_in_token(participant: Participant) -> str:
    return signing.dumps({"p": participant.pk, "e": participant.email}, salt=SIGN_IN_SALT)


def participant_from_token(token: str) -> Participant | None:
    """The participant a link was sent to, if the link is genuine, recent and for the address
    they still have; it confirms the address."""
    try:
        data = signing.loads(token, salt=SIGN_IN_SALT, max_age=SIGN_IN_MAX_AGE)
    except signing.BadSignature:
        return None
    participant = Participant.objects.filter(pk=data.get("p"), email=data.get("e")).first()
    if participant is not None and participant.confirmed_at is None:
        participant.confirmed_at = timezone.now()
        participant.save(update_fields=["confirmed_at"])
    return participant


@transaction.atomic
def send_sign_in_link(
    *, email: str, display_name: str = "", organisation_name: str = "", site: str, next_path: str
) -> None:
    """Sign up (a new address) or sign in (a known one) by a link e-mailed to the address. The
    page says the same either way, so it does not tell who takes part. At most
    `LINKS_PER_HOUR` links go to one address in an hour."""
    email = email.strip().lower()
    participant = Participant.objects.select_for_update().filter(email=email).first()
    if participant is None:
        if not display_name.strip():
            raise ValidationError({"display_name": _("Choose a display name.")})
        participant = Participant.objects.create(
            email=email,
            display_name=display_name.strip(),
            organisation_name=organisation_name.strip(),
        )
    now = timezone.now()
    if participant.links_window_from is None or now - participant.links_window_from > (
        datetime.timedelta(hours=1)
    ):
        participant.links_window_from, participant.links_sent = now, 0
    if participant.links_sent >= LINKS_PER_HOUR:
        # Silently: telling would let anyone probe which addresses take part.
        return
    participant.links_sent += 1
    participant.save(update_fields=["links_window_from", "links_sent"])
    link = site + reverse("public:sign_in_link", args=[sign_in_token(participant)])
    if next_path:
        link += "?" + urlencode({"next": next_path})
    send_after_commit(
        subject=_("Your link to take part"),
        body=render_to_string(
            "participation/mail/sign_in.txt", {"participant": participant, "link": link}
        ),
        to=[email],
    )


def _may_take_part(participant: Participant) -> None:
    if participant.is_banned:
        raise Refused(
            _("You can no longer take part: %(reason)s") % {"reason": participant.ban_reason}
        )
    if not participant.is_confirmed:
        raise Refused(_("Confirm your e-mail address first: follow the link we sent you."))


def _within(count: int, limit: int, refusal: str) -> None:
    """Refuses with `refusal` (a whole sentence, so each language can word it) at the limit."""
    if count >= limit:
        raise Refused(refusal % {"limit": limit})


def _is_new(participant: Participant) -> bool:
    return timezone.now() - participant.created_at < NEW_ACCOUNT


def _links_within(text: str, limit: int, field: str) -> None:
    if len(LINK.findall(text)) > limit:
        raise ValidationError(
            {
                field: ngettext(
                    "Include at most %(limit)d link.",
                    "Include at most %(limit)d links.",
                    limit,
                )
                % {"limit": limit}
            }
        )


def _hour_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=1)


@transaction.atomic
def idea_submit(
    *,
    participant: Participant,
    consultation: Consultation,
    title: str,
    body: str,
    place: str = "",
    theme: str = "",
    on_behalf: bool = False,
) -> Idea:
    """Send in an idea. Numbers are given under a lock on the consultation, so ideas sent at the
    same moment each get their own and none is lost."""
    _may_take_part(participant)
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not locked.is_open() or not public.is_published(locked.mission_id):
        raise Refused(_("This consultation is not open for ideas."))
    limit = IDEAS_PER_HOUR_NEW if _is_new(participant) else IDEAS_PER_HOUR
    _within(
        participant.ideas.filter(created_at__gte=_hour_ago()).count(),
        limit,
        ngettext(
            "You have sent in %(limit)d idea in the last hour, the most we take. Please try again later.",
            "You have sent in %(limit)d ideas in the last hour, the most we take. Please try again later.",
            limit,
        ),
    )
    _links_within(body, LINKS_IN_IDEA, "body")
    if theme and theme not in locked.theme_list:
        raise ValidationError({"theme": _("Choose one of the consultation's themes.")})
    if on_behalf and not participant.organisation_name:
        raise ValidationError(
            {"on_behalf": _("Name the organisation you represent when you sign up first.")}
        )
    number = (locked.ideas.aggregate(top=Max("number"))["top"] or 0) + 1
    idea = Idea(
        mission_id=locked.mission_id,
        consultation=locked,
        number=number,
        participant=participant,
        author_name=participant.display_name,
        for_organisation=on_behalf,
        on_behalf_of=participant.verified_organisation if on_behalf else "",
        title=" ".join(title.split()),
        body=body.strip(),
        place=" ".join(place.split()),
        theme=theme,
    )
    idea.full_clean(exclude=["mission", "consultation", "participant"])
    idea.save()
    # The criteria read how many took part.
    hooks.mission_changed(locked.mission_id)
    return idea


def idea_support(*, participant: Participant, idea: Idea) -> bool:
    """Support an idea once. Returns whether this was new."""
    _may_take_part(participant)
    if idea.is_hidden or not idea.consultation.is_open():
        raise Refused(_("Ideas can be supported only while the consultation is open."))
    if idea.participant_id == participant.pk:
        raise Refused(_("You cannot support your own idea."))
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, participant=participant)
    except IntegrityError:
        return False
    hooks.mission_changed(idea.mission_id)
    return True


@transaction.atomic
def comment_add(*, participant: Participant, idea: Idea, body: str) -> Comment:
    _may_take_part(participant)
    if idea.is_hidden or not idea.consultation.is_open():
        raise Refused(_("Comments are taken only while the consultation is open."))
    limit = COMMENTS_PER_HOUR_NEW if _is_new(participant) else COMMENTS_PER_HOUR
    _within(
        participant.comments.filter(created_at__gte=_hour_ago()).count(),
        limit,
        ngettext(
            "You have sent in %(limit)d comment in the last hour, the most we take. Please try again later.",
            "You have sent in %(limit)d comments in the last hour, the most we take. Please try again later.",
            limit,
        ),
    )
    _links_within(body, LINKS_IN_COMMENT, "body")
    comment = Comment(
        idea=idea, participant=participant, author_name=participant.display_name, body=body.strip()
    )
    comment.full_clean(exclude=["idea", "participant"])
    comment.save()
    return comment


@transaction.atomic
def report(
    *, participant: Participant, idea: Idea, reason: str, comment: Comment | None = None
) -> Report:
    _may_take_part(participant)
    _within(
        participant.reports.filter(created_at__gte=_hour_ago()).count(),
        REPORTS_PER_HOUR,
        ngettext(
            "You have sent in %(limit)d report in the last hour, the most we take. Please try again later.",
            "You have sent in %(limit)d reports in the last hour, the most we take. Please try again later.",
            REPORTS_PER_HOUR,
        ),
    )
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong with it.")})
    made = Report(idea=idea, comment=comment, participant=participant, reason=reason)
    made.full_clean(exclude=["idea", "comment", "participant"])
    made.save()
    return made


@transaction.atomic
def participant_forget(*, participant: Participant) -> None:
    """Delete a participant's personal data. What they sent in stays, without their name."""
    Idea.objects.filter(participant=participant).update(author_name="", participant=None)
    Comment.objects.filter(participant=participant).update(author_name="", participant=None)
    participant.delete()
