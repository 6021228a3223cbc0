"""What a public notice may show (domain.md §9.3): the facts a notice is drafted from, and the
one rule for a name on the board (the surname, the rest masked: 张*, 欧阳**)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Model

from casework.registry.models import Household

# Two-character surnames common enough to keep whole on the board.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 呼延".split()
)


def public_name(name: str) -> str:
    """The name as a notice shows it: the surname, then one ``*`` per other character."""
    name = name.strip()
    if len(name) <= 1:
        return name
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + "*" * (len(name) - keep)


@dataclass(frozen=True)
class NoticeDraft:
    """A notice before it is posted: what it is about and what it says.

    ``rows`` are the facts shown as a table (label, value); only public facts go in them.
    """

    kind: str
    subject: Model
    household: Household
    title: str
    text: str
    working_days: int
    rows: list[tuple[str, str]] = field(default_factory=list)
    starts_on: datetime.date | None = None
