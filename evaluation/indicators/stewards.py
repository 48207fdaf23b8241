"""Indicator stewards and their push tokens: reads and writes.

A steward is someone outside the mission's organisation (typically at a statistics office) whom
an editor, lead or administrator of that organisation invited to add values to one indicator.
A steward is not a member: every mission page, the canvas, the other indicators, stakeholders,
documents and portfolios keep answering 404, because those start from `visible_to(user)`, which
is about memberships only. What a steward may reach starts here, from
`indicators_stewarded_by(user)`, and nowhere else; revoking a stewardship (or archiving the
mission) takes the indicator out of that scope at once.

Push tokens belong to a steward, who makes them on their "Your indicators" page. A token writes as
its steward to the indicators they steward at the moment of each push. We chose per-steward
tokens over tokens made by the mission's editors because: the secret is made by the person who
installs it in their own system, so no secret travels between organisations by e-mail; the
scope of a token can never drift from the stewardships (revoking a steward stops their tokens
writing there, with nothing else to remember); and every pushed value names a real person
(`entered_by`) as well as the token (`entered_via`).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.mail import mail_user, password_link
from accounts.models import Membership, User
from accounts.predicates import is_editor
from evaluation import signals
from evaluation.indicators import csv_io, services
from evaluation.indicators.models import (
    Indicator,
    IndicatorPushToken,
    IndicatorSteward,
    Measurement,
    Quality,
)

TOKEN_PREFIX = "lsp_"  # noqa: S105 - a public marker that tells a token apart, not a secret

# --- Reads ----------------------------------------------------------------------------------


def indicators_stewarded_by(user: Any) -> QuerySet[Indicator]:
    """The only starting point for what a steward may read or write: indicators they hold an
    active stewardship of, in missions that are not archived."""
    if not getattr(user, "is_authenticated", False):
        return Indicator.objects.none()
    return Indicator.objects.filter(
        stewards__user=user,
        stewards__revoked_at__isnull=True,
        mission__archived_at__isnull=True,
    )


def stewarded_list(user: User) -> list[Indicator]:
    """The "Your indicators" page: each indicator with its mission and organisation (one query)."""
    return list(
        indicators_stewarded_by(user)
        .select_related("mission__organisation")
        .order_by("mission__organisation__name", "mission__title", "name", "pk")
    )


def stewarded_indicator(user: User, indicator_id: int) -> Indicator:
    """One indicator the user stewards; 404 for any other, so nothing else is revealed."""
    try:
        return (
            indicators_stewarded_by(user)
            .select_related("mission__organisation", "target", "owner")
            .get(pk=indicator_id)
        )
    except Indicator.DoesNotExist:
        raise Http404(_("No such indicator.")) from None


def stewards_of(indicator: Indicator) -> list[IndicatorSteward]:
    """The indicator's active stewards, for its page."""
    return list(
        IndicatorSteward.objects.filter(indicator=indicator, revoked_at__isnull=True)
        .select_related("user", "invited_by")
        .order_by("created_at", "pk")
    )


def push_tokens_of(user: User) -> list[IndicatorPushToken]:
    return list(IndicatorPushToken.objects.filter(user=user).order_by("-created_at", "-pk"))


# --- Stewardships ---------------------------------------------------------------------------


def require_steward(by: User, indicator: Indicator) -> None:
    """Re-checked by every steward write, against the database (a revoke applies at once)."""
    if not indicators_stewarded_by(by).filter(pk=indicator.pk).exists():
        raise PermissionDenied(_("You are not a steward of this indicator."))


@transaction.atomic
def steward_invite(
    *, by: User, indicator: Indicator, email: str, full_name: str = "", invite_url_base: str
) -> IndicatorSteward:
    """Let someone outside the organisation add values to this indicator. Someone new gets an
    account without a password and an e-mail with a link to choose one (as members do)."""
    mission = indicator.mission
    services.require_editable(by, mission)
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        if Membership.objects.filter(user=user, organisation_id=mission.organisation_id).exists():
            raise ValidationError(
                {
                    "email": _(
                        "%(email)s is already a member of %(organisation)s. Give them the "
                        "editor role instead of making them a steward."
                    )
                    % {"email": email, "organisation": mission.organisation.name}
                }
            )
        if IndicatorSteward.objects.filter(
            indicator=indicator, user=user, revoked_at__isnull=True
        ).exists():
            raise ValidationError(
                {"email": _("%(email)s is already a steward of this indicator.") % {"email": email}}
            )
    invited = user is None
    if user is None:
        user = User.objects.create_user(email=email, full_name=full_name.strip())
    steward = IndicatorSteward.objects.create(indicator=indicator, user=user, invited_by=by)
    _send_invitation(steward, by, invite_url_base, new_account=invited)
    signals.steward_invited.send(sender=IndicatorSteward, steward=steward, actor=by)
    return steward


