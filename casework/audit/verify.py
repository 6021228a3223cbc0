"""Re-verify the audit chain and name the first event that was tampered with.

Each event stores the hash of its predecessor and a hash over its own content plus that
predecessor hash (``chain.py``). Walking the chain in ``seq`` order, the first break tells what
happened there:

- a row whose stored hash no longer matches its content was **modified**;
- a row that links to a hash no row has, after a gap in ``seq``, follows a **deleted** event;
- a row that links to a *later* row was **reordered**;
- a row that links to an *earlier* row than its predecessor follows **inserted** rows;
- a plain SHA-256 row after the first keyed (HMAC) row was **forged**: written without the key;
- an anchored head (``anchor.py``) the table no longer holds means the newest events were
  **truncated** (deleted, the chain rewound), one with another hash that the chain was
  **rewritten** and recomputed.

Without the audit key nobody can compute a keyed hash, and without the anchor file nobody can
hide a cut: someone who holds the key too can still rewrite what came after the last anchor.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

from .anchor import Anchor
from .chain import GENESIS_HASH, KEYED, PLAIN, is_self_consistent
from .models import AuditEvent
from .selectors import chain_head

Kind = Literal[
    "modified", "deleted", "inserted", "reordered", "forged", "truncated", "rewritten", "anchor"
]


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
    anchored: int = 0  # anchors found in the chain

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
    "hash_scheme",
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


def _forged(event: AuditEvent) -> Problem:
    return Problem(
        "forged",
        event.seq,
        event.pk,
        _(
            "event %(event)s carries a plain SHA-256 hash after keyed events began: it was "
            "written without the audit key (forged)."
        )
        % {"event": _describe(event)},
    )


def _anchor_problem(anchor: Anchor, event: AuditEvent | None) -> Problem:
    at = anchor.local_time.strftime("%Y-%m-%d %H:%M:%S")
    if event is None:
        return Problem(
            "truncated",
            anchor.seq,
            None,
            _(
                "anchored event #%(seq)s (anchored %(at)s) does not exist in the database: "
                "events were truncated or deleted."
            )
            % {"seq": anchor.seq, "at": at},
        )
    return Problem(
        "rewritten",
        anchor.seq,
        event.pk,
        _(
            "anchored event #%(seq)s (anchored %(at)s) no longer has the anchored hash: the "
            "chain was rewritten up to there."
        )
        % {"seq": anchor.seq, "at": at},
    )


# How far, in events, a broken link's predecessor is first looked for (``_link_problem``).
LINK_WINDOW = 10_000


def _link_problem(event: AuditEvent, expected_seq: int) -> Problem:
    """Why ``event`` does not link to the event before it. Only a broken chain comes here. The
    event it links to is looked for by hash, which has no index: first among the events near
    it (by ``seq``; a moved or inserted event is usually close), then in the whole chain."""
    by_hash = AuditEvent.objects.filter(hash=event.prev_hash).only("id", "seq", "action")
    near = by_hash.filter(seq__range=(event.seq - LINK_WINDOW, event.seq + LINK_WINDOW))
    linked = near.first() or by_hash.first()
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


def verify_chain(anchors: Sequence[Anchor] = ()) -> Verification:
    """Walk the whole chain from the first event and stop at the first break; every anchored
    head (``anchors``, from the anchor file) must be in it."""
    result = Verification(scope=_("whole chain"))
    anchored = {anchor.seq: anchor for anchor in anchors}
    expected_prev, expected_seq = GENESIS_HASH, 1
    keyed = False
    for event in _rows(AuditEvent.objects.all()):
        if event.prev_hash != expected_prev:
            result.problem = _link_problem(event, expected_seq)
            return result
        if event.seq != expected_seq or not is_self_consistent(event):
            result.problem = _modified(event)
            return result
        if keyed and event.hash_scheme == PLAIN:
            result.problem = _forged(event)
            return result
        anchor = anchored.get(event.seq)
        if anchor is not None:
            if anchor.hash != event.hash:
                result.problem = _anchor_problem(anchor, event)
                return result
            result.anchored += 1
        keyed = keyed or event.hash_scheme == KEYED
        result.checked += 1
        expected_prev, expected_seq = event.hash, event.seq + 1
        result.head_seq, result.head_hash = event.seq, event.hash
    beyond = [anchor for anchor in anchored.values() if anchor.seq > result.head_seq]
    if beyond:
        result.problem = _anchor_problem(min(beyond, key=lambda anchor: anchor.seq), None)
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
    result.head_seq, result.head_hash = chain_head()
    neighbours = {
        row.seq: row
        for row in AuditEvent.objects.filter(
            seq__in={e.seq - 1 for e in events} | {e.seq + 1 for e in events}
        ).only("id", "seq", "prev_hash", "hash", "action", "hash_scheme")
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
        if event.hash_scheme == PLAIN and before is not None and before.hash_scheme == KEYED:
            # Plain events are the chain's oldest; one linked to a keyed event was forged.
            result.problem = _forged(event)
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
