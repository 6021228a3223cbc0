"""Signals of the posts module, sent inside the writing transaction."""

from django.dispatch import Signal

# Sent with ``vacancy`` and ``actor`` when a holder leaves a post: the workflows raise the
# caseworker's task to report the vacancy and recommend a replacement.
post_vacated = Signal()
