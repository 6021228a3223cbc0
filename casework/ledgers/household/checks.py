"""Checking each row of a household ledger: required columns, coded values, lengths, the ID
number (Excel's lost digits, masking, full-width forms, the GB 11643 rules of the registry's
validators, the same person twice), sex and birth date against the number, phones, and the
household's columns agreeing on all its rows.

Every problem is collected (not only the first), each with its code. The rows that pass become
household entries; ``registry_checks`` then checks each household against the registry.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Field, Model

from casework.registry.models import Household, Member
from casework.registry.validators import (
    CHECKSUMMED_DOCUMENT_TYPES,
    ResidentId,
    clean_text,
    mask_document_number,
    mask_phone,
    normalize_phone,
    parse_identity_document,
)

from .problems import FROM_VALIDATOR, Findings, masked_message
from .problems import ProblemCode as C
from .reader import PROGRESS_EVERY, Progress, SheetRow, cell_text, parse_date
from .template import BY_KEY, DEFAULTS, HOUSEHOLD_KEYS, labels, value_lists


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


def max_length(model: type[Model], name: str) -> int:
    """The ``max_length`` of the text field ``name`` of ``model``."""
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, Field) or model_field.max_length is None:
        raise ValueError(f"{model.__name__}.{name} is not a field with a maximum length.")
    return model_field.max_length


def coded(found: Findings, row: int, key: str, text: str) -> str | None:
    """The value of a coded column (its default when empty and one is allowed)."""
    name = BY_KEY[key].choices or ""
    if not text:
        if name in DEFAULTS:
            return DEFAULTS[name]
        found.error(row, key, text, C.REQUIRED)
        return None
    value = value_lists()[name].get(clean_text(text))
    if value is None:
        accepted = "、".join(v for v in labels(name).values() if v)
        found.error(row, key, text, C.UNKNOWN_VALUE, values=accepted)
    return value


def within_length(
    found: Findings, row: int, key: str, text: str, model: type[Model], name: str
) -> bool:
    limit = max_length(model, name)
    if len(text) > limit:
        found.error(row, key, text, C.TOO_LONG, n=limit)
        return False
    return True


class RowChecks:
    """Checks the rows one by one; collects the households of the file and their members."""

    def __init__(self, found: Findings) -> None:
        self.found = found
        self.households: dict[str, HouseholdEntry] = {}
        self.documents: dict[str, int] = {}  # ID number -> its first row
        self.residents: dict[str, ResidentId] = {}  # checked ID numbers, parsed once

    def check_rows(self, rows: list[SheetRow], progress: Progress | None) -> None:
        for index, sheet_row in enumerate(rows, start=1):
            self.check_row(sheet_row)
            if progress and index % PROGRESS_EVERY == 0:
                progress("check", index, len(rows))

    def check_row(self, sheet_row: SheetRow) -> None:
        row, found = sheet_row.number, self.found
        texts = {key: cell_text(value) for key, value in sheet_row.cells.items()}
        number = clean_text(texts.get("number", ""))
        entry = None
        if not number:
            found.error(row, "number", "", C.NUMBER_MISSING)
        elif not within_length(found, row, "number", number, Household, "number"):
            return
        else:
            entry = self.households.get(number)
            if entry is None:
                entry = self.households[number] = HouseholdEntry(number, row)
            entry.rows.append(row)
            self.household_columns(entry, row, texts)
        member = self.check_member(row, texts, sheet_row.cells.get("document_number"))
        if entry is not None and member is not None:
            entry.members.append(MemberEntry(row, member))

    def household_columns(self, entry: HouseholdEntry, row: int, texts: dict[str, str]) -> None:
        """Keep the household's columns from their first row; later rows must agree."""
        for key in HOUSEHOLD_KEYS:
            text = texts.get(key, "") if key != "number" else ""
            if not text:
                continue
            seen = entry.raw.get(key)
            if seen is None:
                entry.raw[key] = (row, text)
            elif clean_text(seen[1]) != clean_text(text):
                self.found.error(row, key, text, C.HOUSEHOLD_DISAGREES, row=seen[0], other=seen[1])

    # -- the ID number
    def number_text(self, row: int, raw: Any, text: str, shown: str) -> str | None:
        """The number as typed, or None when Excel has already lost its last digits."""
        key = "document_number"
        if isinstance(raw, float | int) and not isinstance(raw, bool):
            digits = f"{raw:.0f}" if isinstance(raw, float) else str(raw)
            if len(digits) > 15:
                value = f"{raw:.14E}" if isinstance(raw, float) else shown
                self.found.error(row, key, value, C.ID_EXCEL_FLOAT)
                return None
            return digits
        if clean_text(text).upper().replace(",", "").count("E+") == 1 and "." in text:
            self.found.error(row, key, text, C.ID_SCIENTIFIC)
            return None
        return text

    def document_number(self, row: int, raw: Any, text: str, doc_type: str) -> str | None:
        key, found = "document_number", self.found
        if raw is None or text == "":
            found.error(row, key, "", C.REQUIRED)
            return None
        shown = mask_document_number(clean_text(text).upper())
        typed = self.number_text(row, raw, text, shown)
        if typed is None:
            return None
        cleaned = clean_text(typed).upper()
        if "*" in cleaned:
            found.error(row, key, shown, C.ID_MASKED)
            return None
        if cleaned != typed:
            found.notice(row, key, shown, C.ID_FOLDED)
        if doc_type not in CHECKSUMMED_DOCUMENT_TYPES:
            return cleaned
        try:
            resident = parse_identity_document(
                cleaned, document_type=doc_type, field_label=found.title(key)
            )
        except ValidationError as exc:
            code = FROM_VALIDATOR.get(exc.code or "", C.ID_FORMAT)
            message = masked_message(" ".join(exc.messages), clean_text(text).upper(), shown)
            found.error(row, key, shown, code, message=message)
            return None
        if resident.upgraded_from_15:
            upgraded = mask_document_number(resident.number)
            found.notice(row, key, shown, C.ID_UPGRADED, number=upgraded)
        self.residents[resident.number] = resident
        return resident.number

    # -- the member
    def check_member(self, row: int, texts: dict[str, str], raw_number: Any) -> dict | None:
        """The member's fields, or None when the row has any error."""
        found = self.found
        before = len(found.errors)
        data: dict[str, Any] = {}
        name = clean_text(texts.get("name", ""))
        if not name:
            found.error(row, "name", "", C.REQUIRED)
        elif within_length(found, row, "name", name, Member, "name"):
            data["name"] = name
        for key in ("document_type", "relationship", "education", "health", "labour_capacity",
                    "political_status"):  # fmt: skip
            data[key] = coded(found, row, key, texts.get(key, ""))
        data["in_school"] = coded(found, row, "in_school", texts.get("in_school", "")) == "1"
        doc_type = data["document_type"] or Member.DocumentType.RESIDENT_ID
        number = self.document_number(row, raw_number, texts.get("document_number", ""), doc_type)
        sex_text, birth_text = texts.get("sex", ""), texts.get("birth_date", "")
        sex = coded(found, row, "sex", sex_text) if sex_text else None
        birth = parse_date(birth_text) if birth_text else None
        if birth_text and birth is None:
            found.error(row, "birth_date", birth_text, C.NOT_A_DATE)
        if number is not None:
            self.identity(row, number, doc_type, data, (sex_text, sex), (birth_text, birth))
        phone = texts.get("phone", "")
        try:
            data["phone"] = normalize_phone(phone, field_label=found.title("phone"))
        except ValidationError as exc:
            shown = mask_phone(clean_text(phone))
            message = masked_message(" ".join(exc.messages), clean_text(phone), shown)
            found.error(row, "phone", shown, C.PHONE, message=message)
        return None if len(found.errors) > before else data

    def identity(
        self,
        row: int,
        number: str,
        doc_type: str,
        data: dict[str, Any],
        sex: tuple[str, str | None],
        birth: tuple[str, datetime.date | None],
    ) -> None:
        """The number once in the file; sex and birth date (text, value) as the number says."""
        found = self.found
        if number in self.documents:
            masked, first = mask_document_number(number), self.documents[number]
            found.error(row, "document_number", masked, C.DUPLICATE_IN_FILE, row=first)
        else:
            self.documents[number] = row
        data["document_number"] = number
        if doc_type not in CHECKSUMMED_DOCUMENT_TYPES:
            for key, (text, _value) in (("sex", sex), ("birth_date", birth)):
                if not text:
                    found.error(row, key, "", C.REQUIRED_FOR_DOCUMENT_TYPE)
            data["sex"], data["birth_date"] = sex[1], birth[1]
            return
        resident = self.residents[number]
        if sex[1] and sex[1] != resident.sex:
            said = labels("sex")[resident.sex]
            found.error(row, "sex", sex[0], C.ID_SEX_MISMATCH, sex=said)
        if birth[1] and birth[1] != resident.birth_date:
            said = resident.birth_date.isoformat()
            found.error(row, "birth_date", birth[0], C.ID_BIRTH_MISMATCH, date=said)
        data["sex"], data["birth_date"] = resident.sex, resident.birth_date
