"""The risks-and-rewards picture of a mission (or of many), from plain numbers: how much public
money is at risk, in which forms, what share of all the money put in it is, and which reward or
access conditions it carries. One calculation for the page, the portfolio, the canvas, the
criteria and the briefing, so they never disagree.

The public money of a project is the public funding its own record gives
(`MissionProject.public_funding`); a project counts once its terms are recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rewards.models import (
    FAMILY_OF,
    REWARD_FAMILIES,
    ConditionStatus,
    PublicRisk,
)

# "Most of the risk": the public side put in more than half of all the money and value.
MOST = Decimal("0.5")


def _money(value: Any) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    return Decimal(str(value))


@dataclass(frozen=True)
class ProjectMoney:
    """One project's terms as numbers: what each side put in, the form of the public risk, and
    its conditions' kinds and statuses."""

    key: str
    title: str
    public: Decimal
    others: Decimal
    public_risk: str
    conditions: tuple[tuple[str, str], ...] = ()  # (kind, status)
    lead: str = ""
    # Whether the project's record gives its public money, and whether any other
    # contribution is recorded: an empty field is "not recorded", never a zero.
    public_recorded: bool = True
    others_recorded: bool = True

    @property
    def reward_conditions(self) -> int:
        return sum(1 for kind, _status in self.conditions if FAMILY_OF.get(kind) in REWARD_FAMILIES)

    @property
    def total(self) -> Decimal:
        return self.public + self.others

    @property
    def public_share(self) -> Decimal | None:
        return self.public / self.total if self.total else None


@dataclass(frozen=True)
class Picture:
    """The whole of a mission's (or a partner's) recorded terms."""

    projects: list[ProjectMoney] = field(default_factory=list)

    @property
    def recorded(self) -> bool:
        return bool(self.projects)

    @property
    def public(self) -> Decimal:
        return sum((p.public for p in self.projects), Decimal(0))

    @property
    def others(self) -> Decimal:
        return sum((p.others for p in self.projects), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.public + self.others

    @property
    def public_share(self) -> Decimal | None:
        return self.public / self.total if self.total else None

    @property
    def public_percent(self) -> int | None:
        share = self.public_share
        return None if share is None else round(share * 100)

    @property
    def by_risk(self) -> list[tuple[str, Decimal]]:
        """(form of risk, its label's value) → public money, largest first, only those used."""
        amounts: dict[str, Decimal] = {}
        for project in self.projects:
            amounts[project.public_risk] = (
                amounts.get(project.public_risk, Decimal(0)) + project.public
            )
        return sorted(
            ((risk, amount) for risk, amount in amounts.items() if amount),
            key=lambda item: (-item[1], item[0]),
        )

    @property
    def by_risk_labelled(self) -> list[tuple[str, Decimal]]:
        labels = dict(PublicRisk.choices)
        return [(str(labels.get(risk, risk)), amount) for risk, amount in self.by_risk]

    @property
    def conditions(self) -> int:
        return sum(len(p.conditions) for p in self.projects)

    @property
    def reward_conditions(self) -> int:
        return sum(p.reward_conditions for p in self.projects)

    @property
    def public_recorded(self) -> bool:
        """Some project with terms gives its public money (else "not recorded", not 0)."""
        return any(p.public_recorded for p in self.projects)

    @property
    def others_recorded(self) -> bool:
        return any(p.others_recorded for p in self.projects)

    def with_status(self, status: str, *, rewards_only: bool = True) -> int:
        """How many conditions have `status`: the reward or access ones, or all."""
        return sum(
            1
            for p in self.projects
            for kind, s in p.conditions
            if s == status and (not rewards_only or FAMILY_OF.get(kind) in REWARD_FAMILIES)
        )

    @property
    def met(self) -> int:
        """Reward or access conditions checked and met."""
        return self.with_status(ConditionStatus.MET)

    @property
    def breached(self) -> int:
        """Reward or access conditions checked and breached."""
        return self.with_status(ConditionStatus.BREACHED)

    @property
    def breached_any(self) -> int:
        """Conditions of any kind checked and breached (direction, transparency too)."""
        return self.with_status(ConditionStatus.BREACHED, rewards_only=False)

    @property
    def public_carries_most(self) -> bool:
        share = self.public_share
        return share is not None and share > MOST

    @property
    def flagged(self) -> bool:
        """Public money carries most of the risk and nothing gives the public a share of the
        reward: the warning's condition."""
        return self.public_carries_most and self.reward_conditions == 0

    @property
    def unconditioned(self) -> list[ProjectMoney]:
        """Projects with public money and no reward or access condition."""
        return [p for p in self.projects if p.public and not p.reward_conditions]


def picture(projects: Iterable[ProjectMoney]) -> Picture:
    return Picture(sorted(projects, key=lambda p: p.key))


def from_export(section: dict[str, Any] | None) -> Picture:
    """The picture from a mission's "rewards" exchange section (see rewards.exchange)."""
    section = section or {}
    conditions: dict[str, list[tuple[str, str]]] = {}
    for item in section.get("conditions") or []:
        if isinstance(item, dict):
            conditions.setdefault(item.get("project") or "", []).append(
                (item.get("kind") or "", item.get("status") or "")
            )
    return picture(
        ProjectMoney(
            key=item.get("project") or "",
            title=item.get("project_title") or item.get("project") or "",
            public=_money(item.get("public_money")),
            others=_money(item.get("private_money"))
            + _money(item.get("philanthropic_money"))
            + _money(item.get("in_kind_value")),
            public_risk=item.get("public_risk") or "",
            conditions=tuple(conditions.get(item.get("project") or "", [])),
            public_recorded=item.get("public_money") not in (None, ""),
            others_recorded=any(
                item.get(name) not in (None, "")
                for name in ("private_money", "philanthropic_money", "in_kind_value")
            ),
        )
        for item in section.get("terms") or []
        if isinstance(item, dict)
    )
