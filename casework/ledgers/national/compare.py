"""What a national table holds differently from the system, for households already registered:
cell by cell for the members it matches (by 人编号, else by ID number), and the members it adds.
Nothing is written here: the import keeps the differences (``NationalChange``) for a manager.
Members the system holds and the file lacks are not differences (an import never removes)."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from casework.registry.models import Household, Member
from casework.registry.validators import clean_text, mask_phone, normalize_phone

from ..household.checks import HouseholdEntry, coded
from ..household.problems import Findings, ProblemCode, masked_message
from ..household.template import BY_KEY
from ..models import NationalChange, NationalRecord
from .layout import FIELDS, Current, cell
from .reader import NationalRow

# Never compared: the row's number, the table's own date and year (when it was drawn, not
# what it says), the head's columns (the head's own row says it), the place (a household moves
# on its page), sex and birth date (the ID number says them).
SKIPPED = frozenset(
    {"序号", "数据日期", "年度", "户编号", "户主姓名", "户主证件号码", "安置点", "网格", "性别",
     "出生日期"}
)  # fmt: skip
HOUSEHOLD_FIELDS = frozenset({"household_type", "monitoring", "household_phone", "number"})
# Our household's fields: compared once per household, from its first non-empty cell.
HOUSEHOLD_HEADERS = frozenset(h for h, key in FIELDS.items() if key in HOUSEHOLD_FIELDS)
# Coded columns: the same value in another national word is a difference too (七年级 → 八年级).
CODED = frozenset(h for h, key in FIELDS.items() if BY_KEY[key].choices)


def current_of(household: Household, member: Member) -> Current:
    record: NationalRecord | None = getattr(member, "national", None)
    return Current(
        household, member, record.person_number if record else "", record.cells if record else {}
    )


def field_value(key: str, household: Household, member: Member) -> Any:
    if key == "household_phone":
        return household.phone
    return getattr(household if key in HOUSEHOLD_FIELDS else member, key)


def household_value(found: Findings, line: int, key: str, text: str) -> Any:
    if key == "household_phone":
        try:
            return normalize_phone(text, field_label="户联系电话")
        except ValidationError as exc:
            shown = mask_phone(clean_text(text))
            message = masked_message(" ".join(exc.messages), clean_text(text), shown)
            found.error(line, key, shown, ProblemCode.PHONE, message=message)
            return None
    return coded(found, line, key, text)


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
        if head is not None:
            self.household_fields(entry, current_of(household, head))

    def household_fields(self, entry: HouseholdEntry, now: Current) -> None:
        """Our household's own fields, once, from the first row that fills each in (an empty
        cell on a later row is not a wish to erase it)."""
        for header in self.headers:
            if header not in HOUSEHOLD_HEADERS or header == "户编号":
                continue
            key = FIELDS[header]
            line, text = entry.raw.get(key, (entry.first_row, ""))
            if not text:
                continue
            value = household_value(self.found, line, key, text)
            old = cell(header, now, None, unmasked=True)
            same = field_value(key, now.household, now.member) == value
            if same and (header not in CODED or clean_text(old) == clean_text(text)):
                continue
            change = NationalChange(household=now.household, member=now.member, line=line)
            change.column, change.old, change.new = header, old, text
            change.row = {"value": value}
            self.changes.append(change)

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
            if header in HOUSEHOLD_HEADERS or (not linked and header not in FIELDS):
                continue
            old = cell(header, now, head, unmasked=True)
            new = row.cells.get(header, "")
            value: Any = None
            if header in FIELDS:
                value = values.get(FIELDS[header])
                differs = field_value(FIELDS[header], now.household, now.member) != value
                if not differs and header in CODED:
                    differs = clean_text(old) != clean_text(new)
            else:
                differs = clean_text(old) != clean_text(new)
            if differs:
                change = NationalChange(
                    household=now.household, member=now.member, line=line, column=header
                )
                change.old, change.new = old, new
                change.row = {"value": value} if header in FIELDS else {}
                self.changes.append(change)
