"""Importing a national person-level table (the ``national_import`` service), checked row by
row as the household ledger is (everything or nothing: one bad row and nothing is written).

- a household new to the system that names its site and grid (the columns a county adds) is
  registered as a household of the ledger is, and each member keeps 人编号 and the table's cells;
- a new household that names neither waits for a manager (``UnassignedHousehold``);
- a household already registered is compared cell by cell: the differences wait for a manager
  (``NationalChange``, applied by ``changes.national_changes_apply``), and nothing of the
  household changes. Members registered before any national table get their 人编号 attached.
"""

import logging
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import translation

from casework.audit.services import (
    PendingEvent,
    audit_chain_held,
    audit_record,
    audit_record_many,
)
from casework.registry.models import Household, Member, Region, Site
from casework.registry.validators import clean_text, mask_document_number

from ...household.checks import HouseholdEntry, RowChecks
from ...household.importer import file_sha256, households_write, sites_allowed
from ...household.problems import Findings, LedgerReport, Problem, ProblemCode
from ...household.reader import Progress, SheetRow, Source
from ...household.registry_checks import HouseholdChecks, document_owners
from ...models import LedgerImport, NationalChange, NationalRecord, UnassignedHousehold
from ..compare import TableComparison, household_value
from ..reader import NationalRow, NationalSheet, read_national

logger = logging.getLogger(__name__)
C = ProblemCode
CHUNK = 5000
PERSON_NUMBER_LENGTH = NationalRecord._meta.get_field("person_number").max_length or 40


def member_rows(rows: list[NationalRow], found: Findings, progress: Progress | None) -> RowChecks:
    """The row checks of the household ledger over a table's rows (our fields only)."""
    checks = RowChecks(found)
    checks.check_rows([SheetRow(row.number, row.fields) for row in rows], progress)
    return checks


def records_for(
    households: list[Household], entries: list[HouseholdEntry], lines: dict[int, NationalRow]
) -> list[NationalRecord]:
    """Each new member's national record: 人编号 and the cells of their row."""
    rows = {
        member.data["document_number"]: lines[member.row]
        for entry in entries
        for member in entry.members
    }
    members = Member.objects.filter(household__in=households).values_list("pk", "document_number")
    return [
        NationalRecord(
            member_id=pk,
            person_number=rows[number].cells.get("人编号", ""),
            cells=rows[number].cells,
        )
        for pk, number in members
        if number in rows
    ]


class _Split:
    """The file's households: registered already (in the importer's sites, compared; in other
    sites, left alone), to register, waiting for a grid (new, or already waiting: their rows
    are replaced by the file's), and queue entries the file settles (registered meanwhile, or
    now naming their site)."""

    def __init__(self, checks: RowChecks, found: Findings, allowed: set[int] | None) -> None:
        numbers = list(checks.households)
        known: dict[str, Household] = {}
        queued: dict[str, int] = {}
        for start in range(0, len(numbers), CHUNK):
            chunk = numbers[start : start + CHUNK]
            registered = Household.objects.filter(number__in=chunk).select_related("grid__site")
            known.update((h.number, h) for h in registered)
            queue = UnassignedHousehold.objects.filter(number__in=chunk)
            queued.update(queue.values_list("number", "pk"))
        self.known: dict[str, Household] = {}
        self.placed: list[HouseholdEntry] = []
        self.waiting: list[HouseholdEntry] = []
        self.refreshed: dict[int, HouseholdEntry] = {}  # queue entry pk -> its new rows
        self.settled = [pk for number, pk in queued.items() if number in known]
        for entry in checks.households.values():
            household = known.get(entry.number)
            if household is not None:
                if allowed is None or household.grid.site_id in allowed:
                    self.known[entry.number] = household
                else:
                    found.notice(entry.first_row, "number", entry.number, C.OTHER_SITE,
                                 number=entry.number)  # fmt: skip
            elif entry.raw.get("site") or entry.raw.get("grid"):
                self.placed.append(entry)
                if entry.number in queued:
                    self.settled.append(queued[entry.number])
            elif entry.number in queued:
                self.refreshed[queued[entry.number]] = entry
                found.notice(entry.first_row, "number", entry.number, C.WAITING_FOR_GRID,
                             number=entry.number)  # fmt: skip
            else:
                self.waiting.append(entry)
        households = HouseholdChecks(found, allowed)
        for entry in self.placed:
            households.check_household(entry)
        for entry in (*self.waiting, *self.refreshed.values()):
            for key in ("household_type", "monitoring", "household_phone"):
                line, text = entry.raw.get(key, (entry.first_row, ""))
                household_value(found, line, key, text)
        new = {e.number: e for e in (*self.placed, *self.waiting, *self.refreshed.values())}
        households.check_heads(new)
        documents = [m.data["document_number"] for e in new.values() for m in e.members]
        households.check_against_database(new, documents)
        self.check_known_members(checks, found)

    def check_known_members(self, checks: RowChecks, found: Findings) -> None:
        """A person of a registered household's rows registered in another household is an
        error, as for a new household."""
        entries = [checks.households[number] for number in self.known]
        documents = [m.data["document_number"] for e in entries for m in e.members]
        owners = document_owners(documents)
        for entry in entries:
            for member in entry.members:
                owner = owners.get(member.data["document_number"])
                if owner is not None and owner != entry.number:
                    masked = mask_document_number(member.data["document_number"])
                    found.error(member.row, "document_number", masked, C.DUPLICATE_IN_SYSTEM,
                                number=owner)  # fmt: skip


