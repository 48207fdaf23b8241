"""The shapes the API reads and writes. They become the OpenAPI description: every field says
what it is, and limits (lengths, ranges, the characters a line may hold) are written into the
description so that a client, and Schemathesis, know them before sending."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, WithJsonSchema

from documents.models import DocumentKind, DocumentStatus
from evaluation.indicators.models import Quality
from evaluation.toc.models import EvidenceStrength, NodeKind
from missions.models.choices import (
    ActorKind,
    Direction,
    Helix,
    Instrument,
    MilestoneStatus,
    MissionStatus,
    Origin,
    ProjectStatus,
    Stage,
)
from stakeholders.models import EngagementLevel
from stakeholders.models import Role as StakeholderRole

# A single line: no control characters at all. Text: line breaks and tabs allowed.
LINE = r"^[^\x00-\x1f\x7f]*$"
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
KEY = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"

Key = Annotated[str, Field(min_length=1, max_length=80, pattern=KEY)]


def line(max_length: int, **more: Any) -> Any:
    return Field(max_length=max_length, pattern=LINE, **more)


def text(max_length: int, **more: Any) -> Any:
    return Field(max_length=max_length, pattern=TEXT, **more)


Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


def example(**values: Any) -> ConfigDict:
    """One example of the shape, shown in the description and tried by Schemathesis."""
    return ConfigDict(json_schema_extra={"examples": [values]})


_LINKS = {"self": "/api/v1/missions/school-meals"}
_MISSION = {
    "key": "school-meals",
    "title": "Healthy school meals for every child",
    "statement": "By 2030 every child in a state school eats a healthy lunch every school day.",
    "status": "active",
    "challenge": "health-inequality",
    "start_year": 2025,
    "deadline_year": 2030,
    "updated_at": "2026-11-30T09:12:44Z",
    "version": 7,
    "links": _LINKS,
}


class Input(Schema):
    """What a client sends: a field the API does not know is refused, not ignored, so a typing
    mistake ("titel") is never a silent success."""

    model_config = ConfigDict(extra="forbid")


def _number_not_text(value: Any) -> Any:
    if isinstance(value, str | bool):
        raise ValueError("Give a JSON number, not in quotes.")
    return value


# A measured value: a JSON number (kept exact), never a quoted one.
Number = Annotated[
    Decimal,
    BeforeValidator(_number_not_text),
    Field(max_digits=20, decimal_places=4),
    WithJsonSchema({"type": "number"}),
]


class Links(Schema):
    self: str = Field(description="This object's address in the API.")


# --- Missions ------------------------------------------------------------------------------------


class MissionSummary(Schema):
    model_config = example(**_MISSION)

    key: str = Field(description="Stable short name of the mission in its organisation.")
    title: str
    statement: str
    status: MissionStatus
    challenge: str = Field(description="Key of the grand challenge the mission answers.")
    start_year: int | None
    deadline_year: int | None
    updated_at: datetime.datetime
    version: int = Field(description="Goes up with every change; sent back as the ETag.")
    links: Links


class MissionDetail(MissionSummary):
    model_config = example(
        **_MISSION,
        parent=None,
        language="en",
        mandate_source="cabinet",
        mandate_reference="Cabinet decision 2025/14",
        mandate_date="2025-03-04",
        approved_on="2025-04-01",
        owner="department-for-education",
        coordinator=None,
        committed_budget="12000000.00",
        estimated_need="15000000.00",
        currency="EUR",
        geography="National",
        notes="",
        archived=False,
    )

    parent: str | None = Field(description="Key of the mission this one is part of.")
    language: str
    mandate_source: str
    mandate_reference: str
    mandate_date: datetime.date | None
    approved_on: datetime.date | None
    owner: str | None = Field(description="Key of the owning actor in the register.")
    coordinator: str | None
    committed_budget: str | None = Field(description="Decimal, as text, in `currency`.")
    estimated_need: str | None
    currency: str
    geography: str
    notes: str
    archived: bool


class MissionPage(Schema):
    model_config = example(items=[_MISSION], next_cursor="eyJhZnRlciI6ICJzY2hvb2wtbWVhbHMifQ")

    items: list[MissionSummary]
    next_cursor: str | None = Field(
        description="Send as `cursor` for the next page; null on the last page."
    )


class MissionChanges(Input):
    """Only the fields sent change; the others keep their values."""

    model_config = example(geography="England and Wales", committed_budget="12500000.00")

    title: str | None = line(120, min_length=1, default=None)
    statement: str | None = text(300, default=None)
    mandate_reference: str | None = line(200, default=None)
    geography: str | None = line(100, default=None)
    start_year: int | None = Field(default=None, ge=1900, le=2200)
    deadline_year: int | None = Field(default=None, ge=1900, le=2200)
    committed_budget: Money | None = None
    estimated_need: Money | None = None
    notes: str | None = text(5000, default=None)


# --- Targets -------------------------------------------------------------------------------------


class Milestone(Schema):
    year: int
    value: str | None
    description: str
    status: MilestoneStatus
    actual_value: str | None
    version: int
    links: Links


class Target(Schema):
    key: str
    title: str
    is_headline: bool
    direction: Direction
    baseline_value: str | None
    baseline_year: int | None
    target_value: str | None
    target_year: int | None
    unit: str
    success_condition: str
    geography: str
    notes: str
    milestones: list[Milestone]
    version: int
    links: Links


Year = Annotated[int, Field(ge=1900, le=2200)]
Value = Annotated[Decimal, Field(max_digits=20, decimal_places=4)]


class TargetFields(Input):
    is_headline: bool | None = None
    baseline_value: Value | None = None
    baseline_year: Year | None = None
    target_value: Value | None = None
    target_year: Year | None = None
    unit: str | None = line(60, default=None)
    success_condition: str | None = text(500, default=None)
    geography: str | None = line(100, default=None)
    notes: str | None = text(5000, default=None)


class TargetNew(TargetFields):
    model_config = example(
        title="Children eating a healthy school lunch",
        direction="increase",
        is_headline=True,
        baseline_value="61",
        baseline_year=2024,
        target_value="100",
        target_year=2030,
        unit="% of pupils",
    )

    title: str = line(200, min_length=1)
    direction: Direction
    key: Key | None = Field(default=None, description="Made from the title when not given.")


class TargetChanges(TargetFields):
    model_config = example(target_value="95", notes="Revised after the 2026 review.")

    title: str | None = line(200, min_length=1, default=None)
    direction: Direction | None = None


class MilestoneNew(Input):
    model_config = example(year=2027, value="75", description="Three in four pupils")

    year: Year
    value: Value | None = None
    description: str = line(200, default="")
    status: MilestoneStatus = MilestoneStatus.PENDING


class MilestoneChanges(Input):
    model_config = example(status="met", actual_value="77")

    value: Value | None = None
    description: str | None = line(200, default=None)
    status: MilestoneStatus | None = None
    actual_value: Value | None = None


# --- Projects ------------------------------------------------------------------------------------


class Contribution(Schema):
    target: str
    rationale: str


class Project(Schema):
    key: str
    title: str
    description: str
    lead: str | None = Field(description="Key of the leading actor in the register.")
    partners: list[str]
    sectors: list[str]
    disciplines: list[str]
    instrument: Instrument
    stage: Stage
    origin: Origin
    start_date: datetime.date | None
    end_date: datetime.date | None
    budget: str | None
    public_funding: str | None
    status: ProjectStatus
    notes: str
    contributions: list[Contribution]
    version: int
    links: Links


class ProjectFields(Input):
    description: str | None = text(5000, default=None)
    lead: Key | None = Field(default=None, description="Key of an actor in the register.")
    instrument: Instrument | None = None
    stage: Stage | None = None
    origin: Origin | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    budget: Money | None = None
    public_funding: Money | None = None
    status: ProjectStatus | None = None
    notes: str | None = text(5000, default=None)


class ProjectNew(ProjectFields):
    model_config = example(
        title="Cooks trained in every school kitchen", stage="deployment", budget="250000.00"
    )

    title: str = line(150, min_length=1)
    key: Key | None = Field(default=None, description="Made from the title when not given.")


class ProjectChanges(ProjectFields):
    model_config = example(status="active", notes="First 40 schools started in September.")

    title: str | None = line(150, min_length=1, default=None)


# --- Canvas --------------------------------------------------------------------------------------


class CanvasBox(Schema):
    model_config = example(
        key="rationale",
        number=4,
        title="Rationale",
        text="Children from poorer families eat worse at home.",
        version=3,
        updated_at="2026-11-28T15:02:11Z",
        links={"self": "/api/v1/missions/school-meals/canvas/rationale"},
    )

    key: str
    number: int
    title: str
    text: str
    version: int
    updated_at: datetime.datetime | None
    links: Links


class CanvasText(Input):
    model_config = example(
        text="Children from poorer families eat worse at home; a school lunch is the one meal we can change for all of them."
    )

    text: str = text(20000)


# --- Indicators and measurements -----------------------------------------------------------------


class Measurement(Schema):
    period: datetime.date
    value: str
    quality: str
    source_reference: str
    entered_at: datetime.datetime


class Indicator(Schema):
    key: str
    name: str
    unit: str
    target: str | None = Field(description="Key of the target it measures.")
    latest: Measurement | None
    links: Links


class MeasurementIn(Schema):
    indicator: int | Key = Field(description="The indicator's number or key.")
    period: datetime.date = Field(description="The end of the period measured.")
    value: float = Field(description="A JSON number, not in quotes.")
    quality: Quality = Quality.OFFICIAL
    source_reference: str = line(200, default="")


class MeasurementsIn(Schema):
    measurements: list[MeasurementIn] = Field(min_length=1, max_length=1000)


class MeasurementsAdded(Schema):
    model_config = example(added=2, corrected=1, unchanged=0, token="Statistics system")  # noqa: S106 - its name

    added: int
    corrected: int
    unchanged: int
    token: str = Field(description="The name of the token that sent them.")


# --- Stakeholders ------------------------------------------------------------------------------

Grid = Annotated[int, Field(ge=1, le=5)]


class Stakeholder(Schema):
    key: str
    name: str
    actor: str | None = Field(description="Key of the actor in the register; null for a person.")
    helix: Helix
    roles: list[StakeholderRole]
    power: int = Field(description="1 (little) to 5 (much).")
    interest: int = Field(description="1 (little) to 5 (much).")
    attitude: int = Field(description="-2 (opposed) to 2 (supportive).")
    engagement_now: EngagementLevel
    engagement_planned: EngagementLevel
    engagement_plan: str
    is_core_team: bool
    last_engaged: datetime.date | None
    version: int
    links: Links


class StakeholderFields(Input):
    attitude: Annotated[int, Field(ge=-2, le=2)] | None = None
    engagement_now: EngagementLevel | None = None
    engagement_planned: EngagementLevel | None = None
    engagement_plan: str | None = text(500, default=None)
    is_core_team: bool | None = None
    last_engaged: datetime.date | None = None


class StakeholderNew(StakeholderFields):
    model_config = example(
        name="Association of School Caterers",
        helix="industry",
        roles=["project_partner"],
        power=3,
        interest=5,
        attitude=1,
    )

    name: str = line(200, min_length=1)
    helix: Helix | None = None
    is_person: bool = False
    roles: list[StakeholderRole] = Field(min_length=1, max_length=20)
    power: Grid
    interest: Grid


class StakeholderChanges(StakeholderFields):
    model_config = example(power=4, engagement_now="involve")

    roles: list[StakeholderRole] | None = Field(default=None, min_length=1, max_length=20)
    power: Grid | None = None
    interest: Grid | None = None


# --- Theory of change ---------------------------------------------------------------------------


class ToCStep(Schema):
    key: str
    kind: NodeKind
    title: str
    description: str
    version: int
    links: Links


class ToCStepNew(Input):
    model_config = example(kind="output", title="Kitchen staff trained in healthy cooking")

    kind: NodeKind
    title: str = line(150, min_length=1)
    description: str = text(500, default="")
    key: Key | None = Field(default=None, description="Made from the title when not given.")


class ToCStepChanges(Input):
    model_config = example(title="Kitchen staff in every school trained")

    kind: NodeKind | None = None
    title: str | None = line(150, min_length=1, default=None)
    description: str | None = text(500, default=None)


class ToCLinkNew(Input):
    model_config = example(
        from_step="kitchen-staff-trained",
        to_step="healthier-lunches",
        assumption="Trained staff cook differently",
        evidence="moderate",
    )

    from_step: Key = Field(description="The key of the step the link starts at.")
    to_step: Key = Field(description="The key of a step further right.")
    assumption: str = text(300, default="")
    evidence: EvidenceStrength = EvidenceStrength.NONE


class ToCLinkOut(Schema):
    from_step: str
    to_step: str
    assumption: str
    evidence: EvidenceStrength
    version: int


# --- Assessment ----------------------------------------------------------------------------------


class Signal(Schema):
    code: str
    label: str
    status: str
    status_label: str


class Criterion(Schema):
    code: str
    name: str
    status: str = Field(description="What the page shows: met, partly met, not met, not assessed.")
    score: int | None = Field(description="The automatic score out of 100, when assessed.")
    reviewer_rating: int | None = Field(description="A reviewer's rating from 1 to 5, when given.")
    signals: list[Signal]


class Warning(Schema):
    code: str
    label: str
    severity: str
    status: str
    explanation: str
    hint: str
    first_seen: datetime.datetime
    decision_reason: str


class Assessment(Schema):
    assessed_at: datetime.datetime | None
    pending: bool = Field(description="A change is waiting to be assessed.")
    criteria: list[Criterion]
    warnings: list[Warning]


class Decision(Schema):
    decided_at: datetime.datetime
    outcome: str
    outcome_label: str
    reason: str
    decided_by: str


# --- Register ------------------------------------------------------------------------------------


class Actor(Schema):
    key: str
    name: str
    helix: str
    kind: str
    country: str


class Challenge(Schema):
    key: str
    title: str


class ActorNew(Input):
    model_config = example(name="Association of School Caterers", helix="industry", country="GB")

    name: str = line(200, min_length=1)
    helix: Helix
    kind: ActorKind = ActorKind.ORGANISATION
    country: str = Field(default="", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166 code.")
    key: Key | None = Field(default=None, description="Made from the name when not given.")


class ChallengeNew(Input):
    model_config = example(title="Childhood obesity", description="", sdgs=[2, 3])

    title: str = line(120, min_length=1)
    description: str = text(2000, default="")
    sdgs: list[Annotated[int, Field(ge=1, le=17)]] = Field(default_factory=list, max_length=17)
    key: Key | None = Field(default=None, description="Made from the title when not given.")


# --- Documents -----------------------------------------------------------------------------------


class DocumentRequest(Input):
    model_config = example(kind="briefing", missions=["school-meals"])

    kind: DocumentKind
    missions: list[Key] = Field(min_length=1, max_length=20)
    language: Literal["en-gb", "es", "nl", "sv", "fr", "de"] = Field(
        default="en-gb",
        description="The language of the document's labels, dates and numbers.",
    )


class Document(Schema):
    id: int
    kind: DocumentKind
    title: str
    status: DocumentStatus
    missions: list[str]
    queued_at: datetime.datetime
    finished_at: datetime.datetime | None
    links: dict[str, str] = Field(
        description="`self`, and `pdf` (and `docx` for briefings and packs) once it is done."
    )


class Problem(Schema):
    model_config = example(
        type="https://lodestar.example/problems/422",
        title="Invalid input",
        status=422,
        detail="Some values were not accepted; nothing was saved.",
        errors=[{"pointer": "/body/title", "detail": "String should have at least 1 character"}],
    )

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = None
