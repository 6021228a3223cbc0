"""Signals of pairing, sent inside the writing transaction."""

from django.dispatch import Signal

# Sent with ``service_request`` and ``actor``: the workflows raise the caseworker's task.
service_request_raised = Signal()
