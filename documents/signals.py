"""Signals for generated documents, so higher apps (the inbox) can react without documents
importing them. Keyword arguments only."""

from django.dispatch import Signal

# A document finished rendering and can be downloaded (sent by the worker that rendered it, once
# the row says so). Keyword arguments: `document` (the GeneratedDocument).
document_ready = Signal()
