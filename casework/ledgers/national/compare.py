"""What a national table holds differently from the system, for households already registered:
cell by cell for the members it matches (by 人编号, else by ID number), and the members it adds.
Nothing is written here: the import keeps the differences (``NationalChange``) for a manager.
Members the system holds and the file lacks are not differences (an import never removes)."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from casework.registry.models import Household, Member
from casework.registry.validators import clean_text, normalize_phone

from ..household.checks import HouseholdEntry, coded
from ..household.problems import Findings
from ..models import NationalChange, NationalRecord
from .layout import FIELDS, Current, cell
from .reader import NationalRow

# Never compared: the row's number, the head's columns (the head's own row says it), the
# place (a household moves on its page), sex and birth date (the ID number says them).
SKIPPED = frozenset(
    {"序号", "户编号", "户主姓名", "户主证件号码", "安置点", "网格", "性别", "出生日期"}
)
HOUSEHOLD_FIELDS = frozenset({"household_type", "monitoring", "household_phone", "number"})


def current_of(household: Household, member: Member) -> Current:
    record: NationalRecord | None = getattr(member, "national", None)
    return Current(
        household, member, record.person_number if record else "", record.cells if record else {}
    )


def field_value(key: str, household: Household, member: Member) -> Any:
    if key == "household_phone":
        return household.phone
    return getattr(household if key in HOUSEHOLD_FIELDS else member, key)


def _parsed(found: Findings, line: int, key: str, row: NationalRow, data: dict[str, Any]) -> Any:
    """The file's value of our field ``key`` (the row checks already read the member's)."""
    if key in ("household_type", "monitoring"):
        return coded(found, line, key, row.cells[_header(key)])
    if key == "household_phone":
        try:
            return normalize_phone(row.cells["户联系电话"], field_label="户联系电话")
        except ValidationError:
            return row.cells["户联系电话"]  # the row checks do not read it; compared as text
    return data.get(key)


def _header(key: str) -> str:
    return next(header for header, field in FIELDS.items() if field == key)


class TableComparison:
    """The differences of the households ``entries`` (registered already) against the file."""

    def __init__(self, found: Findings, headers: list[str], lines: dict[int, NationalRow]) -> None:
        self.found = found
        self.headers = [h for h in headers if h not in SKIPPED]
        self.lines = lines
        self.changes: list[NationalChange] = []
        # Members registered here before the national system's table was first imported: their
        # national number and cells are attached (reported), and only our fields compared.
        self.links: list[NationalRecord] = []

    def compare(self, entries: Iterable[HouseholdEntry], households: dict[str, Household]) -> None:
        entries = list(entries)
        people: dict[int, list[Member]] = defaultdict(list)
        chosen = [households[e.number].pk for e in entries]
        for start in range(0, len(chosen), 2000):
            members = Member.objects.filter(household_id__in=chosen[start : start + 2000])
            for member in members.select_related("national").order_by("pk"):
                people[member.household_id].append(member)
        for entry in entries:
            household = households[entry.number]
            self.household(entry, household, people[household.pk])

    def household(self, entry: HouseholdEntry, household: Household, people: list[Member]) -> None:
        by_person = {m.national.person_number: m for m in people if hasattr(m, "national")}
        by_document = {m.document_number: m for m in people}
        head = next((m for m in people if m.relationship == Member.Relationship.HEAD), None)
        data = {m.row: m.data for m in entry.members}
        for line in entry.rows:
            row, values = self.lines[line], data.get(line, {})
            person = row.cells.get("人编号", "")
            member = (by_person.get(person) if person else None) or by_document.get(
                values.get("document_number", "")
            )
            if member is None:
                new = NationalChange(household=household, line=line, new=values.get("name", ""))
                new.row = row.cells
                self.changes.append(new)
                continue
            linked = hasattr(member, "national")
            if not linked:
                self.links.append(NationalRecord(member=member, person_number=person))
                self.links[-1].cells = row.cells
            self.member(line, row, values, current_of(household, member), head, linked)

    def member(
        self,
        line: int,
        row: NationalRow,
        values: dict[str, Any],
        now: Current,
        head: Member | None,
        linked: bool,
    ) -> None:
        for header in self.headers:
            if not linked and header not in FIELDS:
                continue
            old = cell(header, now, head, unmasked=True)
            new = row.cells.get(header, "")
            value: Any = None
            if header in FIELDS:
                value = _parsed(self.found, line, FIELDS[header], row, values)
                differs = field_value(FIELDS[header], now.household, now.member) != value
            else:
                differs = clean_text(old) != clean_text(new)
            if differs:
                change = NationalChange(
                    household=now.household, member=now.member, line=line, column=header
                )
                change.old, change.new = old, new
                change.row = {"value": value} if header in FIELDS else {}
                self.changes.append(change)
