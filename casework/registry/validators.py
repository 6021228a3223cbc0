"""Validation and normalisation of identity documents and phone numbers (domain.md §9).

Every error is a Chinese sentence (through gettext) that names the field it is about.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from .models import Member

# First two digits of a GB 11643 number: the province-level code at assignment. Prefecture and
# county digits are NOT checked: relocated people carry codes of abolished counties (§9.1).
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
        "65", "71", "81", "82", "83",
    }
)  # fmt: skip
EARLIEST_BIRTH_YEAR = 1900
# Documents whose numbers follow GB 11643 (check character, birth date, sex).
CHECKSUMMED_DOCUMENT_TYPES = frozenset(
    {
        Member.DocumentType.RESIDENT_ID,
        Member.DocumentType.HMT_RESIDENCE,
        Member.DocumentType.FOREIGN_PR,
    }
)
# A GB 11643 number beginning with these is a 港澳台居民居住证, not a 居民身份证.
RESIDENCE_PERMIT_PREFIXES = frozenset({"81", "82", "83"})

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def clean_text(raw: str) -> str:
    """An identifier, code or person's name: fold full-width characters to ASCII (NFKC) and
    drop every kind of white space. Never for free text: see ``clean_note``."""
    folded = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"\s+", "", folded)


# Control characters (Unicode category Cc) but the tab and the line feed; a carriage return is
# dropped, so Windows line ends become plain ones.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_note(raw: str) -> str:
    """Free text (a note, a reason, a description): only control characters are removed (tabs
    and line breaks stay) and white space at either end is trimmed. Spaces inside, full-width
    punctuation and line breaks are kept as typed."""
    return _CONTROL_RE.sub("", (raw or "").replace("\r\n", "\n")).strip()


def clean_line(raw: str) -> str:
    """One line of free text (a place, an address, a provider): control characters removed, each
    run of white space (line breaks included) kept as one space, the ends trimmed."""
    return re.sub(r"\s+", " ", _CONTROL_RE.sub(" ", raw or "")).strip()


@dataclass(frozen=True)
class ResidentId:
    """A validated 18-character resident identity number and what it encodes."""

    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F"
    upgraded_from_15: bool


# GB 11643's check character: the weighted sum of the first 17 digits, modulo 11, indexes this.
_CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"


def resident_id_fault(number: str, today: datetime.date) -> str | None:
    """What is wrong with a stored 18-character 身份证号, as ``parse_resident_id``'s error code
    ("length", "format", "province", "birth_date", "checksum"), or None. For checking many
    stored numbers at once (the nightly data-quality rules): no cleaning, no message."""
    if len(number) != 18:
        return "length"
    if not number.isascii() or not number[:17].isdigit():
        return "format"
    if not (number[17].isdigit() or number[17] == "X"):
        return "format"
    if number[:2] not in PROVINCE_CODES:
        return "province"
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "birth_date"
    if birth_date.year < EARLIEST_BIRTH_YEAR or birth_date > today:
        return "birth_date"
    total = sum(int(d) * w for d, w in zip(number[:17], _CHECK_WEIGHTS, strict=True))
    if _CHECK_CHARACTERS[total % 11] != number[17]:
        return "checksum"
    return None


def parse_resident_id(raw: str, *, field_label: str | None = None) -> ResidentId:
    """Validate a 身份证号 and derive birth date and sex.

    Accepts full-width digits, spaces and a lower-case ``x``; upgrades a 15-digit first-generation
    number to 18 digits. Raises ``ValidationError`` with a message naming the field.
    """
    label = field_label or _("ID number")
    number = clean_text(raw).upper()
    if not number:
        raise ValidationError(_("%(field)s is required.") % {"field": label}, code="required")
    upgraded = False
    if len(number) == 15:
        if not number.isdigit():
            raise ValidationError(
                _("%(field)s: a 15-digit number may contain digits only.") % {"field": label},
                code="format",
            )
        body = number[:6] + "19" + number[6:]
        number = body + ric.calc_check_digit(body + "0")
        upgraded = True
    if len(number) != 18:
        raise ValidationError(
            _("%(field)s must have 18 characters (or 15 for an old number); %(count)d given.")
            % {"field": label, "count": len(number)},
            code="length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("%(field)s may contain only digits, with X allowed as the last character.")
            % {"field": label},
            code="format",
        )
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("%(field)s begins with %(code)s, which is not a province code.")
            % {"field": label, "code": number[:2]},
            code="province",
        )
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("%(field)s contains an impossible birth date (%(digits)s).")
            % {"field": label, "digits": number[6:14]},
            code="birth_date",
        ) from None
    if not EARLIEST_BIRTH_YEAR <= birth_date.year or birth_date > timezone.localdate():
        raise ValidationError(
            _("%(field)s contains a birth date outside the plausible range (%(date)s).")
            % {"field": label, "date": birth_date.isoformat()},
            code="birth_date",
        )
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise ValidationError(
            _(
                "%(field)s fails the check: the last character should be %(expected)s, not "
                "%(given)s. Please check the number for a typing error."
            )
            % {"field": label, "expected": expected, "given": number[17]},
            code="checksum",
        )
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth_date, sex=sex, upgraded_from_15=upgraded)


def parse_identity_document(
    raw: str, *, document_type: str, field_label: str | None = None
) -> ResidentId:
    """``parse_resident_id`` for a document of ``CHECKSUMMED_DOCUMENT_TYPES``; a 居民身份证
    whose number is a residence permit's is refused (code ``residence_permit``)."""
    label = field_label or _("ID number")
    resident_id = parse_resident_id(raw, field_label=label)
    if (
        document_type == Member.DocumentType.RESIDENT_ID
        and resident_id.number[:2] in RESIDENCE_PERMIT_PREFIXES
    ):
        raise ValidationError(
            _(
                "%(field)s begins with %(code)s, which is a residence-permit number: "
                "choose the document type accordingly."
            )
            % {"field": label, "code": resident_id.number[:6]},
            code="residence_permit",
        )
    return resident_id


def normalize_phone(raw: str, *, field_label: str | None = None) -> str:
    """Return a mobile (``1[3-9]`` + 9 digits) or landline (``0xxx-xxxxxxx``) number, or ''.

    Full-width digits, spaces and a leading +86 are accepted. Raises ``ValidationError`` naming
    the field when the value is neither.
    """
    label = field_label or _("Phone")
    number = clean_text(raw).replace("－", "-")
    if not number:
        return ""
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    if _MOBILE_RE.match(number):
        return number
    if _LANDLINE_RE.match(number):
        return number
    raise ValidationError(
        _(
            "%(field)s %(value)s is not valid: enter an 11-digit mobile number starting with 13–19 "
            "or a landline with its area code, such as 0939-1234567."
        )
        % {"field": label, "value": number},
        code="phone",
    )


def mask_document_number(number: str) -> str:
    """Show the first 6 and last 4 characters only: ``620102********1234``."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(number: str) -> str:
    """Show the first 3 and last 4 characters only: ``138****1234``."""
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
