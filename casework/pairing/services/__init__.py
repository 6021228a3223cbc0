"""Writes to pairing: pairings (``pairings``), visits and service requests (``visits``)."""

from .pairings import (
    helper_cap,
    pairing_create,
    pairing_end,
    pairing_handover,
    pairing_handover_all,
)
from .visits import FIVE_POINTS, RequestDraft, service_request_resolve, visit_record

__all__ = [
    "FIVE_POINTS",
    "RequestDraft",
    "helper_cap",
    "pairing_create",
    "pairing_end",
    "pairing_handover",
    "pairing_handover_all",
    "service_request_resolve",
    "visit_record",
]
