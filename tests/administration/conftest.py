"""Helpers for the administration pages' tests: the audit events a block of code leaves."""

import contextlib
from collections.abc import Iterator

import pytest

from casework.audit.models import AuditEvent


class Recorded:
    """The audit events recorded inside a ``with recorded() as events:`` block."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def one(self, action: str, actor) -> AuditEvent:
        """Exactly one event was recorded: ``action`` by ``actor``."""
        assert [(e.action, e.actor_id) for e in self.events] == [(action, actor.pk)]
        return self.events[0]


@pytest.fixture
def recorded():
    @contextlib.contextmanager
    def block() -> Iterator[Recorded]:
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        result = Recorded()
        yield result
        result.events = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq"))

    return block
