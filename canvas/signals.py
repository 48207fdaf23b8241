"""Signals for the canvas, so higher apps (the inbox) can react without canvas importing them.
Sent inside the service's transaction, keyword arguments only."""

from django.dispatch import Signal

# A comment was added to a canvas box. Keyword arguments: `comment` (the CanvasComment),
# `actor` (its author), `replied_to` (the comment it answers, or None) and `mentioned` (the
# organisation members it @mentions, see canvas.mentions).
comment_added = Signal()
