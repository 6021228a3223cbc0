"""Policy parameters: the value in force (defaults and labels in ``defaults``).

``param(key, on=day)`` returns the value in force on ``day`` (today by default): the value of
the ``Parameter`` row whose period covers the day (``valid_from`` ≤ day, and ``valid_to`` empty
or ≥ day; the newest ``valid_from`` first), else the default. One indexed query per call.
"""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from .defaults import DEFAULTS, Default
from .models import Parameter

__all__ = ["DEFAULTS", "Default", "param"]


def param(key: str, on: datetime.date | None = None) -> Any:
    """The value of parameter ``key`` in force on ``on`` (today by default)."""
    if key not in DEFAULTS:
        raise KeyError(f"Unknown policy parameter {key!r}")
    day = on or timezone.localdate()
    row = (
        Parameter.objects.filter(key=key, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .values_list("value", flat=True)
        .first()
    )
    return DEFAULTS[key].value if row is None else row
