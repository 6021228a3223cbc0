"""Searching households as people search: a member's name, its pinyin or pinyin initials, the
last four characters of a document number, the building and room, the household number.

Two halves, both pure (no database): the search keys each member row carries
(``member_search_keys_set``, called by every service that saves a member's name or document
number, the bulk ledger import included) and what a typed term may mean (``search_term_read``).
``selectors.household_list`` turns the meanings into indexed prefix and equality lookups.
"""

import re
from dataclasses import dataclass
from typing import Protocol

from pypinyin import Style, lazy_pinyin

from .validators import clean_text

PINYIN_MAX = 200
INITIALS_MAX = 50
TAIL_LENGTH = 4
# The tail is kept (and searched) only where the masked number shows it too: numbers longer
# than ten characters (``validators.mask_document_number``), so a short number is never
# stored whole in a second column.
TAIL_MIN_NUMBER_LENGTH = 11
# A place in the origin address is matched anywhere in it (``LIKE '%…%'``, served by a trigram
# index on PostgreSQL), from two characters on: one character would match most villages.
PLACE_MIN_LENGTH = 2

# Surnames read differently as surnames than pypinyin reads the character on its own. The
# first reading is the surname's; pypinyin's own reading stays as the alternative, so both
# "zengguofan" and "cengguofan" find 曾国藩. pypinyin's heteronym mode would list every reading
# of every character (王 also "yu", 单 also "chan") and make short initials match half a city,
# so only the first character of these surnames gets a second reading.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "乐": "yue",
    "尉": "wei",
    "覃": "qin",
    "缪": "miao",
    "盖": "ge",
    "召": "shao",
    "种": "chong",
    "秘": "bi",
    "折": "she",
    "翟": "zhai",
    "员": "yun",
    "繁": "po",
    "句": "gou",
    "卜": "bu",
    "隗": "wei",
    "牟": "mu",
}

_NOT_KEY = re.compile(r"[^a-z0-9]")
_LETTERS = re.compile(r"[a-z]+")
# 3-1502, 3-2-1502, 3栋1502, 3栋2单元1502室, 3#1502, 3号楼1502: building, optional unit, room.
_ROOM = re.compile(
    r"(?P<building>[0-9A-Z]{1,6})(?:栋|幢|号楼|#|-)"
    r"(?:(?P<unit>[0-9]{1,3})(?:单元|-))?(?P<room>[0-9]{2,6})室?"
)
_ROOM_ONLY = re.compile(r"(?P<room>[0-9]{3,6})室?")
_TAIL = re.compile(r"[0-9]{3}[0-9X]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class _Named(Protocol):
    name: str
    document_number: str
    name_pinyin: str
    name_pinyin_alt: str
    name_initials: str
    name_initials_alt: str
    document_tail: str


def _key(syllables: list[str], limit: int) -> str:
    return _NOT_KEY.sub("", "".join(syllables).lower())[:limit]


def name_readings(name: str) -> list[list[str]]:
    """The syllables of ``name`` in pinyin (ü as v, as typed on a keyboard): the surname's
    reading first when it is one of ``SURNAME_READINGS``, then pypinyin's own if different."""
    name = clean_text(name)
    if not name:
        return []
    plain = lazy_pinyin(name, style=Style.NORMAL, v_to_u=False)
    readings = [plain]
    surname = SURNAME_READINGS.get(name[0])
    if surname and plain and plain[0] != surname:
        readings.insert(0, [surname, *plain[1:]])
    return readings


def _initials(syllables: list[str]) -> list[str]:
    # A syllable gives its first letter; digits (a name like 王成员2) are kept whole.
    return [s[0] if s[0].isalpha() else s for s in syllables if s]


def document_tail(number: str) -> str:
    """The last four characters of a document number (X upper-case), or "" for a number the
    masked display does not show the end of."""
    number = clean_text(number).upper()
    if len(number) < TAIL_MIN_NUMBER_LENGTH:
        return ""
    return number[-TAIL_LENGTH:]


def member_search_keys_set(member: _Named) -> None:
    """Set a member's search keys from its name and document number (not saved here: the
    calling service saves the row, one by one or in bulk)."""
    readings = name_readings(member.name)
    pinyin = [_key(r, PINYIN_MAX) for r in readings] + ["", ""]
    initials = [_key(_initials(r), INITIALS_MAX) for r in readings] + ["", ""]
    member.name_pinyin, member.name_pinyin_alt = pinyin[0], pinyin[1]
    member.name_initials = initials[0]
    member.name_initials_alt = initials[1] if initials[1] != initials[0] else ""
    member.document_tail = document_tail(member.document_number)


SEARCH_KEY_FIELDS = (
    "name_pinyin",
    "name_pinyin_alt",
    "name_initials",
    "name_initials_alt",
    "document_tail",
)


@dataclass(frozen=True)
class Room:
    building: str | None
    unit: str | None
    room: str


@dataclass(frozen=True)
class SearchTerm:
    """What a typed term may mean; each set part is one way a household can match."""

    text: str
    name: str | None = None
    pinyin: str | None = None
    document_tail: str | None = None
    room: Room | None = None
    place: str | None = None


def search_term_read(raw: str | None) -> SearchTerm | None:
    """Read a search box's text (full-width folded, spaces dropped); ``None`` when empty.

    Letters only: pinyin or pinyin initials ("zhangsan", "zs"). Chinese characters: the start
    of a name and, two or more, a place named in the origin address ("石桥村"). Three digits
    and a digit or X: a document tail (and, all digits, a room). A building-room form
    ("3-1502", "3栋2单元1502室"): a room. Any text is also the start of a household number.
    """
    text = clean_text(raw or "")
    if not text:
        return None
    upper = text.upper()
    room_match = _ROOM.fullmatch(upper) or _ROOM_ONLY.fullmatch(upper)
    name = text if _CJK.search(text) and not room_match else None
    pinyin = text.lower().replace("ü", "v")
    tail = upper if _TAIL.fullmatch(upper) else None
    room = None
    if room_match:
        parts = room_match.groupdict()
        room = Room(parts.get("building"), parts.get("unit"), parts["room"])
    return SearchTerm(
        text=text,
        name=name,
        pinyin=pinyin if _LETTERS.fullmatch(pinyin) else None,
        document_tail=tail,
        room=room,
        place=name if name and len(name) >= PLACE_MIN_LENGTH else None,
    )
