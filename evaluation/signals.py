"""Signals for evaluation, so higher apps (the inbox) can react without evaluation importing
them. Sent inside the service's transaction, keyword arguments only."""

from django.dispatch import Signal

# Someone was made the steward of an indicator (evaluation.indicators.stewards.steward_invite,
# which has sent the invitation e-mail itself). Keyword arguments: `steward` (the
# IndicatorSteward) and `actor` (the user who invited them).
steward_invited = Signal()

# A background assessment changed what a mission's criteria or warnings say. Keyword arguments:
# `mission`, `scores` ({criterion: automatic score or None}) and `warnings` (the codes of the
# current warnings, sorted). Sent inside the assessment's transaction.
assessment_changed = Signal()

# Values were added to or corrected in an indicator (one form, a CSV file or a push). Keyword
# arguments: `indicator`, `added` and `corrected` (counts). Sent inside the writing transaction.
measurements_added = Signal()
