"""Signals for evaluation, so higher apps (the inbox) can react without evaluation importing
them. Sent inside the service's transaction, keyword arguments only."""

from django.dispatch import Signal

# Someone was made the steward of an indicator (evaluation.indicators.stewards.steward_invite,
# which has sent the invitation e-mail itself). Keyword arguments: `steward` (the
# IndicatorSteward) and `actor` (the user who invited them).
steward_invited = Signal()