def _send_invitation(steward: IndicatorSteward, by: User, base: str, *, new_account: bool) -> None:
    user = steward.user
    link = password_link(user, base) if new_account else base + reverse("evaluation:stewarding")
    indicator = steward.indicator
    mail_user(
        user,
        subject=lambda: (
            _("You can now add values for “%(indicator)s” in Lodestar") % {"indicator": indicator}
        ),
        template="evaluation/indicators/email/steward_invitation.txt",
        context={
            "actor": by,
            "indicator": indicator,
            "organisation": indicator.mission.organisation,
            "link": link,
            "new_account": new_account,
        },
    )


@transaction.atomic
def steward_revoke(*, by: User, steward: IndicatorSteward) -> IndicatorSteward:
    """Stop a steward's access to the indicator at once (also for an archived mission: taking
    access away must always be possible). The row stays, marked revoked."""
    if not is_editor(by, steward.indicator.mission):
        raise PermissionDenied(_("Only editors, leads and administrators manage stewards."))
    steward = IndicatorSteward.objects.select_for_update().get(pk=steward.pk)
    if steward.revoked_at is None:
        steward.revoked_at = timezone.now()
        steward.revoked_by = by
        steward.save(update_fields=["revoked_at", "revoked_by"])
    return steward


# --- A steward's writes (the same services as the mission's editors use) ---------------------


def steward_measurement_add(
    *, by: User, indicator: Indicator, period_end: datetime.date, value: Decimal,
    source_ref: str = "", quality: str = Quality.OFFICIAL,
) -> Measurement:  # fmt: skip
    with transaction.atomic():
        require_steward(by, indicator)
        return services.measurement_add(
            by=by, indicator=indicator, period_end=period_end, value=value,
            source_ref=source_ref, quality=quality, check=False,
        )  # fmt: skip


def steward_measurement_correct(
    *, by: User, measurement: Measurement, value: Decimal, source_ref: str = "",
    quality: str = Quality.OFFICIAL,
) -> Measurement:  # fmt: skip
    with transaction.atomic():
        require_steward(by, measurement.indicator)
        return services.measurement_correct(
            by=by, measurement=measurement, value=value, source_ref=source_ref,
            quality=quality, check=False,
        )  # fmt: skip


def steward_import_csv(*, by: User, indicator: Indicator, raw: bytes) -> csv_io.CsvSummary:
    rows = csv_io.parse(raw)
    with transaction.atomic():
        require_steward(by, indicator)
        return csv_io.write_rows(by=by, indicator=indicator, rows=rows)


# --- Push tokens ----------------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def push_token_create(*, by: User, name: str) -> tuple[IndicatorPushToken, str]:
    """A new token and its secret, which is not stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the system using it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Keep the name under 100 characters.")})
    if not indicators_stewarded_by(by).exists():
        raise PermissionDenied(_("Only stewards of an indicator can make push tokens."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = IndicatorPushToken.objects.create(
        user=by, name=name, token_hash=_hash(secret), prefix=secret[:10]
    )
    return token, secret


def push_token_revoke(*, by: User, token: IndicatorPushToken) -> IndicatorPushToken:
    if token.user_id != by.pk:
        raise PermissionDenied(_("This is not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        IndicatorPushToken.objects.filter(pk=token.pk).update(revoked_at=token.revoked_at)
    return token


def push_token_authenticate(secret: str) -> IndicatorPushToken | None:
    """The live token with this secret, or None. Lookup is by the hash of a 256-bit random
    secret, so comparing in the database reveals nothing useful about other tokens."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        IndicatorPushToken.objects.select_related("user")
        .filter(token_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        token.last_used_at = timezone.now()
        IndicatorPushToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token


# --- Pushing measurements -------------------------------------------------------------------

# The push API's field names, and the CSV columns their values are checked as.
PUSH_FIELDS = {
    "indicator": None,
    "period": "period_end",
    "value": "value",
    "quality": "quality",
    "source_reference": "source_ref",
}
FIELD_FOR_COLUMN = {column: field for field, column in PUSH_FIELDS.items() if column}


@dataclass(frozen=True)
class PushError:
    row: int | None
    field: str | None
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


class PushRejected(Exception):
    def __init__(self, errors: list[PushError]):
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal | float) and not isinstance(value, bool)