class _Counties:
    """The county a waiting household belongs to: the one its 县 cell names among the counties
    of the importer's sites (or the only one); any county for the command line."""

    def __init__(self, allowed: set[int] | None, found: Findings) -> None:
        self.found = found
        self.any = allowed is None
        ours = Region.objects.filter(
            pk__in=Site.objects.filter(pk__in=allowed or ()).values("county")
        )
        self.ours = {clean_text(region.name): region for region in ours}

    def of(self, entry: HouseholdEntry, row: NationalRow) -> Region | None:
        text = clean_text(row.cells.get("县(市、区、旗)", ""))
        if self.any:
            named = Region.objects.filter(level=Region.Level.COUNTY, name=text) if text else None
            return named.first() if named is not None else None
        if not self.ours:  # the importer's sites name no county: only they will see it
            return None
        if not text:
            return next(iter(self.ours.values())) if len(self.ours) == 1 else None
        county = self.ours.get(text)
        if county is None:
            self.found.error(entry.first_row, "county", text, C.COUNTY_NOT_OURS)
        return county


def _waiting(
    entries: list[HouseholdEntry],
    lines: dict[int, NationalRow],
    counties: _Counties,
    job: LedgerImport,
) -> list[UnassignedHousehold]:
    items = []
    for entry in entries:
        rows = [lines[line] for line in entry.rows]
        first = rows[0].cells
        head = next((m.data["name"] for m in entry.members if m.data["relationship"] == "head"), "")
        place = " ".join(
            filter(None, (first.get("乡(镇)"), first.get("行政村"), first.get("自然村")))
        )
        items.append(
            UnassignedHousehold(
                number=entry.number,
                head_name=head,
                members=len(rows),
                county=counties.of(entry, rows[0]),
                place=place[:200],
                rows=[row.cells for row in rows],
                source=job,
                imported_by=job.requested_by,
            )
        )
    return items


