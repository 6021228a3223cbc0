"""Writing households in a national layout (``layout.LAYOUTS``), one row per member, head
first, by household number: what a national import reads, so that a table imported and
exported again matches cell for cell. Who may have full numbers, and the record of each
export, is ``services.exports``."""

from collections.abc import Iterator
from typing import IO

from django.db.models import Prefetch, QuerySet

from casework.common.xlsx import write_rows
from casework.registry.models import Household, Member

from .compare import current_of
from .layout import LAYOUTS, canonical_header, cell

SHEET_TITLE = "基础表"


def national_rows(
    households: QuerySet[Household], layout: str, *, unmasked: bool
) -> Iterator[list[str]]:
    """The cells of each member (``unmasked``: full ID numbers and phones)."""
    headers = LAYOUTS[layout]
    names = [canonical_header(header) for header in headers]
    households = (
        households.select_related("grid__site")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.select_related("national").order_by("pk"))
        )
        .order_by("number")
    )
    number = 0
    for household in households.iterator(chunk_size=2000):
        members = sorted(household.members.all(), key=lambda m: (not m.is_head, m.pk))
        head = members[0] if members and members[0].is_head else None
        for member in members:
            number += 1
            now = current_of(household, member)
            yield [
                str(number) if header == "序号" else cell(name, now, head, unmasked=unmasked)
                for header, name in zip(headers, names, strict=True)
            ]


def national_workbook(
    households: QuerySet[Household], layout: str, *, unmasked: bool
) -> tuple[IO[bytes], int]:
    """The workbook (a temporary file at its start) and the number of rows."""
    return write_rows(
        SHEET_TITLE, LAYOUTS[layout], national_rows(households, layout, unmasked=unmasked)
    )
