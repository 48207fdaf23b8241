"""Writes for accounts: an organisation's settings, adding members, changing roles, removing
members."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.mail import mail_user, password_link
from accounts.models import Membership, Organisation, Role, User


def _require_admin(by: User, organisation: Organisation) -> None:
    if not by.has_perm("accounts.manage_members", organisation):
        raise PermissionDenied(_("Only administrators can manage members."))


def _admins_left_after(membership: Membership, *, new_role: str | None) -> int:
    admins = Membership.objects.select_for_update().filter(
        organisation=membership.organisation, role=Role.ADMIN
    )
    count = admins.exclude(pk=membership.pk).count()
    return count + (1 if new_role == Role.ADMIN else 0)


@transaction.atomic
def organisation_update(
    *, by: User, organisation: Organisation, name: str, language: str, currency: str = ""
) -> bool:
    """Rename the organisation, or record its language and currency; False when nothing
    differed."""
    if not by.has_perm("accounts.change_organisation", organisation):
        raise PermissionDenied(_("Only administrators can change the organisation's settings."))
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the organisation's name.")})
    currency = currency or locked.currency
    if (locked.name, locked.language, locked.currency) == (name, language, currency):
        return False
    locked.name, locked.language, locked.currency = name, language, currency
    locked.full_clean(exclude=["slug"])
    locked.save(update_fields=["name", "language", "currency"])
    organisation.name, organisation.language, organisation.currency = name, language, currency
    return True


@transaction.atomic
def membership_add(
    *,
    by: User,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: str,
    invite_url_base: str,
) -> Membership:
    """Add a person to the organisation. Someone new gets an account without a password and an
    e-mail with a link to choose one."""
    _require_admin(by, organisation)
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    invited = user is None
    if user is None:
        user = User.objects.create_user(email=email, full_name=full_name)
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            {
                "email": _("%(email)s is already a member of %(organisation)s.")
                % {"email": email, "organisation": organisation.name}
            }
        )
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    if invited:
        _send_invitation(user, organisation, by, invite_url_base)
    return membership


def _send_invitation(user: User, organisation: Organisation, by: User, base: str) -> None:
    link = password_link(user, base)
    mail_user(
        user,
        subject=lambda: (
            _("You have been added to %(organisation)s in Lodestar")
            % {"organisation": organisation}
        ),
        template="accounts/email/invitation.txt",
        context={"user": user, "organisation": organisation, "actor": by, "link": link},
    )


@transaction.atomic
def membership_change_role(*, by: User, membership: Membership, role: str) -> Membership:
    _require_admin(by, membership.organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    if role == membership.role:
        return membership  # the same role again: nothing written
    if (
        membership.role == Role.ADMIN
        and role != Role.ADMIN
        and (_admins_left_after(membership, new_role=role) == 0)
    ):
        raise ValidationError(
            {
                "role": _(
                    "%(organisation)s needs at least one administrator. "
                    "Make someone else an administrator first."
                )
                % {"organisation": membership.organisation.name}
            }
        )
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def membership_remove(*, by: User, membership: Membership) -> None:
    _require_admin(by, membership.organisation)
    if membership.role == Role.ADMIN and _admins_left_after(membership, new_role=None) == 0:
        raise ValidationError(
            _(
                "%(organisation)s needs at least one administrator. "
                "Make someone else an administrator first."
            )
            % {"organisation": membership.organisation.name}
        )
    membership.delete()


@transaction.atomic
def membership_sync_from_sso(
    *, user: User, organisation: Organisation, role: str | None
) -> Membership:
    """Give a person who signed in through single sign-on the membership their provider asks
    for. A role the provider sends is authoritative; without one, a new membership gets the
    default role and an existing one is left as Lodestar's administrators set it."""
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user,
        organisation=organisation,
        defaults={"role": role or settings.OIDC_DEFAULT_ROLE},
    )
    if not created and role and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    return membership


def language_choose(*, user: User, language: str) -> bool:
    """Keep the language the person chose with the language switcher (blank: follow their
    browser again); False when it was already theirs."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages Lodestar offers.")})
    if user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True
