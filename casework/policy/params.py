"""Policy parameters: the value in force (defaults and labels in ``defaults``).

``param(key)`` returns the value in force today: the newest ``Parameter`` row whose
``valid_from`` is not in the future, else its default.
"""

import datetime
from typing import Any

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
        .order_by("-valid_from")
        .values_list("value", flat=True)
        .first()
    )
    return DEFAULTS[key].value if row is None else row
