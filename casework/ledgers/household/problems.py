"""What an import of the household ledger finds: problems, each with a code and its parameters,
and the report of one import.

The Chinese sentence of a problem is rendered from its code (``MESSAGES``); code that decides
anything about a problem looks at the code, never at the sentence.
"""

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .template import BY_KEY


class LedgerUnreadable(Exception):
    """The file is not a ledger this import can read (message in Chinese)."""


class ProblemCode(StrEnum):
    # The file as a whole
    COLUMN_MISSING = "header.column_missing"
    COLUMN_TWICE = "header.column_twice"
    COLUMN_UNKNOWN = "header.column_unknown"
    NO_ROWS = "file.no_rows"
    CONCURRENT_CHANGE = "file.concurrent_change"
    # Any column
    REQUIRED = "required"
    REQUIRED_FOR_DOCUMENT_TYPE = "required.document_type"
    TOO_LONG = "too_long"
    UNKNOWN_VALUE = "value.unknown"
    NOT_A_DATE = "date.invalid"
    PHONE = "phone.invalid"
    # The ID number
    ID_EXCEL_FLOAT = "id.excel_float"
    ID_SCIENTIFIC = "id.scientific"
    ID_MASKED = "id.masked"
    ID_FOLDED = "id.folded"
    ID_UPGRADED = "id.upgraded"
    ID_FORMAT = "id.format"
    ID_LENGTH = "id.length"
    ID_PROVINCE = "id.province"
    ID_BIRTH_DATE = "id.birth_date"
    ID_CHECK_DIGIT = "id.check_digit"
    ID_RESIDENCE_PERMIT = "id.residence_permit"
    ID_SEX_MISMATCH = "id.sex_mismatch"
    ID_BIRTH_MISMATCH = "id.birth_mismatch"
    DUPLICATE_IN_FILE = "duplicate.in_file"
    DUPLICATE_IN_SYSTEM = "duplicate.in_system"
    # The household
    NUMBER_MISSING = "household.number_missing"
    HOUSEHOLD_DISAGREES = "household.disagrees"
    HEADS = "household.heads"
    NO_HEAD = "household.no_head"
    HOUSEHOLD_EXISTS = "household.exists"
    HOUSEHOLD_DIFFERS = "household.differs"
    SITE_UNKNOWN = "site.unknown"
    SITE_AMBIGUOUS = "site.ambiguous"
    SITE_NOT_ALLOWED = "site.not_allowed"
    SITE_MISMATCH = "site.mismatch"
    GRID_UNKNOWN = "grid.unknown"
    GRID_AMBIGUOUS = "grid.ambiguous"
    ORIGIN_CODE_NEEDED = "origin.code_needed"
    ORIGIN_CODE_FORMAT = "origin.code_format"
    ORIGIN_NAME_NEEDED = "origin.name_needed"
    ORIGIN_NAME_CONFLICT = "origin.name_conflict"
    COUNTY_NOT_OURS = "county.not_ours"
    WAITING_FOR_GRID = "household.waiting"
    OTHER_SITE = "household.other_site"
    PERSON_NUMBER_LONG = "person_number.too_long"


