"""Who invests in a mission's projects and who benefits: the public-value terms of each project.

- `ProjectTerms`: one per project. Who puts in what besides the public money the project
  already records (`MissionProject.public_funding`): private and philanthropic money, and work
  or goods in kind; the form the public risk takes (grant, loan, guarantee, equity, a
  procurement or advance market commitment); what the public side expects back; and where the
  terms are written down.
- `RewardCondition`: a condition attached to the public money (access and price, intellectual
  property, reinvestment or profit sharing, direction, transparency), with the clause or call
  text it comes from and whether it was checked and met or breached. Each change is on the
  mission's history, so the record over time is kept.

Writes go through `rewards.services` (the mission-part kernel); reads through
`rewards.selectors`; the mission's picture is computed from the exchange section
(`rewards.figures`), so the page, the canvas, the criteria and the briefing agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice, check_filled, check_not_negative
from missions.models import (
    Audited,
    MissionPart,
    MissionProject,
    Versioned,
    mission_reference,
    unique_per_mission,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _money_field(label: StrOrPromise) -> models.DecimalField:
    """An amount in the mission's currency, as MissionProject's budget columns are."""
    return models.DecimalField(
        label,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("Give an amount of 0 or more."))],
    )


class PublicRisk(models.TextChoices):
    """The form in which public money carries a project's risk."""

    GRANT = "grant", _("Grant (not repaid)")
    LOAN = "loan", _("Loan")
    GUARANTEE = "guarantee", _("Guarantee")
    EQUITY = "equity", _("Equity stake")
    PROCUREMENT = "procurement", _("Procurement commitment")
    ADVANCE_MARKET = "advance_market", _("Advance market commitment")


class ConditionFamily(models.TextChoices):
    ACCESS = "access", _("Access and affordability")
    IP = "ip", _("Intellectual property")
    REINVESTMENT = "reinvestment", _("Reinvestment and profit sharing")
    DIRECTION = "direction", _("Direction")
    TRANSPARENCY = "transparency", _("Transparency")


class ConditionKind(models.TextChoices):
    PRICE_CAP = "price_cap", _("Price cap or fair price")
    AVAILABILITY = "availability", _("Availability or supply")
    NON_EXCLUSIVE_LICENCE = "non_exclusive_licence", _("Non-exclusive licensing")
    OPEN_ACCESS = "open_access", _("Open access to results")
    PUBLIC_RIGHTS = "public_rights", _("Public rights to use or license (march-in)")
    ROYALTY = "royalty", _("Royalties to the public funder")
    EQUITY_SHARE = "equity_share", _("Public equity stake")
    REPAYABLE = "repayable", _("Repayable on success")
    REINVEST = "reinvest", _("Profits reinvested")
    GREEN = "green", _("Green or low-carbon")
    LOCAL_PRODUCTION = "local_production", _("Local production")
    FAIR_WORK = "fair_work", _("Labour conditions")
    COST_DISCLOSURE = "cost_disclosure", _("Cost disclosure")


FAMILY_OF: dict[str, str] = {
    ConditionKind.PRICE_CAP: ConditionFamily.ACCESS,
    ConditionKind.AVAILABILITY: ConditionFamily.ACCESS,
    ConditionKind.NON_EXCLUSIVE_LICENCE: ConditionFamily.IP,
    ConditionKind.OPEN_ACCESS: ConditionFamily.IP,
    ConditionKind.PUBLIC_RIGHTS: ConditionFamily.IP,
    ConditionKind.ROYALTY: ConditionFamily.REINVESTMENT,
    ConditionKind.EQUITY_SHARE: ConditionFamily.REINVESTMENT,
    ConditionKind.REPAYABLE: ConditionFamily.REINVESTMENT,
    ConditionKind.REINVEST: ConditionFamily.REINVESTMENT,
    ConditionKind.GREEN: ConditionFamily.DIRECTION,
    ConditionKind.LOCAL_PRODUCTION: ConditionFamily.DIRECTION,
    ConditionKind.FAIR_WORK: ConditionFamily.DIRECTION,
    ConditionKind.COST_DISCLOSURE: ConditionFamily.TRANSPARENCY,
}
# The families that give the public a share in what its money made possible: access to the
# result, rights over it, or money back. Direction and transparency matter, but do not.
REWARD_FAMILIES = frozenset(
    {ConditionFamily.ACCESS, ConditionFamily.IP, ConditionFamily.REINVESTMENT}
)


