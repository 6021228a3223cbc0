"""Re-verify the audit chain and name the first event that was tampered with.

Each event stores the hash of its predecessor and a hash over its own content plus that
predecessor hash (``chain.py``). Walking the chain in ``seq`` order, the first break tells what
happened there:

- a row whose stored hash no longer matches its content was **modified**;
- a row that links to a hash no row has, after a gap in ``seq``, follows a **deleted** event;
- a row that links to a *later* row was **reordered**;
- a row that links to an *earlier* row than its predecessor follows **inserted** rows;
- a head (``AuditChainHead``) beyond the last row means the newest events were **deleted**.

This is tamper-evident, not tamper-proof: whoever can rewrite the table can recompute every
hash, so the head hash printed on each case file (and anchored with ``--anchor``) is what an
auditor compares with.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

from .chain import GENESIS_HASH, is_self_consistent
from .models import AuditChainHead, AuditEvent

Kind = Literal["modified", "deleted", "inserted", "reordered"]


@dataclass(frozen=True)
class Problem:
    """The first break found: what happened, and to which event (by chain number)."""

    kind: Kind
    seq: int
    event_id: int | None
    message: str


@dataclass
class Verification:
    checked: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    problem: Problem | None = None
    scope: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.problem is None:
            return _("Intact: %(count)s events checked.") % {"count": self.checked}
        return _("Broken: %(message)s") % {"message": self.problem.message}


_FIELDS = (
    "id",
    "seq",
    "occurred_at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "household_id",
    "household_seq",
    "changes",
    "reason",
    "prev_hash",
    "hash",
)


def _describe(event: AuditEvent) -> str:
    return _("#%(seq)s (id %(id)s, %(action)s)") % {
        "seq": event.seq,
        "id": event.pk,
        "action": event.action,
    }


def _modified(event: AuditEvent) -> Problem:
    return Problem(
        "modified",
        event.seq,
        event.pk,
        _("event %(event)s was modified: its content no longer matches its hash.")
        % {"event": _describe(event)},
    )


def _link_problem(event: AuditEvent, expected_seq: int) -> Problem:
    """Why ``event`` does not link to the event before it."""
    linked = AuditEvent.objects.filter(hash=event.prev_hash).only("id", "seq", "action").first()
    if linked is not None and linked.seq > event.seq:
        return Problem(
            "reordered",
            event.seq,
            event.pk,
            _("event %(event)s was reordered: it belongs after %(other)s.")
            % {"event": _describe(event), "other": _describe(linked)},
        )
    first = (
        AuditEvent.objects.filter(seq__gt=linked.seq).order_by("seq").first()
        if linked is not None and linked.seq < event.seq - 1
        else None
    )
    if linked is not None and first is not None:
        return Problem(
            "inserted",
            first.seq,
            first.pk,
            _("event %(event)s was inserted: the chain runs from %(before)s to %(after)s.")
            % {
                "event": _describe(first),
                "before": _describe(linked),
                "after": _describe(event),
            },
        )
    if event.seq > expected_seq:
        return Problem(
            "deleted",
            expected_seq,
            None,
            _("event #%(seq)s was deleted: the chain jumps to %(event)s.")
            % {"seq": expected_seq, "event": _describe(event)},
        )
    if is_self_consistent(event):
        # The event is as written; the hash of the one before it was rewritten with its content.
        before = AuditEvent.objects.filter(seq=event.seq - 1).first()
        if before is not None:
            return _modified(before)
    return _modified(event)


def _rows(queryset) -> Iterator[AuditEvent]:
    return queryset.only(*_FIELDS).order_by("seq").iterator(chunk_size=2000)


def verify_chain() -> Verification:
    """Walk the whole chain from the first event and stop at the first break."""
    result = Verification(scope=_("whole chain"))
    expected_prev, expected_seq = GENESIS_HASH, 1
    last: AuditEvent | None = None
    for event in _rows(AuditEvent.objects.all()):
        if event.prev_hash != expected_prev:
            result.problem = _link_problem(event, expected_seq)
            return result
        if event.seq != expected_seq or not is_self_consistent(event):
            result.problem = _modified(event)
            return result
        result.checked += 1
        expected_prev, expected_seq, last = event.hash, event.seq + 1, event
    head = AuditChainHead.objects.filter(id=1).first()
    result.head_seq = head.seq if head else 0
    result.head_hash = head.hash if head else GENESIS_HASH
    last_seq = last.seq if last else 0
    if result.head_seq > last_seq:
        result.problem = Problem(
            "deleted",
            last_seq + 1,
            None,
            _("events #%(first)s to #%(last)s were deleted: the chain head records #%(last)s.")
            % {"first": last_seq + 1, "last": result.head_seq},
        )
    elif last is not None and (result.head_seq < last_seq or result.head_hash != last.hash):
        # Rows past the recorded head were appended around the services.
        after = AuditEvent.objects.filter(seq=result.head_seq + 1).first() or last
        result.problem = Problem(
            "inserted",
            after.seq,
            after.pk,
            _("event %(event)s was inserted after the recorded chain head #%(head)s.")
            % {"event": _describe(after), "head": result.head_seq},
        )
    return result


def verify_household(household_id: int, events: list[AuditEvent] | None = None) -> Verification:
    """Check one household's events without walking the whole chain.

    Its events must be numbered 1…n within the household, in chain order, each intact and
    linked to the chain events just before and after it. A deleted event of the household is
    found by the gap in its numbering, or by the broken link around it; deleting the
    household's newest events, where other households' events follow, is found only by
    ``verify_chain`` (``audit_verify`` without ``--household``). ``events`` are the
    household's events if the caller has read them already.
    """
    result = Verification(scope=_("household"))
    if events is None:
        events = list(AuditEvent.objects.filter(household_id=household_id).only(*_FIELDS))
    events = sorted(events, key=lambda e: (e.household_seq or 0, e.seq))
    head = AuditChainHead.objects.filter(id=1).first()
    result.head_seq = head.seq if head else 0
    result.head_hash = head.hash if head else GENESIS_HASH
    neighbours = {
        row.seq: row
        for row in AuditEvent.objects.filter(
            seq__in={e.seq - 1 for e in events} | {e.seq + 1 for e in events}
        ).only("id", "seq", "prev_hash", "hash", "action")
    }
    previous: AuditEvent | None = None
    for number, event in enumerate(events, start=1):
        if event.household_seq is not None and event.household_seq != number:
            if event.household_seq > number:
                result.problem = Problem(
                    "deleted",
                    event.seq,
                    None,
                    _(
                        "the household's event no. %(number)s was deleted: its events jump to "
                        "no. %(found)s, %(event)s."
                    )
                    % {"number": number, "found": event.household_seq, "event": _describe(event)},
                )
            else:
                result.problem = _modified(event)
            return result
        if previous is not None and event.seq < previous.seq:
            result.problem = Problem(
                "reordered",
                event.seq,
                event.pk,
                _("event %(event)s was reordered: it belongs after %(other)s.")
                % {"event": _describe(event), "other": _describe(previous)},
            )
            return result
        before = neighbours.get(event.seq - 1)
        expected_prev = GENESIS_HASH if event.seq == 1 else (before.hash if before else None)
        if event.prev_hash != expected_prev:
            result.problem = _link_problem(event, event.seq if before else event.seq - 1)
            return result
        if not is_self_consistent(event):
            result.problem = _modified(event)
            return result
        after = neighbours.get(event.seq + 1)
        if after is None and event.seq < result.head_seq:
            result.problem = Problem(
                "deleted",
                event.seq + 1,
                None,
                _("event #%(seq)s was deleted: nothing follows %(event)s in the chain.")
                % {"seq": event.seq + 1, "event": _describe(event)},
            )
            return result
        if after is not None and after.prev_hash != event.hash:
            result.problem = _link_problem(after, after.seq)
            return result
        result.checked += 1
        previous = event
    return result
