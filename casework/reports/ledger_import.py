"""Importing a household ledger (户籍台账, the template of ``register``).

Everything or nothing: every row is checked first, and one bad row means nothing is written.
The report names each bad row (row number, column, value, reason in Chinese). Households already
in the system are never changed by an import: a second import of the same file writes nothing,
and where the file differs from the system the report says so. New households start their
HouseholdFlow at the assessment step.
"""

import datetime
import hashlib
import logging
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from casework.audit.services import PendingEvent, audit_record, audit_record_many
from casework.registry.models import Grid, Household, Member, Region, Site
from casework.registry.services import region_ensure
from casework.registry.validators import (
    ResidentId,
    clean_text,
    mask_document_number,
    mask_phone,
    normalize_phone,
    parse_resident_id,
)

from .register import (
    BY_KEY,
    COLUMNS,
    DEFAULTS,
    HOUSEHOLD_KEYS,
    SHEET_TITLE,
    column_for_header,
    fold,
    labels,
    parse_date,
    value_lists,
)

logger = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (phase, done, total)
MAX_ROWS = 300_000
HEADER_SEARCH_ROWS = 10
PROGRESS_EVERY = 1000
_CHECKSUMMED = {
    Member.DocumentType.RESIDENT_ID,
    Member.DocumentType.HMT_RESIDENCE,
    Member.DocumentType.FOREIGN_PR,
}
_HOUSEHOLD_MODEL_FIELDS = {
    "number": "number", "building": "building", "unit": "unit", "room": "room",
    "origin_address": "origin_address",
}  # fmt: skip
_MEMBER_MODEL_FIELDS = {"name": "name"}


class LedgerUnreadable(Exception):
    """The file is not a ledger this import can read (message in Chinese)."""


@dataclass(frozen=True)
class Problem:
    row: int  # the spreadsheet's own row number (0: the file as a whole)
    column: str
    value: str
    reason: str


@dataclass
class LedgerReport:
    """What an import found and did."""

    file_name: str = ""
    sha256: str = ""
    rows: int = 0
    households: int = 0
    members: int = 0
    errors: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    households_new: int = 0
    members_new: int = 0
    households_unchanged: int = 0
    imported: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.errors})

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["bad_rows"] = len(self.bad_rows)
        return data


# ---------------------------------------------------------------------------------------------
# Reading the file


