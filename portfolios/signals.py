"""Signals for portfolio review, so higher apps (the inbox) can react without portfolios
importing them. Sent inside the service's transaction, keyword arguments only."""

from django.dispatch import Signal

# A lead recorded a decision on a mission. Keyword arguments: `decision` (the ReviewDecision)
# and `actor` (the user who decided).
decision_recorded = Signal()