def _resolve(
    reference: Any, by_id: dict[int, Indicator], by_key: dict[str, list[Indicator]]
) -> Indicator | str:
    """The indicator a row names (by id, or by key when that key is unique among the token's
    indicators), or the message to give. Indicators outside the token's scope get the same
    message as ones that do not exist, so nothing is revealed about other organisations."""
    unknown = _("No indicator “%(ref)s” among those this token may write to.") % {"ref": reference}
    if isinstance(reference, int) and not isinstance(reference, bool):
        return by_id.get(reference) or unknown
    if isinstance(reference, str) and reference.strip():
        matches = by_key.get(reference.strip(), [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            return _(
                "Several of your indicators have the key “%(ref)s”; give the indicator's id "
                "instead (listed on your indicators page)."
            ) % {"ref": reference}
        return unknown
    return _("Give the indicator's id (a number) or key (text).")


def check_push(rows: Any, scope: list[Indicator]) -> dict[int, list[csv_io.Row]]:
    """Every row checked like a CSV row (csv_io.check_row), grouped by indicator id; or
    PushRejected with every problem, by row index (from 0) and field."""
    if not isinstance(rows, list) or not rows:
        raise PushRejected(
            [PushError(None, "measurements", _("Give a non-empty list of measurements."))]
        )
    if len(rows) > csv_io.max_rows():
        raise PushRejected(
            [
                PushError(
                    None,
                    "measurements",
                    _("Too many measurements; the limit is %(n)s.") % {"n": csv_io.max_rows()},
                )
            ]
        )
    by_id = {indicator.pk: indicator for indicator in scope}
    by_key: dict[str, list[Indicator]] = {}
    for stewarded in scope:
        by_key.setdefault(stewarded.key, []).append(stewarded)
    errors: list[PushError] = []
    grouped: dict[int, list[csv_io.Row]] = {}
    seen: dict[int, dict[datetime.date, int]] = {}
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors.append(PushError(index, None, _("Each measurement must be a JSON object.")))
            continue
        problems: list[PushError] = []
        for name in sorted(set(row) - set(PUSH_FIELDS)):
            problems.append(PushError(index, str(name), _("Unknown field.")))
        for name in ("indicator", "period", "value"):
            if row.get(name) is None:
                problems.append(PushError(index, name, _("This field is required.")))
        period, value = row.get("period"), row.get("value")
        quality, source = row.get("quality", ""), row.get("source_reference", "")
        if period is not None and not isinstance(period, str):
            problems.append(PushError(index, "period", _("Give the period end as a string.")))
        if value is not None and not _is_number(value):
            problems.append(
                PushError(index, "value", _("Give the value as a JSON number, not in quotes."))
            )
        if quality is not None and not isinstance(quality, str):
            problems.append(PushError(index, "quality", _("Give the quality as a string.")))
        if source is not None and not isinstance(source, str):
            problems.append(
                PushError(index, "source_reference", _("Give the source reference as a string."))
            )
        indicator: Indicator | None = None
        if row.get("indicator") is not None:
            found = _resolve(row["indicator"], by_id, by_key)
            if isinstance(found, str):
                problems.append(PushError(index, "indicator", found))
            else:
                indicator = found
        if problems:
            errors.extend(problems)
            continue
        # No problem: the row named an indicator in scope and gave its period as text.
        assert indicator is not None and isinstance(period, str)  # noqa: S101
        cells = {
            "period_end": period.strip(),
            "value": format(Decimal(str(value)), "f") if isinstance(value, float) else str(value),
            "source_ref": (source or "").strip(),
            "quality": (quality or "").strip(),
        }
        checked, row_errors = csv_io.check_row(index, cells, seen.setdefault(indicator.pk, {}))
        errors.extend(
            PushError(index, FIELD_FOR_COLUMN.get(e.column, e.column or None), e.message)
            for e in row_errors
        )
        if checked is not None:
            grouped.setdefault(indicator.pk, []).append(checked)
    if errors:
        raise PushRejected(errors)
    return grouped


def push_measurements(*, token: IndicatorPushToken, rows: Any) -> csv_io.CsvSummary:
    """Check every row, then write them all in one transaction, or nothing. Queries grow with
    the number of indicators in the push, not with its rows."""
    steward = token.user
    with transaction.atomic():
        scope = list(
            indicators_stewarded_by(steward).select_for_update(of=("self",)).order_by("pk")
        )
        grouped = check_push(rows, scope)
        by_id = {indicator.pk: indicator for indicator in scope}
        total = csv_io.CsvSummary()
        for indicator_id, indicator_rows in grouped.items():
            summary = csv_io.write_rows(
                by=steward, indicator=by_id[indicator_id], rows=indicator_rows, via=token
            )
            total.added += summary.added
            total.corrected += summary.corrected
            total.unchanged += summary.unchanged
    return total
