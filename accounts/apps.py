from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def _member_summary(organisation) -> str:
    count = organisation.memberships.count()
    return ngettext("%(count)d member", "%(count)d members", count) % {"count": count}


def _settings_summary(organisation) -> str:
    if not organisation.language:
        return _("No language recorded; budgets in %(currency)s") % {
            "currency": organisation.get_currency_display()
        }
    return _("Missions start in %(language)s, with budgets in %(currency)s") % {
        "language": organisation.get_language_display(),
        "currency": organisation.get_currency_display(),
    }


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from accounts import signals  # noqa: F401  (connects the security stamp's receivers)
        from accounts.models import Role
        from accounts.sections import OrganisationSection, register_organisation_section

        register_organisation_section(
            OrganisationSection(
                "members",
                _("Members"),
                "accounts:members",
                90,
                description=_("Who is in this organisation, and the role each person has."),
                navigation_roles=frozenset({Role.ADMIN}),
                summary=_member_summary,
                covers=("accounts:member_role", "accounts:member_remove"),
            )
        )
        register_organisation_section(
            OrganisationSection(
                "settings",
                _("Settings"),
                "accounts:organisation_settings",
                140,
                description=_(
                    "The organisation's name, and the language and currency its new missions "
                    "start in."
                ),
                roles=frozenset({Role.ADMIN}),
                navigation_roles=frozenset(),
                summary=_settings_summary,
            )
        )
