"""Policy parameters: the value in force (defaults and labels in ``defaults``).

``param(key, on=day)`` returns the value in force on ``day`` (today by default): the value of
the ``Parameter`` row whose period covers the day (``valid_from`` ≤ day, and ``valid_to`` empty
or ≥ day; the newest ``valid_from`` first), else the default. One indexed query per call;
inside ``params_memoised`` (a unit of work that changes no parameter: a task completion reads
five or more) one query per day for every parameter.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import Q
from django.utils import timezone

from .defaults import DEFAULTS, Default
from .models import Parameter

__all__ = ["DEFAULTS", "Default", "param", "params_forget", "params_memoised"]

_memo: ContextVar[dict[tuple[str, datetime.date], Any] | None] = ContextVar(
    "casework_policy_params_memo", default=None
)


@contextmanager
def params_memoised() -> Iterator[None]:
    """Inside the block each parameter is read once per day asked for (nested blocks share
    the outer block's values)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def params_forget() -> None:
    """Drop the values read inside the current ``params_memoised`` block (after a change)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def param(key: str, on: datetime.date | None = None) -> Any:
    """The value of parameter ``key`` in force on ``on`` (today by default)."""
    if key not in DEFAULTS:
        raise KeyError(f"Unknown policy parameter {key!r}")
    day = on or timezone.localdate()
    memo = _memo.get()
    if memo is not None:
        if (key, day) not in memo:
            memo.update(_in_force_on(day))
        return memo[(key, day)]
    row = (
        Parameter.objects.filter(key=key, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .values_list("value", flat=True)
        .first()
    )
    return DEFAULTS[key].value if row is None else row


def _in_force_on(day: datetime.date) -> dict[tuple[str, datetime.date], Any]:
    """Every parameter's value in force on ``day``, in one query (the table holds only the
    values set by hand: a few rows per parameter at most)."""
    rows = (
        Parameter.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("key", "valid_from")  # the newest period last, so it wins
        .values_list("key", "value")
    )
    newest = dict(rows)
    return {
        (key, day): spec.value if newest.get(key) is None else newest[key]
        for key, spec in DEFAULTS.items()
    }