C = ProblemCode
# None: the sentence is the registry validator's own (``params["message"]``), which names the
# field and the fault (check character, length, province, birth date, phone).
MESSAGES: dict[ProblemCode, Promise | None] = {
    C.COLUMN_MISSING: _("A required column is missing."),
    C.COLUMN_TWICE: _("The column appears twice; only the first is read."),
    C.COLUMN_UNKNOWN: _("Not a column of the ledger template; it is ignored."),
    C.NO_ROWS: _("The ledger has no rows."),
    C.CONCURRENT_CHANGE: _(
        "Households or people of this file were registered by someone else while it was being "
        "imported; nothing was imported. Import it again."
    ),
    C.REQUIRED: _("Required."),
    C.REQUIRED_FOR_DOCUMENT_TYPE: _("Required for this document type."),
    C.TOO_LONG: _("Too long: at most %(n)d characters."),
    C.UNKNOWN_VALUE: _("Not a known value. Accepted: %(values)s."),
    C.NOT_A_DATE: _("Not a date: write it as 1985-06-15."),
    C.PHONE: None,
    C.ID_EXCEL_FLOAT: _(
        "Excel stored this number as a number and kept only 15 significant digits, so its last "
        "digits are lost. Format the column as text and enter the number again."
    ),
    C.ID_SCIENTIFIC: _(
        "The number is in scientific notation (Excel turned it into a number), so its last "
        "digits are lost. Format the column as text and enter it again."
    ),
    C.ID_MASKED: _("The number is masked (it contains *): import needs the full number."),
    C.ID_FOLDED: _("Full-width characters or spaces were removed from the number."),
    C.ID_UPGRADED: _("A 15-digit number was upgraded to 18 characters (%(number)s)."),
    C.ID_FORMAT: None,
    C.ID_LENGTH: None,
    C.ID_PROVINCE: None,
    C.ID_BIRTH_DATE: None,
    C.ID_CHECK_DIGIT: None,
    C.ID_RESIDENCE_PERMIT: _(
        "This is a residence-permit number: set the document type accordingly."
    ),
    C.ID_SEX_MISMATCH: _("Does not match the ID number, which says %(sex)s."),
    C.ID_BIRTH_MISMATCH: _("Does not match the ID number, which says %(date)s."),
    C.DUPLICATE_IN_FILE: _("The same number is on row %(row)d; one person appears once."),
    C.DUPLICATE_IN_SYSTEM: _(
        "This number is already registered in household %(number)s; one person can be "
        "registered only once."
    ),
    C.NUMBER_MISSING: _(
        "Required. If the household number was a merged cell, unmerge it and fill it in on "
        "every row."
    ),
    C.HOUSEHOLD_DISAGREES: _(
        "Differs from row %(row)d of the same household (%(other)s); a household's columns "
        "must agree on all its rows."
    ),
    C.HEADS: _(
        "Household %(number)s has more than one head (rows %(rows)s); a household has exactly one."
    ),
    C.NO_HEAD: _("Household %(number)s has no head; a household has exactly one."),
    C.HOUSEHOLD_EXISTS: _(
        "Not imported: household %(number)s is already in the system; add a new member on the "
        "household's page."
    ),
    C.HOUSEHOLD_DIFFERS: _(
        "Already in the system and left unchanged; the file differs in: %(fields)s. Change the "
        "household on its page."
    ),
    C.SITE_UNKNOWN: _("No resettlement site has this name or code."),
    C.SITE_AMBIGUOUS: _("Several sites have this name: write the site code instead."),
    C.SITE_NOT_ALLOWED: _("You may not import households into this site."),
    C.SITE_MISMATCH: _("Does not match the site %(site)s (%(expected)s)."),
    C.GRID_UNKNOWN: _("The site %(site)s has no grid of this name or code."),
    C.GRID_AMBIGUOUS: _("Several grids have this name: write the grid code instead."),
    C.ORIGIN_CODE_NEEDED: _("Write the 12-digit division code of the origin village."),
    C.ORIGIN_CODE_FORMAT: _("A division code has 12 digits."),
    C.ORIGIN_NAME_NEEDED: _("The division code is new to the system: write the origin's name too."),
    C.ORIGIN_NAME_CONFLICT: _(
        "Row %(row)d gives another name (%(name)s) for the same division code."
    ),
    C.COUNTY_NOT_OURS: _("Not a county of the sites you import for."),
    C.WAITING_FOR_GRID: _(
        "Household %(number)s was already waiting for a grid: its rows are now this file's."
    ),
    C.OTHER_SITE: _(
        "Household %(number)s is registered in a site you do not import for: it is left as "
        "it is and not compared."
    ),
    C.PERSON_NUMBER_LONG: _("Too long: at most %(n)d characters."),
}
# The codes of the registry validators' ``ValidationError``s about an ID number.
FROM_VALIDATOR = {
    "required": C.REQUIRED,
    "format": C.ID_FORMAT,
    "length": C.ID_LENGTH,
    "province": C.ID_PROVINCE,
    "birth_date": C.ID_BIRTH_DATE,
    "checksum": C.ID_CHECK_DIGIT,
    "residence_permit": C.ID_RESIDENCE_PERMIT,
    "phone": C.PHONE,
}


def masked_message(message: str, raw: str, shown: str) -> str:
    """A validator's sentence about ``raw`` with the number masked as the value column shows
    it (``shown``): the whole number, and the part the mask hides (an ID number's birth date),
    wherever the sentence quotes them."""
    if not raw or raw == shown:
        return message
    message = message.replace(raw, shown)
    if len(raw) == len(shown):
        hidden = "".join(r for r, s in zip(raw, shown, strict=True) if s == "*" and r != "*")
        if len(hidden) >= 4:
            message = message.replace(hidden, "*" * len(hidden))
    return message


def render(code: ProblemCode, params: dict[str, Any]) -> str:
    """The sentence of a problem, in the active language."""
    template = MESSAGES[code]
    if template is None:
        return str(params["message"])
    return str(template) % params if params else str(template)


@dataclass(frozen=True)
class Problem:
    """One problem of a ledger: where (the spreadsheet's own row number, 0 for the file as a
    whole; the column as headed in the file), the value as shown (masked), and what."""

    row: int
    column: str
    value: str
    code: ProblemCode
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    reason: str = ""  # rendered from ``code`` and ``params``

    def __post_init__(self) -> None:
        if not self.reason:
            object.__setattr__(self, "reason", render(self.code, self.params))


class Findings:
    """The problems found so far, each column named as it is headed in the file."""

    def __init__(self, titles: dict[str, str]) -> None:
        self.titles = titles
        self.errors: list[Problem] = []
        self.notices: list[Problem] = []

    def title(self, key: str) -> str:
        return self.titles.get(key, BY_KEY[key].title)

    def error(self, row: int, key: str, value: str, code: ProblemCode, /, **params: Any) -> None:
        self.errors.append(Problem(row, self.title(key), value, code, params))

    def notice(self, row: int, key: str, value: str, code: ProblemCode, /, **params: Any) -> None:
        self.notices.append(Problem(row, self.title(key), value, code, params))


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
    layout: str = "register"
    households_unassigned: int = 0  # national tables: waiting for a grid
    changes: int = 0  # national tables: differences waiting for a manager

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
