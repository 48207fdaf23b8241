"""The shapes the API reads and writes. They become the OpenAPI description: every field says
what it is, and limits (lengths, ranges, the characters a line may hold) are written into the
description so that a client, and Schemathesis, know them before sending."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from documents.models import DocumentKind, DocumentStatus
from evaluation.indicators.models import Quality
from missions.models.choices import (
    Instrument,
    MissionStatus,
    Origin,
    ProjectStatus,
    Stage,
)

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


class Links(Schema):
    self: str = Field(description="This object's address in the API.")


# --- Missions ------------------------------------------------------------------------------------


class MissionSummary(Schema):
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
    items: list[MissionSummary]
    next_cursor: str | None = Field(
        description="Send as `cursor` for the next page; null on the last page."
    )


class MissionChanges(Schema):
    """Only the fields sent change; the others keep their values."""

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
    status: str
    actual_value: str | None


class Target(Schema):
    key: str
    title: str
    is_headline: bool
    direction: str
    baseline_value: str | None
    baseline_year: int | None
    target_value: str | None
    target_year: int | None
    unit: str
    success_condition: str
    geography: str
    notes: str
    milestones: list[Milestone]


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


class ProjectFields(Schema):
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
    title: str = line(150, min_length=1)
    key: Key | None = Field(default=None, description="Made from the title when not given.")


class ProjectChanges(ProjectFields):
    title: str | None = line(150, min_length=1, default=None)


# --- Canvas --------------------------------------------------------------------------------------


class CanvasBox(Schema):
    key: str
    number: int
    title: str
    text: str
    version: int
    updated_at: datetime.datetime | None
    links: Links


class CanvasText(Schema):
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
    added: int
    corrected: int
    unchanged: int
    token: str = Field(description="The name of the token that sent them.")


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


# --- Documents -----------------------------------------------------------------------------------


class DocumentRequest(Schema):
    kind: DocumentKind
    missions: list[Key] = Field(min_length=1, max_length=20)


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
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = None