def _cell_text(value: Any) -> str:
    """The text of a cell as a person would read it; '' when empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith('="') and text.endswith('"'):  # the way some exports keep a number text
        text = text[2:-1]
    return text.lstrip("'")


@dataclass
class SheetRow:
    number: int
    cells: dict[str, Any]  # column key -> raw cell value


@dataclass
class Sheet:
    header_row: int
    titles: dict[str, str]  # column key -> the header as written in the file
    rows: list[SheetRow]
    problems: list[Problem]


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[int, str]]:
    best_row, best = -1, {}
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {}
        for position, value in enumerate(values):
            key = column_for_header(value)
            if key and key not in found.values():
                found[position] = key
        if len(found) > len(best):
            best_row, best = index, found
    return best_row, best


def read_sheet(source: str | Path | IO[bytes], progress: Progress | None = None) -> Sheet:
    """Read the ledger's rows keyed by column; raises ``LedgerUnreadable`` for a file that is
    not an .xlsx workbook or has no recognisable header row."""
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise LedgerUnreadable(
            _(
                "The file cannot be read as an Excel workbook (.xlsx). An old .xls file must be "
                "saved as .xlsx first."
            )
        ) from exc
    try:
        sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        head = []
        for values in iterator:
            head.append(values)
            if len(head) >= HEADER_SEARCH_ROWS:
                break
        header_index, positions = _find_header(head)
        required = [c for c in COLUMNS if c.required]
        missing = [c.title for c in required if c.key not in positions.values()]
        if header_index < 0 or len(positions) < 3:
            raise LedgerUnreadable(
                _(
                    "No header row was found in the first %(n)d rows. Use the template: its "
                    "first row holds the column names (户编号, 姓名, 证件号码 …)."
                )
                % {"n": HEADER_SEARCH_ROWS}
            )
        header = head[header_index]
        problems = [
            Problem(header_index + 1, title, "", _("A required column is missing."))
            for title in missing
        ]
        known = set(positions)
        for position, value in enumerate(header):
            text = _cell_text(value)
            if text and position not in known:
                key = column_for_header(value)
                reason = (
                    _("The column appears twice; only the first is read.")
                    if key
                    else _("Not a column of the ledger template; it is ignored.")
                )
                problems.append(Problem(header_index + 1, text, "", reason))
        titles = {key: _cell_text(header[position]) for position, key in positions.items()}
        rows: list[SheetRow] = []
        body = [*head[header_index + 1 :]]
        number = header_index + 1
        for values in _chain(body, iterator):
            number += 1
            if not any(_cell_text(v) for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise LedgerUnreadable(
                    _("The ledger has more than %(n)d rows; split it into several files.")
                    % {"n": MAX_ROWS}
                )
            cells = {
                key: values[position] if position < len(values) else None
                for position, key in positions.items()
            }
            rows.append(SheetRow(number, cells))
            if progress and len(rows) % PROGRESS_EVERY == 0:
                progress("read", len(rows), 0)
    finally:
        book.close()
    return Sheet(header_index + 1, titles, rows, problems)


def _chain(first: Iterable[Any], second: Iterable[Any]) -> Iterable[Any]:
    yield from first
    yield from second


# ---------------------------------------------------------------------------------------------
# Checking


@dataclass
class MemberEntry:
    row: int
    data: dict[str, Any]


@dataclass
class HouseholdEntry:
    number: str
    first_row: int
    rows: list[int] = field(default_factory=list)
    raw: dict[str, tuple[int, str]] = field(default_factory=dict)  # key -> (row, text)
    data: dict[str, Any] = field(default_factory=dict)
    members: list[MemberEntry] = field(default_factory=list)
    region_to_create: tuple[str, str] | None = None


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


def _max_length(model: type, name: str) -> int:
    return model._meta.get_field(name).max_length


class _Checker:
    """Checks the rows of one sheet against the registry; collects problems and entries."""

    def __init__(self, sheet: Sheet, allowed_site_ids: set[int] | None, report: LedgerReport):
        self.sheet = sheet
        self.report = report
        self.allowed = allowed_site_ids
        self.households: dict[str, HouseholdEntry] = {}
        self.documents: dict[str, int] = {}
        sites = list(Site.objects.select_related("county"))
        self.sites_by_word: dict[str, list[Site]] = defaultdict(list)
        for site in sites:
            self.sites_by_word[fold(site.code)].append(site)
            if fold(site.name) != fold(site.code):
                self.sites_by_word[fold(site.name)].append(site)
        self.grids: dict[tuple[int, str], list[Grid]] = defaultdict(list)
        for grid in Grid.objects.all():
            self.grids[(grid.site_id, fold(grid.code))].append(grid)
            if fold(grid.name) != fold(grid.code):
                self.grids[(grid.site_id, fold(grid.name))].append(grid)
        self.regions: dict[str, Region] = {}
        self.new_regions: dict[str, tuple[str, int]] = {}
        self.residents: dict[str, ResidentId] = {}  # checked ID numbers, parsed once
        self.existing: set[str] = set()  # household numbers already in the system

    # -- helpers
    def title(self, key: str) -> str:
        return self.sheet.titles.get(key, BY_KEY[key].title)

    def error(self, row: int, key: str, value: str, reason: str) -> None:
        self.report.errors.append(Problem(row, self.title(key), value, reason))

    def notice(self, row: int, key: str, value: str, reason: str) -> None:
        self.report.notices.append(Problem(row, self.title(key), value, reason))

    def coded(self, row: int, key: str, text: str) -> str | None:
        name = BY_KEY[key].choices or ""
        if not text:
            if name in DEFAULTS:
                return DEFAULTS[name]
            self.error(row, key, text, _("Required."))
            return None
        value = value_lists()[name].get(fold(text))
        if value is None:
            accepted = "、".join(v for v in labels(name).values() if v)
            self.error(
                row, key, text, _("Not a known value. Accepted: %(values)s.") % {"values": accepted}
            )
        return value

    def length(self, row: int, key: str, text: str, model: type, name: str) -> bool:
        limit = _max_length(model, name)
        if len(text) > limit:
            self.error(row, key, text, _("Too long: at most %(n)d characters.") % {"n": limit})
            return False
        return True

    # -- rows
    def check(self, progress: Progress | None) -> None:
        rows = self.sheet.rows
        for index, sheet_row in enumerate(rows, start=1):
            self.check_row(sheet_row)
            if progress and index % PROGRESS_EVERY == 0:
                progress("check", index, len(rows))
        for entry in self.households.values():
            self.check_household(entry)
        self.check_heads()
        self.check_against_database()
        if progress:
            progress("check", len(rows), len(rows))

    def check_row(self, sheet_row: SheetRow) -> None:
        row = sheet_row.number
        texts = {key: _cell_text(value) for key, value in sheet_row.cells.items()}
        number = clean_text(texts.get("number", ""))
        if not number:
            self.error(
                row,
                "number",
                "",
                _(
                    "Required. If the household number was a merged cell, unmerge it and fill "
                    "it in on every row."
                ),
            )
            entry = None
        else:
            if not self.length(row, "number", number, Household, "number"):
                return
            entry = self.households.get(number)
            if entry is None:
                entry = self.households[number] = HouseholdEntry(number, row)
            entry.rows.append(row)
            for key in HOUSEHOLD_KEYS:
                if key == "number":
                    continue
                text = texts.get(key, "")
                if not text:
                    continue
                seen = entry.raw.get(key)
                if seen is None:
                    entry.raw[key] = (row, text)
                elif fold(seen[1]) != fold(text):
                    self.error(
                        row,
                        key,
                        text,
                        _(
                            "Differs from row %(row)d of the same household (%(other)s); a "
                            "household's columns must agree on all its rows."
                        )
                        % {"row": seen[0], "other": seen[1]},
                    )
        member = self.check_member(row, texts, sheet_row.cells.get("document_number"))
        if entry is not None and member is not None:
            entry.members.append(MemberEntry(row, member))

    def document_number(self, row: int, raw: Any, text: str, doc_type: str) -> str | None:
        key = "document_number"
        if raw is None or text == "":
            self.error(row, key, "", _("Required."))
            return None
        shown = mask_document_number(clean_text(text).upper())
        if isinstance(raw, float | int) and not isinstance(raw, bool):
            digits = f"{raw:.0f}" if isinstance(raw, float) else str(raw)
            if len(digits) > 15:
                self.error(
                    row,
                    key,
                    f"{raw:.14E}" if isinstance(raw, float) else shown,
                    _(
                        "Excel stored this number as a number and kept only 15 significant "
                        "digits, so its last digits are lost. Format the column as text and "
                        "enter the number again."
                    ),
                )
                return None
            text = digits
        elif fold(text).upper().replace(",", "").count("E+") == 1 and "." in text:
            self.error(
                row,
                key,
                text,
                _(
                    "The number is in scientific notation (Excel turned it into a number), so "
                    "its last digits are lost. Format the column as text and enter it again."
                ),
            )
            return None
        cleaned = clean_text(text).upper()
        if "*" in cleaned:
            self.error(
                row,
                key,
                shown,
                _("The number is masked (it contains *): import needs the full number."),
            )
            return None
        if cleaned != text:
            self.notice(
                row,
                key,
                shown,
                _("Full-width characters or spaces were removed from the number."),
            )
        if doc_type not in _CHECKSUMMED:
            return cleaned
        try:
            resident = parse_resident_id(cleaned, field_label=self.title(key))
        except ValidationError as exc:
            self.error(row, key, shown, " ".join(exc.messages))
            return None
        if resident.upgraded_from_15:
            self.notice(
                row,
                key,
                shown,
                _("A 15-digit number was upgraded to 18 characters (%(number)s).")
                % {"number": mask_document_number(resident.number)},
            )
        if doc_type == Member.DocumentType.RESIDENT_ID and resident.number[:2] in {
            "81",
            "82",
            "83",
        }:
            self.error(
                row,
                key,
                shown,
                _("This is a residence-permit number: set the document type accordingly."),
            )
            return None
        self.residents[resident.number] = resident
        return resident.number

    def check_member(self, row: int, texts: dict[str, str], raw_number: Any) -> dict | None:
        before = len(self.report.errors)
        data: dict[str, Any] = {}
        name = clean_text(texts.get("name", ""))
        if not name:
            self.error(row, "name", "", _("Required."))
        elif self.length(row, "name", name, Member, "name"):
            data["name"] = name
        for key in ("document_type", "relationship", "education", "health", "labour_capacity"):
            data[key] = self.coded(row, key, texts.get(key, ""))
        data["political_status"] = self.coded(
            row, "political_status", texts.get("political_status", "")
        )
        in_school = self.coded(row, "in_school", texts.get("in_school", ""))
        data["in_school"] = in_school == "1"
        doc_type = data["document_type"] or Member.DocumentType.RESIDENT_ID
        number = self.document_number(row, raw_number, texts.get("document_number", ""), doc_type)
        sex_text, birth_text = texts.get("sex", ""), texts.get("birth_date", "")
        sex = self.coded(row, "sex", sex_text) if sex_text else None
        birth = parse_date(texts.get("birth_date")) if birth_text else None
        if birth_text and birth is None:
            self.error(row, "birth_date", birth_text, _("Not a date: write it as 1985-06-15."))
        if number is not None:
            if number in self.documents:
                self.error(
                    row,
                    "document_number",
                    mask_document_number(number),
                    _("The same number is on row %(row)d; one person appears once.")
                    % {"row": self.documents[number]},
                )
            else:
                self.documents[number] = row
            data["document_number"] = number
            if doc_type in _CHECKSUMMED:
                resident = self.residents[number]
                if sex and sex != resident.sex:
                    self.error(
                        row,
                        "sex",
                        sex_text,
                        _("Does not match the ID number, which says %(sex)s.")
                        % {"sex": labels("sex")[resident.sex]},
                    )
                if birth and birth != resident.birth_date:
                    self.error(
                        row,
                        "birth_date",
                        birth_text,
                        _("Does not match the ID number, which says %(date)s.")
                        % {"date": resident.birth_date.isoformat()},
                    )
                data["sex"], data["birth_date"] = resident.sex, resident.birth_date
            else:
                if not sex_text:
                    self.error(row, "sex", "", _("Required for this document type."))
                if not birth_text:
                    self.error(row, "birth_date", "", _("Required for this document type."))
                data["sex"], data["birth_date"] = sex, birth
        phone = texts.get("phone", "")
        try:
            data["phone"] = normalize_phone(phone, field_label=self.title("phone"))
        except ValidationError as exc:
            self.error(row, "phone", mask_phone(clean_text(phone)), " ".join(exc.messages))
        if len(self.report.errors) > before:
            return None
        return data

    def site_for(self, row: int, text: str) -> Site | None:
        matches = self.sites_by_word.get(fold(text), [])
        if not matches:
            self.error(row, "site", text, _("No resettlement site has this name or code."))
            return None
        if len(matches) > 1:
            self.error(
                row, "site", text, _("Several sites have this name: write the site code instead.")
            )
            return None
        site = matches[0]
        if self.allowed is not None and site.pk not in self.allowed:
            self.error(row, "site", text, _("You may not import households into this site."))
            return None
        return site

    def check_household(self, entry: HouseholdEntry) -> None:
        raw = {key: text for key, (_row, text) in entry.raw.items()}
        rows = {key: r for key, (r, _text) in entry.raw.items()}

        def at(key: str) -> int:
            return rows.get(key, entry.first_row)

        data: dict[str, Any] = {}
        site = None
        if not raw.get("site"):
            self.error(entry.first_row, "site", "", _("Required."))
        else:
            site = self.site_for(at("site"), raw["site"])
        if site is not None:
            for key, expected in (
                ("county", site.county.name if site.county_id else ""),
                ("township", site.township),
            ):
                text = raw.get(key, "")
                if text and fold(text) != fold(expected):
                    self.error(
                        at(key),
                        key,
                        text,
                        _("Does not match the site %(site)s (%(expected)s).")
                        % {"site": site.name, "expected": expected or "—"},
                    )
            if not raw.get("grid"):
                self.error(entry.first_row, "grid", "", _("Required."))
            else:
                grids = self.grids.get((site.pk, fold(raw["grid"])), [])
                if len(grids) != 1:
                    self.error(
                        at("grid"),
                        "grid",
                        raw["grid"],
                        _("The site %(site)s has no grid of this name or code.")
                        % {"site": site.name}
                        if not grids
                        else _("Several grids have this name: write the grid code instead."),
                    )
                else:
                    data["grid"] = grids[0]
        for key in ("building", "unit", "room", "origin_address"):
            text = raw.get(key, "").strip()
            if self.length(at(key), key, text, Household, key):
                data[key] = text
        for key in ("household_type", "monitoring", "colour"):
            data[key] = self.coded(at(key), key, raw.get(key, ""))
        try:
            data["phone"] = normalize_phone(
                raw.get("household_phone", ""), field_label=self.title("household_phone")
            )
        except ValidationError as exc:
            self.error(
                at("household_phone"),
                "household_phone",
                mask_phone(clean_text(raw.get("household_phone", ""))),
                " ".join(exc.messages),
            )
        data["origin_region"] = self.origin(entry, raw, at)
        entry.data = data

    def origin(self, entry: HouseholdEntry, raw: dict[str, str], at: Any) -> Region | None:
        code, name = clean_text(raw.get("origin_code", "")), raw.get("origin_name", "").strip()
        if not code and not name:
            return None
        if not code:
            found = list(Region.objects.filter(name=name)[:2])
            if len(found) == 1:
                return found[0]
            self.error(
                at("origin_name"),
                "origin_code",
                "",
                _("Write the 12-digit division code of the origin village."),
            )
            return None
        if len(code) != 12 or not code.isdigit():
            self.error(at("origin_code"), "origin_code", code, _("A division code has 12 digits."))
            return None
        if code not in self.regions:
            region = Region.objects.filter(code=code).first()
            if region is not None:
                self.regions[code] = region
        region = self.regions.get(code)
        if region is not None:
            return region
        if not name:
            self.error(
                at("origin_code"),
                "origin_name",
                "",
                _("The division code is new to the system: write the origin's name too."),
            )
            return None
        if code in self.new_regions and fold(self.new_regions[code][0]) != fold(name):
            self.error(
                at("origin_name"),
                "origin_name",
                name,
                _("Row %(row)d gives another name (%(name)s) for the same division code.")
                % {"row": self.new_regions[code][1], "name": self.new_regions[code][0]},
            )
            return None
        if self.length(at("origin_name"), "origin_name", name, Region, "name"):
            self.new_regions.setdefault(code, (name, at("origin_name")))
            entry.region_to_create = (code, name)
        return None

    def check_heads(self) -> None:
        for entry in self.households.values():
            heads = [m.row for m in entry.members if m.data["relationship"] == "head"]
            if len(heads) > 1:
                for row in heads[1:]:
                    self.error(
                        row,
                        "relationship",
                        labels("relationship")["head"],
                        _(
                            "Household %(number)s has more than one head (rows %(rows)s); a "
                            "household has exactly one."
                        )
                        % {"number": entry.number, "rows": "、".join(map(str, heads))},
                    )
            elif not heads and len(entry.members) == len(entry.rows):
                self.error(
                    entry.first_row,
                    "relationship",
                    "",
                    _("Household %(number)s has no head; a household has exactly one.")
                    % {"number": entry.number},
                )

    def check_against_database(self) -> None:
        existing = {
            h.number: h
            for h in Household.objects.filter(number__in=list(self.households)).prefetch_related(
                "members"
            )
        }
        owners: dict[str, str] = {}
        numbers = list(self.documents)
        for start in range(0, len(numbers), 5000):
            owners.update(
                Member.objects.filter(
                    document_number__in=numbers[start : start + 5000]
                ).values_list("document_number", "household__number")
            )
        self.existing = set(existing)
        for entry in self.households.values():
            household = existing.get(entry.number)
            for member in entry.members:
                number = member.data["document_number"]
                owner = owners.get(number)
                if owner is not None and owner != entry.number:
                    self.error(
                        member.row,
                        "document_number",
                        mask_document_number(number),
                        _(
                            "This number is already registered in household %(number)s; one "
                            "person can be registered only once."
                        )
                        % {"number": owner},
                    )
                elif owner is None and household is not None:
                    self.notice(
                        member.row,
                        "name",
                        member.data["name"],
                        _(
                            "Not imported: household %(number)s is already in the system; add a "
                            "new member on the household's page."
                        )
                        % {"number": entry.number},
                    )
            if household is not None:
                self.compare(entry, household)

    def compare(self, entry: HouseholdEntry, household: Household) -> None:
        """Households already registered are left as they are; say where the file differs."""
        differences = []
        for key, value in entry.data.items():
            if key in ("grid", "origin_region"):
                differs = getattr(household, f"{key}_id") != (value.pk if value else None)
            else:
                differs = getattr(household, key) != value
            if differs:
                differences.append(self.title({"phone": "household_phone"}.get(key, key)))
        members = {m.document_number: m for m in household.members.all()}
        for member in entry.members:
            stored = members.get(member.data["document_number"])
            if stored is None:
                continue
            for key, value in member.data.items():
                if getattr(stored, key) != value:
                    differences.append(f"{self.title(key)}（{member.data['name']}）")
        if differences:
            self.notice(
                entry.first_row,
                "number",
                entry.number,
                _(
                    "Already in the system and left unchanged; the file differs in: %(fields)s. "
                    "Change the household on its page."
                )
                % {"fields": "、".join(dict.fromkeys(differences))},
            )


# ---------------------------------------------------------------------------------------------
# Writing


def _member_summary(data: dict[str, Any]) -> str:
    return " · ".join(
        (
            data["name"],
            mask_document_number(data["document_number"]),
            labels("relationship")[data["relationship"]],
        )
    )


def _household_changes(household: Household, members: list[dict[str, Any]]) -> dict:
    changes: dict[str, tuple[Any, Any]] = {"number": (None, household.number)}
    for key in ("grid", "building", "unit", "room", "origin_region", "origin_address",
                "household_type", "monitoring", "colour"):  # fmt: skip
        value = getattr(household, key)
        if value not in (None, ""):
            changes[key] = (None, value)
    if household.phone:
        changes["phone"] = (None, mask_phone(household.phone))
    changes["imported_members"] = (None, [_member_summary(m) for m in members])
    return changes


def _write(
    *,
    actor: AbstractBaseUser | None,
    new: list[HouseholdEntry],
    report: LedgerReport,
    progress: Progress | None,
) -> None:
    from workflows.bulk_start import household_flows_start_bulk

    with transaction.atomic():
        regions: dict[str, Region] = {}
        for entry in new:
            if entry.region_to_create and entry.region_to_create[0] not in regions:
                code, name = entry.region_to_create
                regions[code] = region_ensure(
                    actor=actor, code=code, name=name, level=_region_level(code)
                )
            if entry.region_to_create:
                entry.data["origin_region"] = regions[entry.region_to_create[0]]
        households = Household.objects.bulk_create(
            [Household(number=entry.number, **entry.data) for entry in new], batch_size=2000
        )
        if progress:
            progress("write", len(households) // 3, len(households))
        Member.objects.bulk_create(
            [
                Member(household=household, **member.data)
                for household, entry in zip(households, new, strict=True)
                for member in entry.members
            ],
            batch_size=2000,
        )
        audit_record_many(
            actor=actor,
            events=[
                PendingEvent(
                    "household.import",
                    household,
                    household.pk,
                    _household_changes(household, [m.data for m in entry.members]),
                )
                for household, entry in zip(households, new, strict=True)
            ],
        )
        if progress:
            progress("write", 2 * len(households) // 3, len(households))
        household_flows_start_bulk(actor=actor, households=households)
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


def _sha256(source: str | Path | IO[bytes]) -> str:
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


def ledger_import(
    *,
    actor: AbstractBaseUser | None,
    source: str | Path | IO[bytes],
    file_name: str = "",
    dry_run: bool = False,
    allowed_site_ids: set[int] | None = None,
    progress: Progress | None = None,
) -> LedgerReport:
    """Check a ledger and, when every row is good and ``dry_run`` is False, import its new
    households in one transaction. ``allowed_site_ids``: the sites the actor may import into
    (None: every site). Raises ``LedgerUnreadable`` for a file that is not a ledger."""
    with translation.override("zh-hans"):
        report = LedgerReport(
            file_name=file_name or (str(source) if isinstance(source, str | Path) else ""),
            sha256=_sha256(source),
            dry_run=dry_run,
        )
        sheet = read_sheet(source, progress)
        report.rows = len(sheet.rows)
        report.errors.extend(
            p for p in sheet.problems if p.reason == _("A required column is missing.")
        )
        report.notices.extend(p for p in sheet.problems if p not in report.errors)
        if not sheet.rows:
            report.errors.append(Problem(sheet.header_row, "", "", _("The ledger has no rows.")))
        checker = _Checker(sheet, allowed_site_ids, report)
        if not report.errors:
            checker.check(progress)
        report.errors.sort(key=lambda p: (p.row, p.column))
        report.notices.sort(key=lambda p: (p.row, p.column))
        report.households = len(checker.households)
        report.members = sum(len(e.rows) for e in checker.households.values())
        new = [e for e in checker.households.values() if e.number not in checker.existing]
        report.households_unchanged = len(checker.households) - len(new)
        report.households_new = len(new)
        report.members_new = sum(len(e.members) for e in new)
        if report.errors or dry_run or not new:
            if report.errors:
                report.households_new = report.members_new = 0
            return report
        try:
            _write(actor=actor, new=new, report=report, progress=progress)
        except IntegrityError as exc:
            logger.warning(
                "Ledger import collided with a concurrent change: %s", type(exc).__name__
            )
            report.households_new = report.members_new = 0
            report.errors.append(
                Problem(
                    0,
                    "",
                    "",
                    _(
                        "Households or people of this file were registered by someone else "
                        "while it was being imported; nothing was imported. Import it again."
                    ),
                )
            )
            return report
        report.imported = True
        return report
