"""The fixed lists a mission's fields choose from (stored values and the words shown)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Language


class Helix(models.TextChoices):
    """The quadruple helix, plus the optional fifth (natural environment) helix."""

    GOVERNMENT = "government", _("Government")
    INDUSTRY = "industry", _("Industry")
    ACADEMIA = "academia", _("Academia and research")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ENVIRONMENT = "environment", _("Environment representative")


class ActorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")


class GovernmentLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    EU = "eu", _("European Union")
    INTERNATIONAL = "international", _("International")


class MissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    UNDER_REVIEW = "under_review", _("Under review")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    RETIRED = "retired", _("Retired")


# The languages whose grammar the statement analysis knows (evaluation/criteria): the same
# list an organisation records its language from, so a mission's default is always valid.
StatementLanguage = Language


class MandateSource(models.TextChoices):
    """Where a mission's authority comes from. Blank: not recorded (nobody has said yet);
    `none`: recorded as "no mandate yet" (someone has said there is none) — evidence, unlike
    blank (docs/domain.md failure mode "mandate"; issue #16)."""

    NOT_RECORDED = "", _("Not recorded yet")
    NONE = "none", _("No mandate yet")
    LEGISLATION = "legislation", _("Law or regulation")
    GOVERNMENT_DECISION = "government_decision", _("Government or cabinet decision")
    MINISTERIAL_DECISION = "ministerial_decision", _("Ministerial decision or order")
    PARLIAMENT_RESOLUTION = "parliament_resolution", _("Parliament resolution")
    AGENCY_BOARD_DECISION = "agency_board_decision", _("Agency board decision")
    COUNCIL_RESOLUTION = "council_resolution", _("Regional or municipal council resolution")
    EU_DECISION = "eu_decision", _("European Union decision")
    OTHER = "other", _("Other")


class PolicyDomain(models.TextChoices):
    """COFOG divisions (the UN classification of the functions of government)."""

    GENERAL_PUBLIC_SERVICES = "01", _("General public services")
    DEFENCE = "02", _("Defence")
    PUBLIC_ORDER = "03", _("Public order and safety")
    ECONOMIC_AFFAIRS = "04", _("Economic affairs")
    ENVIRONMENT = "05", _("Environmental protection")
    HOUSING = "06", _("Housing and community amenities")
    HEALTH = "07", _("Health")
    CULTURE = "08", _("Recreation, culture and religion")
    EDUCATION = "09", _("Education")
    SOCIAL_PROTECTION = "10", _("Social protection")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    BINARY = "binary", _("Yes/no")


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")


class Instrument(models.TextChoices):
    GRANT = "grant", _("Grant")
    CHALLENGE_PRIZE = "challenge_prize", _("Challenge prize")
    PROCUREMENT = "procurement", _("Public procurement")
    REGULATION = "regulation", _("Regulation or standard")
    FINANCE = "finance", _("Loan or equity finance")
    DATA = "data", _("Data and infrastructure")
    SKILLS = "skills", _("Skills and capability building")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    RESEARCH = "research", _("Research")
    DEVELOPMENT = "development", _("Development")
    DEMONSTRATION = "demonstration", _("Demonstration")
    DEPLOYMENT = "deployment", _("Deployment")
    DIFFUSION = "diffusion", _("Diffusion")


class Origin(models.TextChoices):
    COMMISSIONED = "commissioned", _("Commissioned")
    OPEN_CALL = "open_call", _("Open call")
    BOTTOM_UP = "bottom_up", _("Bottom-up proposal")
    CITIZEN_IDEA = "citizen_idea", _("An idea from citizens or civil society")
    PRE_EXISTING = "pre_existing", _("Existed before the mission")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")
    COMPLETED = "completed", _("Completed")
