"""Signals of monitoring, sent inside the writing transaction."""

from django.dispatch import Signal

# Sent with ``proposal`` and ``actor``: the workflows start the elimination's review.
elimination_proposed = Signal()
