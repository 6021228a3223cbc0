"""The anchor file: the chain's head written outside the database, on every scheduler sweep.

One line per anchor, ``SEQ<TAB>HASH<TAB>TIME<TAB>MAC``, appended (``O_APPEND``, fsync) to
``AUDIT_ANCHOR_PATH``. ``MAC`` is an HMAC (``keys.anchor_key``) over the previous line's MAC and
this line's fields, so a line edited, inserted or dropped anywhere but at the very end breaks
every MAC after it. ``audit_verify`` then demands that the database still holds every anchored
(seq, hash): a truncated table, a deleted and rewound tail or a rewritten history is found back
to the last anchor. The file is only ever appended to; keep a copy apart from the DB backups.
"""

import datetime
import fcntl
import hashlib
import hmac
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .keys import anchor_key
from .models import AuditEvent
from .selectors import chain_head

logger = logging.getLogger(__name__)
ZERO_MAC = "0" * 64
TAIL_BYTES = 4096  # far more than two lines


@dataclass(frozen=True)
class Anchor:
    """One anchored head: the chain's last event when the line was written."""

    seq: int
    hash: str
    at: str  # ISO 8601, UTC
    mac: str

    @property
    def local_time(self) -> datetime.datetime:
        return timezone.localtime(datetime.datetime.fromisoformat(self.at))

    def line(self) -> str:
        return f"{self.seq}\t{self.hash}\t{self.at}\t{self.mac}\n"


class AnchorFileBroken(Exception):
    """A line of the anchor file is malformed or does not follow the line before it."""

    def __init__(self, line: int | None) -> None:
        super().__init__(f"anchor file line {line or 'last'} does not verify")
        self.line = line


class AnchorRefused(Exception):
    """The database no longer holds the last anchored head: anchoring stops until verified."""


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_PATH)


def _mac(prev_mac: str, seq: int, digest: str, at: str) -> str:
    message = f"{prev_mac}\n{seq}\t{digest}\t{at}".encode()
    return hmac.new(anchor_key(), message, hashlib.sha256).hexdigest()


def _parse(text: str, prev_mac: str, line: int | None) -> Anchor:
    fields = text.rstrip("\n").split("\t")
    if len(fields) != 4 or not fields[0].isdigit():
        raise AnchorFileBroken(line)
    anchor = Anchor(int(fields[0]), fields[1], fields[2], fields[3])
    if not hmac.compare_digest(_mac(prev_mac, anchor.seq, anchor.hash, anchor.at), anchor.mac):
        raise AnchorFileBroken(line)
    return anchor


def anchors_read(path: Path | None = None) -> list[Anchor] | None:
    """Every anchor in the file, each line checked against the one before it; None when there
    is no file. Raises ``AnchorFileBroken`` naming the first line that does not verify."""
    path = path or anchor_path()
    if not path.exists():
        return None
    anchors: list[Anchor] = []
    prev_mac = ZERO_MAC
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            anchor = _parse(text, prev_mac, number)
            anchors.append(anchor)
            prev_mac = anchor.mac
    return anchors


def anchor_latest(path: Path | None = None) -> Anchor | None:
    """The last anchor, read from the file's tail and checked against the line before it."""
    path = path or anchor_path()
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - TAIL_BYTES))
            tail = handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    lines = tail.splitlines()
    if size > TAIL_BYTES:
        lines = lines[1:]  # the first one may be cut
    if not lines:
        return None
    if len(lines) == 1:
        if size > TAIL_BYTES:
            raise AnchorFileBroken(None)
        return _parse(lines[0], ZERO_MAC, 1)
    previous = lines[-2].split("\t")
    if len(previous) != 4:
        raise AnchorFileBroken(None)
    return _parse(lines[-1], previous[3], None)


def anchor_append(path: Path | None = None) -> Anchor | None:
    """Append the chain's current head to the anchor file, unless it is the last one there.

    Refuses (``AnchorRefused``) when the database no longer holds the last anchored head, so
    the file never vouches for a chain that was cut or rewritten; ``audit_verify`` says what
    happened. The file is opened with O_APPEND and synced to disk before this returns.
    """
    path = path or anchor_path()
    seq, digest = chain_head()
    if seq == 0:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        last = anchor_latest(path)
        if last is not None:
            if (last.seq, last.hash) == (seq, digest):
                return None
            if not AuditEvent.objects.filter(seq=last.seq, hash=last.hash).exists():
                raise AnchorRefused(
                    f"the anchored head #{last.seq} is no longer in the database: run audit_verify"
                )
        at = timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds")
        anchor = Anchor(seq, digest, at, _mac(last.mac if last else ZERO_MAC, seq, digest, at))
        os.write(fd, anchor.line().encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    return anchor


def anchor_on_sweep() -> Anchor | None:
    """``anchor_append`` for the scheduler's sweep: a failure is logged, never raised."""
    try:
        return anchor_append()
    except Exception:  # noqa: BLE001 - the sweep goes on; the failure is logged each time
        logger.exception("Could not anchor the audit chain's head")
        return None
