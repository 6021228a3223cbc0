"""Importing a household ledger (户籍台账): the ``ledger_import`` service.

Everything or nothing: every row is checked first, and one bad row means nothing is written.
The report names each bad row (row number, column, value, reason in Chinese, and the reason's
code). Households already in the system are never changed by an import: a second import of the
same file writes nothing, and where the file differs from the system the report says so. New
households are registered through the registry's bulk registration, which starts their
HouseholdFlow at the assessment step; the import itself is recorded as ``ledger.import``.
"""

import hashlib
import logging
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_chain_held, audit_record
from casework.registry.models import Region
from casework.registry.registration import HouseholdRegistration, households_register_bulk
from casework.registry.services import region_ensure

from .checks import HouseholdEntry, RowChecks
from .problems import Findings, LedgerReport, Problem, ProblemCode
from .reader import Progress, Sheet, Source, read_sheet
from .registry_checks import HouseholdChecks

logger = logging.getLogger(__name__)


def file_sha256(source: Source) -> str:
    digest = hashlib.sha256()
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    else:
        position = source.tell()
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
        source.seek(position)
    return digest.hexdigest()


def sites_allowed(actor: User | None) -> set[int] | None:
    """The sites ``actor`` may import into (None: the command line, every site)."""
    if actor is None:
        return None
    allowed = set(permissions.sites_for_import(actor).values_list("pk", flat=True))
    if not allowed:
        raise PermissionDenied(_("You may not import ledgers."))
    return allowed


def _region_level(code: str) -> str:
    if code[9:] != "000":
        return Region.Level.VILLAGE
    if code[6:9] != "000":
        return Region.Level.TOWNSHIP
    if code[4:6] != "00":
        return Region.Level.COUNTY
    if code[2:4] != "00":
        return Region.Level.PREFECTURE
    return Region.Level.PROVINCE


def _check(
    sheet: Sheet, allowed: set[int] | None, progress: Progress | None
) -> tuple[Findings, dict[str, HouseholdEntry], set[str]]:
    """The problems, the households of the file and the numbers of those already registered.
    A file with a missing column or no rows is not checked row by row."""
    found = Findings(sheet.titles)
    found.errors.extend(sheet.errors)
    found.notices.extend(sheet.notices)
    if not sheet.rows:
        found.errors.append(Problem(sheet.header_row, "", "", ProblemCode.NO_ROWS))
    if found.errors:
        return found, {}, set()
    rows = RowChecks(found)
    rows.check_rows(sheet.rows, progress)
    households = HouseholdChecks(found, allowed)
    households.check(rows.households, list(rows.documents))
    if progress:
        progress("check", len(sheet.rows), len(sheet.rows))
    return found, rows.households, households.existing


def households_write(
    *,
    actor: User | None,
    new: list[HouseholdEntry],
    report: LedgerReport,
    progress: Progress | None,
) -> None:
    """Create the new origin villages, register the new households, record the import."""
    if progress:
        progress("write", 0, len(new))
    # One lock and read of the audit chain for every new village's event and the import's own.
    with transaction.atomic(), audit_chain_held():
        regions: dict[str, Region] = {}
        for entry in new:
            if entry.region_to_create is None:
                continue
            code, name = entry.region_to_create
            if code not in regions:
                level = _region_level(code)
                regions[code] = region_ensure(actor=actor, code=code, name=name, level=level)
            entry.data["origin_region"] = regions[code]
        households = households_register_bulk(
            actor=actor,
            households=[
                HouseholdRegistration(entry.number, entry.data, [m.data for m in entry.members])
                for entry in new
            ],
        )
        audit_record(
            actor=actor,
            action="ledger.import",
            obj=households[0],
            household_id=None,
            changes={
                "file": (None, report.file_name),
                "sha256": (None, report.sha256),
                "households": (None, len(households)),
                "members": (None, report.members_new),
            },
        )
        if progress:
            progress("write", len(households), len(households))


def _count(
    report: LedgerReport, households: dict[str, HouseholdEntry], existing: set[str]
) -> list[HouseholdEntry]:
    """Fill in the report's counts; the households new to the system."""
    report.households = len(households)
    report.members = sum(len(e.rows) for e in households.values())
    new = [e for e in households.values() if e.number not in existing]
    report.households_unchanged = len(households) - len(new)
    report.households_new = len(new)
    report.members_new = sum(len(e.members) for e in new)
    if report.errors:
        report.households_new = report.members_new = 0
    return new


def ledger_import(
    *,
    actor: User | None,
    source: Source,
    file_name: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> LedgerReport:
    """Check a ledger and, when every row is good and ``dry_run`` is False, import its new
    households in one transaction.

    With an ``actor``, only into the sites they may import into (``permissions.sites_for_import``;
    ``PermissionDenied`` when there are none); without one (the command line), every site.
    Raises ``LedgerUnreadable`` for a file that is not a ledger.
    """
    with translation.override("zh-hans"):
        allowed = sites_allowed(actor)
        report = LedgerReport(
            file_name=file_name or (str(source) if isinstance(source, str | Path) else ""),
            sha256=file_sha256(source),
            dry_run=dry_run,
        )
        sheet = read_sheet(source, progress)
        report.rows = len(sheet.rows)
        found, households, existing = _check(sheet, allowed, progress)
        report.errors = sorted(found.errors, key=lambda p: (p.row, p.column))
        report.notices = sorted(found.notices, key=lambda p: (p.row, p.column))
        new = _count(report, households, existing)
        if report.errors or dry_run or not new:
            return report
        try:
            households_write(actor=actor, new=new, report=report, progress=progress)
        except IntegrityError as exc:
            logger.warning(
                "Ledger import collided with a concurrent change: %s", type(exc).__name__
            )
            report.households_new = report.members_new = 0
            report.errors.append(Problem(0, "", "", ProblemCode.CONCURRENT_CHANGE))
            return report
        report.imported = True
        return report
