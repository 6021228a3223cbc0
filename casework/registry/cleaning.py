"""Checking what is entered about a household and its members before a registry service writes
it: normalised values, or a ``ValidationError`` keyed by field with Chinese sentences that name
the field (and, for the member rows of a new household, the row).

Nothing here writes; the only reads are the duplicate-number checks.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Member
from .validators import (
    CHECKSUMMED_DOCUMENT_TYPES,
    clean_text,
    mask_document_number,
    normalize_phone,
    parse_identity_document,
)

HOUSEHOLD_FIELDS = (
    "grid", "building", "unit", "room", "origin_region", "origin_address",
    "household_type", "monitoring", "colour", "phone",
)  # fmt: skip
MEMBER_FIELDS = (
    "name", "document_type", "document_number", "sex", "birth_date", "relationship",
    "education", "in_school", "health", "labour_capacity", "phone", "political_status",
    "arrival",
)  # fmt: skip

Errors = dict[str, list[str]]


def member_error_key(index: int, field: str) -> str:
    """The error key of ``field`` of the ``index``-th (from 0) member row of a new household."""
    return f"members.{index}.{field}"


def member_error_key_parse(key: str) -> tuple[int, str] | None:
    """``(index, field)`` of a key made by ``member_error_key``; None for any other key."""
    parts = key.split(".")
    if len(parts) != 3 or parts[0] != "members" or not parts[1].isdigit():
        return None
    return int(parts[1]), parts[2]


def duplicate_message(number: str) -> str:
    return _(
        "Document number %(number)s is already registered to another person; "
        "one person can be registered only once."
    ) % {"number": mask_document_number(number)}


def document_numbers_taken(numbers: Iterable[str], *, exclude: Member | None = None) -> set[str]:
    """Which of ``numbers`` are registered already (to anyone but ``exclude``): one query."""
    wanted = set(numbers)
    if not wanted:
        return set()
    taken = Member.objects.filter(document_number__in=wanted)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return set(taken.values_list("document_number", flat=True))


def _member_fields(data: dict[str, Any], member: Member | None) -> tuple[dict[str, Any], Errors]:
    cleaned = {key: data[key] for key in MEMBER_FIELDS if key in data}
    errors: Errors = {}
    name = clean_text(cleaned.get("name", member.name if member else ""))
    if not name:
        errors.setdefault("name", []).append(_("Name is required."))
    cleaned["name"] = name
    doc_type = cleaned.get(
        "document_type", member.document_type if member else Member.DocumentType.RESIDENT_ID
    )
    cleaned["document_type"] = doc_type
    raw_number = cleaned.get("document_number", member.document_number if member else "")
    label = _("Document number")
    try:
        if doc_type in CHECKSUMMED_DOCUMENT_TYPES:
            resident_id = parse_identity_document(
                raw_number, document_type=doc_type, field_label=label
            )
            cleaned["document_number"] = resident_id.number
            cleaned["birth_date"] = resident_id.birth_date
            cleaned["sex"] = resident_id.sex
        else:
            number = clean_text(raw_number).upper()
            if not number:
                raise ValidationError(_("%(field)s is required.") % {"field": label})
            cleaned["document_number"] = number
            for field, message in (
                ("sex", _("Sex is required for this document type.")),
                ("birth_date", _("Birth date is required for this document type.")),
            ):
                if not cleaned.get(field, getattr(member, field, None) if member else None):
                    errors.setdefault(field, []).append(message)
    except ValidationError as exc:
        errors.setdefault("document_number", []).extend(exc.messages)
    if "phone" in cleaned:
        try:
            cleaned["phone"] = normalize_phone(cleaned["phone"] or "", field_label=_("Phone"))
        except ValidationError as exc:
            errors.setdefault("phone", []).extend(exc.messages)
    return cleaned, errors


def member_fields_clean(data: dict[str, Any], *, member: Member | None) -> dict[str, Any]:
    """Normalise and validate a member's fields and derive sex and birth date from the number,
    without asking the database (``member_data_clean`` also refuses a number already taken)."""
    cleaned, errors = _member_fields(data, member)
    if errors:
        raise ValidationError(errors)
    return cleaned


def member_data_clean(data: dict[str, Any], *, member: Member | None) -> dict[str, Any]:
    """``member_fields_clean``, and the number must not be registered to anyone else."""
    cleaned, errors = _member_fields(data, member)
    number = cleaned.get("document_number", "")
    if "document_number" not in errors and document_numbers_taken([number], exclude=member):
        errors.setdefault("document_number", []).append(duplicate_message(number))
    if errors:
        raise ValidationError(errors)
    return cleaned


def household_data_clean(data: dict[str, Any], *, is_new: bool) -> dict[str, Any]:
    """Normalise a household's fields; a new household needs its grid."""
    cleaned = {key: data[key] for key in HOUSEHOLD_FIELDS if key in data}
    errors: Errors = {}
    if "phone" in cleaned:
        try:
            cleaned["phone"] = normalize_phone(
                cleaned["phone"] or "", field_label=_("Household phone")
            )
        except ValidationError as exc:
            errors["phone"] = exc.messages
    for key in ("building", "unit", "room", "origin_address"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    if is_new and not cleaned.get("grid"):
        errors["grid"] = [_("Grid is required.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _row_message(index: int, name: str, message: str) -> str:
    """``message`` about the ``index``-th (from 0) member row, naming the row as the page shows
    it (第3行（张三）：…)."""
    if name:
        return _("Row %(row)s (%(name)s): %(message)s") % {
            "row": index + 1,
            "name": name,
            "message": message,
        }
    return _("Row %(row)s: %(message)s") % {"row": index + 1, "message": message}


def _row_problems(data: dict[str, Any], problems: Errors, head_name: str) -> None:
    """What ``member_add`` refuses besides the fields: no relationship, a second head, and what
    the model itself does not accept."""
    relationship = data.get("relationship")
    if not relationship:
        problems.setdefault("relationship", []).append(_("Relationship to head is required."))
    elif relationship == Member.Relationship.HEAD:
        problems.setdefault("relationship", []).append(
            _(
                "Relationship to head: the head is entered above (%(name)s); a household has "
                "exactly one head."
            )
            % {"name": head_name}
        )
    if problems:
        return
    try:
        # The household does not exist yet, and numbers were checked above in one query.
        Member(**data).full_clean(
            exclude=["household"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            problems.setdefault(field, []).extend(messages)


def _duplicates_within(
    head_number: str | None, rows: Sequence[dict[str, Any]], head_name: str, problems: list[Errors]
) -> dict[str, int | None]:
    """Refuse a row whose number the head or an earlier row already has; returns each number
    entered once with its row (None for the head)."""
    seen: dict[str, int | None] = {}
    if head_number:
        seen[head_number] = None
    for index, (data, row_problems) in enumerate(zip(rows, problems, strict=True)):
        if "document_number" in row_problems:
            continue
        number = data["document_number"]
        if number not in seen:
            seen[number] = index
            continue
        other = seen[number]
        masked = mask_document_number(number)
        if other is None:
            message = _(
                "Document number %(number)s is also the head's (%(name)s); one person can be "
                "registered only once."
            ) % {"number": masked, "name": head_name}
        else:
            message = _(
                "Document number %(number)s is also entered in row %(row)s (%(name)s); one "
                "person can be registered only once."
            ) % {"number": masked, "row": other + 1, "name": rows[other]["name"]}
        row_problems.setdefault("document_number", []).append(message)
    return seen


def new_household_members_clean(
    head: dict[str, Any], members: Sequence[dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The head and the other members (one dict per row) of a household being registered,
    each checked as ``member_add`` checks one member, and no number entered twice.

    Raises one ``ValidationError``: the head's errors keyed ``head_<field>``, a row's keyed
    ``member_error_key(index, field)`` with messages that name the row (第3行（张三）：…).
    Asks the database once, however many rows.
    """
    errors: Errors = {}
    head_data, head_errors = _member_fields(
        {**head, "relationship": Member.Relationship.HEAD}, None
    )
    errors.update({f"head_{field}": messages for field, messages in head_errors.items()})
    head_name = head_data["name"]
    rows: list[dict[str, Any]] = []
    problems: list[Errors] = []
    for row in members:
        data, row_problems = _member_fields(row, None)
        _row_problems(data, row_problems, head_name)
        rows.append(data)
        problems.append(row_problems)
    head_number = None if "head_document_number" in errors else head_data["document_number"]
    entered = _duplicates_within(head_number, rows, head_name, problems)
    for number in document_numbers_taken(entered):
        index = entered[number]
        if index is None:
            errors.setdefault("head_document_number", []).append(duplicate_message(number))
        else:
            problems[index].setdefault("document_number", []).append(duplicate_message(number))
    for index, row_problems in enumerate(problems):
        for field, messages in row_problems.items():
            errors[member_error_key(index, field)] = [
                _row_message(index, rows[index]["name"], message) for message in messages
            ]
    if errors:
        raise ValidationError(errors)
    return head_data, rows