class ConditionStatus(models.TextChoices):
    AGREED = "agreed", _("Agreed, not checked yet")
    MET = "met", _("Checked and met")
    BREACHED = "breached", _("Checked and breached")


class ProjectTerms(MissionPart, Audited, Versioned):
    """Who contributes what to one project, the risk the public side carries, and what it
    expects back."""

    mission = mission_reference("project_terms")
    project = models.OneToOneField(
        MissionProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="terms"
    )
    private_money = _money_field(_("private money"))
    philanthropic_money = _money_field(_("philanthropic money"))
    in_kind_value = _money_field(_("contributions in kind (value)"))
    public_risk = models.CharField(
        _("how the public money is at risk"),
        max_length=20,
        choices=PublicRisk.choices,
        default=PublicRisk.GRANT,
    )
    expected_return = models.TextField(
        _("what the public expects back"),
        blank=True,
        validators=[MaxLengthValidator(500)],
        help_text=_("For example lower prices for the health service, or repayments."),
    )
    source = models.CharField(
        _("where the terms are written"),
        max_length=300,
        blank=True,
        help_text=_("The contract, grant agreement or call text, with its date."),
    )
    source_unverified = models.BooleanField(
        _("source not verified"),
        default=False,
        help_text=_("Tick when the terms come from a secondary or thin source."),
    )

    class Meta:
        verbose_name = _("public-value terms")
        verbose_name_plural = _("public-value terms")
        constraints = [
            check_choice("public_risk", PublicRisk, name="rewards_terms_public_risk_valid"),
            check_not_negative("private_money", name="rewards_terms_private_not_negative"),
            check_not_negative(
                "philanthropic_money", name="rewards_terms_philanthropic_not_negative"
            ),
            check_not_negative("in_kind_value", name="rewards_terms_in_kind_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.project)

    @property
    def key(self) -> str:
        return self.project.key


class RewardCondition(MissionPart, Audited, Versioned):
    """One condition attached to a project's public money, and whether it holds."""

    mission = mission_reference("reward_conditions")
    project = models.ForeignKey(
        MissionProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="reward_conditions",
    )
    key = models.SlugField(_("key"), max_length=80)
    kind = models.CharField(_("condition"), max_length=30, choices=ConditionKind.choices)
    description = models.TextField(
        _("what it says"),
        validators=[MaxLengthValidator(500)],
        help_text=_("In a sentence or two, what the partner has agreed to."),
    )
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("Where it is written: a contract clause, a call text, a page."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ConditionStatus.choices, default=ConditionStatus.AGREED
    )
    checked_on = models.DateField(_("last checked"), null=True, blank=True)
    status_note = models.CharField(
        _("what the check found"),
        max_length=300,
        blank=True,
    )

    class Meta:
        verbose_name = _("reward condition")
        verbose_name_plural = _("reward conditions")
        ordering = ["project__key", "key"]
        constraints = [
            unique_per_mission("key", name="rewards_condition_key_unique"),
            check_choice("kind", ConditionKind, name="rewards_condition_kind_valid"),
            check_choice("status", ConditionStatus, name="rewards_condition_status_valid"),
            check_filled("description", name="rewards_condition_has_description"),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_kind_display()}"

    @property
    def family(self) -> str:
        return FAMILY_OF[self.kind]

    def clean(self) -> None:
        # A check has a date: "met" or "breached" says when someone looked.
        if self.status != ConditionStatus.AGREED and self.checked_on is None:
            raise ValidationError({"checked_on": _("Give the date the condition was checked.")})
