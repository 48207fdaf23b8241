"""Users, the organisations (tenants) that use Lodestar, and their memberships and roles.

An `Organisation` here is a ministry, agency or innovation unit that *uses* Lodestar. The outside
organisations a mission works with are *actors* and live in the missions app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice

if TYPE_CHECKING:
    from django.db.models import QuerySet


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)  # None gives an unusable password (invited users)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        # People type their address as they like; it is stored in lower case.
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can sign in to the Django admin site.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Changes whenever the person's authenticators or roles change (accounts/signals.py), so a
    # session can remember its two-factor state and skip re-reading both on every request
    # (accounts/two_factor.py) until then.
    security_stamp = models.PositiveIntegerField(default=0, editable=False)
    # The language the person chose with the language switcher; blank: their browser's, else
    # their organisation's (accounts/languages.py).
    language = models.CharField(
        _("language"), max_length=7, choices=settings.LANGUAGES, blank=True, default=""
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    if TYPE_CHECKING:
        # django-otp's OTPMiddleware (settings.MIDDLEWARE) gives each request's user this method:
        # has this session passed its second factor (accounts/two_factor.py)?
        def is_verified(self) -> bool: ...

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    """What a member may do in an organisation. Each role's powers are declared in rules.py."""

    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")
    LEAD = "lead", _("Lead")
    ADMIN = "admin", _("Administrator")


ROLE_DESCRIPTIONS = {
    Role.VIEWER: _("Reads the organisation's missions."),
    Role.EDITOR: _("Drafts and edits missions, and proposes them for approval."),
    Role.REVIEWER: _("Reads missions and records verdicts on the mission criteria."),
    Role.LEAD: _("Reviews the portfolio and approves, pauses or stops missions."),
    Role.ADMIN: _("Everything a lead can do, and manages members and their roles."),
}


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: User) -> QuerySet[Organisation]:
        """The only starting point for listing organisations: the ones the user belongs to."""
        if not user.is_authenticated:
            return self.none()
        from accounts.selectors import member_organisation_ids  # selectors import this module

        return self.filter(pk__in=member_organisation_ids(user))


class Language(models.TextChoices):
    """The languages Lodestar reads mission statements in (the criteria's statement analysis
    knows their grammar). An organisation's language is what its new missions start with."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    DUTCH = "nl", _("Dutch")
    SWEDISH = "sv", _("Swedish")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")


class Currency(models.TextChoices):
    """The currencies of the countries whose missions Lodestar is built around (ISO 4217)."""

    EURO = "EUR", _("Euro")
    SWEDISH_KRONA = "SEK", _("Swedish krona")
    DANISH_KRONE = "DKK", _("Danish krone")
    NORWEGIAN_KRONE = "NOK", _("Norwegian krone")
    POUND_STERLING = "GBP", _("Pound sterling")
    SWISS_FRANC = "CHF", _("Swiss franc")
    POLISH_ZLOTY = "PLN", _("Polish złoty")
    US_DOLLAR = "USD", _("US dollar")


class Organisation(models.Model):
    """A ministry, agency or innovation unit that uses Lodestar (a tenant)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    # Blank: not recorded; new missions then leave theirs to be recognised from the text.
    language = models.CharField(
        _("language of its missions"), max_length=5, choices=Language.choices, blank=True
    )
    # What its new missions count their money in; each mission may use another.
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EURO
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            check_choice(
                "language", Language, blank=True, name="accounts_organisation_language_valid"
            ),
            check_choice("currency", Currency, name="accounts_organisation_currency_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation(self) -> Organisation:
        # Lets permission predicates treat an organisation like any object that belongs to one.
        return self


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user: User) -> QuerySet[Membership]:
        """Memberships of the organisations the user belongs to."""
        if not user.is_authenticated:
            return self.none()
        from accounts.selectors import member_organisation_ids  # selectors import this module

        return self.filter(organisation_id__in=member_organisation_ids(user))


class Membership(models.Model):
    """A user's role in one organisation. A user may belong to several organisations."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_membership_one_per_org"
            ),
            check_choice("role", Role, name="accounts_membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"
