"""Signals for what happens to a mission, so higher apps (the inbox) can react without the
missions app importing them. Services send them inside their transaction, keyword arguments
only; a receiver that writes joins that transaction."""

from django.dispatch import Signal

# A mission took a workflow step (missions.workflow.TRANSITIONS). Keyword arguments: `mission`,
# `actor` (the user who took it), `transition` (the step's name, e.g. "propose") and
# `status_before`.
mission_transitioned = Signal()