def _write(
    *,
    actor: User | None,
    job: LedgerImport,
    split: _Split,
    sheet: NationalSheet,
    comparison: TableComparison,
    waiting: list[UnassignedHousehold],
    report: LedgerReport,
) -> None:
    lines = {row.number: row for row in sheet.rows}
    with transaction.atomic(), audit_chain_held():
        # A retried attempt of the same job starts again from nothing of its own.
        NationalChange.objects.filter(source=job).delete()
        UnassignedHousehold.objects.filter(pk__in=split.settled).delete()
        if split.placed:
            households_write(actor=actor, new=split.placed, report=report, progress=None)
            numbers = [e.number for e in split.placed]
            registered = list(Household.objects.filter(number__in=numbers))
            NationalRecord.objects.bulk_create(records_for(registered, split.placed, lines))
        UnassignedHousehold.objects.bulk_create(waiting)
        refreshed = list(UnassignedHousehold.objects.filter(pk__in=split.refreshed))
        for item in refreshed:
            rows = [lines[line] for line in split.refreshed[item.pk].rows]
            item.rows, item.members = [row.cells for row in rows], len(rows)
            item.source = job
        UnassignedHousehold.objects.bulk_update(refreshed, ["rows", "members", "source"])
        NationalRecord.objects.bulk_create(comparison.links)
        # Each member given their national number is recorded on their household's history.
        audit_record_many(
            actor=actor,
            events=[
                PendingEvent(
                    "ledger.national_link",
                    link.member,
                    link.member.household_id,
                    {"人编号": (None, link.person_number)},
                )
                for link in comparison.links
            ],
        )
        for change in comparison.changes:
            change.source = job
        NationalChange.objects.bulk_create(comparison.changes)
        audit_record(
            actor=actor,
            action="ledger.national_import",
            obj=job,
            household_id=None,
            changes={
                "file": (None, report.file_name),
                "sha256": (None, report.sha256),
                "households": (None, report.households_new),
                "waiting": (None, len(waiting)),
                "differences": (None, len(comparison.changes)),
                "linked": (None, len(comparison.links)),
            },
        )


def national_import(
    *, job: LedgerImport, source: Source, progress: Progress | None = None
) -> LedgerReport:
    """Check the national table of ``job`` and, when every row is good and the job is not a
    check only, write it as the module says, in one transaction."""
    actor = job.requested_by
    with translation.override("zh-hans"):
        allowed = sites_allowed(actor)
        report = LedgerReport(
            file_name=job.original_name,
            sha256=file_sha256(source),
            dry_run=job.dry_run,
            layout=LedgerImport.Layout.NATIONAL,
        )
        sheet = read_national(source, progress)
        report.rows = len(sheet.rows)
        found = Findings(sheet.titles)
        found.errors.extend(sheet.errors)
        found.notices.extend(sheet.notices)
        if not sheet.rows:
            found.errors.append(Problem(sheet.header_row, "", "", C.NO_ROWS))
        lines = {row.number: row for row in sheet.rows}
        for row in sheet.rows:
            person = row.cells.get("人编号", "")
            if len(person) > PERSON_NUMBER_LENGTH:
                found.errors.append(Problem(row.number, "人编号", person, C.PERSON_NUMBER_LONG,
                                            {"n": PERSON_NUMBER_LENGTH}))  # fmt: skip
        split: _Split | None = None
        waiting: list[UnassignedHousehold] = []
        comparison = TableComparison(found, sheet.headers, lines)
        if not found.errors:
            checks = member_rows(sheet.rows, found, progress)
            split = _Split(checks, found, allowed)
            known = [
                checks.households[number] for number in split.known if number in checks.households
            ]
            comparison.compare(known, split.known)
            waiting = _waiting(split.waiting, lines, _Counties(allowed, found), job)
            report.households = len(checks.households)
            report.members = len(sheet.rows)
            report.households_unchanged = len(known)
        _report(report, found, split, waiting, comparison)
        if report.errors or job.dry_run or split is None:
            return report
        if not (split.placed or waiting or split.refreshed or split.settled or comparison.changes
                or comparison.links):  # fmt: skip
            return report
        try:
            _write(actor=actor, job=job, split=split, sheet=sheet, comparison=comparison,
                   waiting=waiting, report=report)  # fmt: skip
        except IntegrityError as exc:
            logger.warning(
                "National import collided with a concurrent change: %s", type(exc).__name__
            )
            report.households_new = report.members_new = report.households_unassigned = 0
            report.changes = 0
            report.errors.append(Problem(0, "", "", C.CONCURRENT_CHANGE))
            return report
        report.imported = True
        return report


def _report(
    report: LedgerReport,
    found: Findings,
    split: "_Split | None",
    waiting: list[Any],
    comparison: TableComparison,
) -> None:
    report.errors = sorted(found.errors, key=lambda p: (p.row, p.column))
    report.notices = sorted(found.notices, key=lambda p: (p.row, p.column))
    if report.errors or split is None:
        return
    report.households_new = len(split.placed)
    report.members_new = sum(len(e.members) for e in split.placed)
    report.households_unassigned = len(waiting)
    report.changes = len(comparison.changes)
