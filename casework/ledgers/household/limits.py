"""Limits on an uploaded household ledger, checked on the file itself before openpyxl parses
anything big: a 1 MB workbook may hold a 1 GiB cell, and openpyxl would hold it in memory.

The defaults fit a county's ledger of a city of 268,600 households (about a million members,
imported county by county) and keep the import's peak memory under 300 MB:

- ``upload_mb`` 50: the size the upload page has always promised; a 100,000-row ledger written
  with inline strings is about 10 MB.
- ``rows`` 100,000 rows (members): the reader keeps the rows in memory, and 100,000 rows take
  about 275 MB at peak, measured; a larger ledger is split by county or township.
- ``member_mb`` 256 and ``total_mb`` 512 uncompressed: the same 100,000 rows are one 124 MB
  sheet; zip members are decompressed only in streaming passes, so these bound time, not memory.
- ``shared_strings_mb`` 64: openpyxl loads the shared strings whole; 100,000 rows of names,
  numbers and addresses as Excel writes them are about 20 MB.
- ``ratio`` 100: XML sheets compress 10–15 to 1; a member of more than 1 MB packed 100 times or
  more is a zip bomb, not a ledger.
- ``cell_chars`` 1,000 characters: the longest ledger column (the address) is stored in 200;
  Excel itself stops at 32,767.
- ``members`` 1,000: a workbook has a dozen parts; the zip's directory is read whole.

``settings.LEDGER_IMPORT_LIMITS`` (a dict with these keys) overrides any of them.
"""

import re
import struct
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from .problems import LedgerUnreadable

MB = 1024 * 1024
CHUNK = 1 << 20
RATIO_FROM_BYTES = MB  # smaller members may compress as well as they like
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_DELIMITER = re.compile(rb"<")
# Text in the XML is escaped: one character takes at most 6 bytes (&quot;); a start tag such as
# <t xml:space="preserve"> is short. A run of bytes without < longer than this is too long (only <
# ends a text: a raw > is legal inside one, so it cannot be taken as a delimiter).
_BYTES_PER_CHAR = 6
_RUN_SLACK = 1024


@dataclass(frozen=True)
class ImportLimits:
    upload_mb: int = 50
    rows: int = 100_000
    cell_chars: int = 1_000
    member_mb: int = 256
    shared_strings_mb: int = 64
    total_mb: int = 512
    ratio: int = 100
    members: int = 1_000


def import_limits() -> ImportLimits:
    """The limits in force: the defaults, overridden by ``settings.LEDGER_IMPORT_LIMITS``."""
    return ImportLimits(**getattr(settings, "LEDGER_IMPORT_LIMITS", {}))


def _unreadable() -> LedgerUnreadable:
    return LedgerUnreadable(
        _(
            "The file cannot be read as an Excel workbook (.xlsx). An old .xls file must be "
            "saved as .xlsx first."
        )
    )


@contextmanager
def _opened(source: str | Path | IO[bytes]) -> Iterator[IO[bytes]]:
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            yield handle
    else:
        position = source.tell()
        try:
            yield source
        finally:
            source.seek(position)


def _directory(handle: IO[bytes], size: int) -> tuple[int, int]:
    """(members, bytes) of the zip's central directory, read from its end record without
    reading the directory itself. Zip64 markers (0xFFFF, 0xFFFFFFFF) exceed any limit."""
    tail_size = min(size, _EOCD_SIZE + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        raise _unreadable()
    members, directory_bytes = struct.unpack("<HI", tail[at + 10 : at + 16])
    return members, directory_bytes


def _too_long_run(stream: IO[bytes], limit: int) -> bool:
    """Whether the XML in ``stream`` holds more than ``limit`` bytes between two < (a tag and
    its text that long), read in chunks so that memory stays bounded."""
    carry = 0  # bytes since the last < of the previous chunks
    too_long = re.compile(rb"[^<]{%d}" % (limit + 1))
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        first = _DELIMITER.search(chunk)
        if first is None:
            carry += len(chunk)
            if carry > limit:
                return True
            continue
        if carry + first.start() > limit or too_long.search(chunk, first.end()):
            return True
        carry = len(chunk) - chunk.rfind(b"<") - 1
    return False


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def check_workbook(
    source: str | Path | IO[bytes], limits: ImportLimits | None = None, *, scan: bool = True
) -> None:
    """Refuse (``LedgerUnreadable``, in Chinese) a workbook over the limits: its size, its zip
    members' uncompressed sizes, their total and compression ratio; with ``scan``, also any XML
    member holding a text longer than a cell may be (streamed, never held in memory)."""
    limits = limits or import_limits()
    with _opened(source) as handle:
        handle.seek(0, 2)
        size = handle.tell()
        if size > limits.upload_mb * MB:
            raise LedgerUnreadable(
                _("The file is larger than %(mb)d MB; split it.") % {"mb": limits.upload_mb}
            )
        members, directory_bytes = _directory(handle, size)
        if members > limits.members or directory_bytes > limits.members * 1024:
            raise LedgerUnreadable(
                _("The workbook has more than %(n)d parts; it is not a ledger.")
                % {"n": limits.members}
            )
        handle.seek(0)
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError) as exc:
            raise _unreadable() from exc
        with archive:
            _check_members(archive.infolist(), limits)
            if scan:
                _scan_members(archive, limits)


def _check_members(infos: list[zipfile.ZipInfo], limits: ImportLimits) -> None:
    total = 0
    for info in infos:
        name, unpacked = info.filename, info.file_size
        limit_mb = (
            limits.shared_strings_mb
            if Path(name).name.lower() == "sharedstrings.xml"
            else limits.member_mb
        )
        if unpacked > limit_mb * MB:
            raise LedgerUnreadable(
                _("The workbook's part %(name)s exceeds %(mb)d MB when unpacked.")
                % {"name": name, "mb": limit_mb}
            )
        if unpacked > RATIO_FROM_BYTES and unpacked > limits.ratio * max(info.compress_size, 1):
            raise LedgerUnreadable(
                _(
                    "The workbook's part %(name)s is packed more than %(ratio)d to 1; it is not "
                    "a ledger."
                )
                % {"name": name, "ratio": limits.ratio}
            )
        total += unpacked
        if total > limits.total_mb * MB:
            raise LedgerUnreadable(
                _("The workbook exceeds %(mb)d MB when unpacked; split it.")
                % {"mb": limits.total_mb}
            )


def _scan_members(archive: zipfile.ZipFile, limits: ImportLimits) -> None:
    limit = limits.cell_chars * _BYTES_PER_CHAR + _RUN_SLACK
    for info in archive.infolist():
        if not _is_xml(info.filename):
            continue
        try:
            with archive.open(info) as stream:
                too_long = _too_long_run(stream, limit)
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:
            raise _unreadable() from exc
        if too_long:
            raise LedgerUnreadable(
                _(
                    "The workbook's part %(name)s holds a text longer than %(n)d characters; "
                    "a cell may hold at most %(n)d."
                )
                % {"name": info.filename, "n": limits.cell_chars}
            )
