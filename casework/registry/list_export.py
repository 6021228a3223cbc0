"""The household list (搬迁户名单) as Excel: the rows of the list page, with its filters and
search, its columns and its masking. ``services.household_list_export`` records each export."""

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from django.db.models import QuerySet

from casework.common.xlsx import write_rows
from casework.permissions import PersonalData

if TYPE_CHECKING:
    from .selectors import ListedHousehold

LIST_TITLE = "搬迁户名单"
HEADERS = (
    "户编号",
    "户主姓名",
    "户主身份证号",
    "安置点",
    "网格",
    "楼栋-单元-房号",
    "三色标签",
    "家庭人口数",
    "劳动力人数",
    "户联系电话",
)
CHUNK = 2000


def household_list_rows(
    households: "QuerySet[ListedHousehold]", *, unmasked_grids: frozenset[int] = frozenset()
) -> Iterator[list[Any]]:
    """One row per household of the list's queryset (``selectors.household_list``, filtered),
    in its order, read in chunks with one query; identifiers whole only in ``unmasked_grids``."""
    masked, whole = PersonalData(unmasked=False), PersonalData(unmasked=True)
    for household in households.iterator(chunk_size=CHUNK):
        shown = whole if household.grid_id in unmasked_grids else masked
        yield [
            household.number,
            household.head_name or "",
            shown.document(household.head_document_number or ""),
            household.grid.site.name,
            household.grid.name,
            household.address,
            household.get_colour_display(),
            household.member_count,
            household.labour_count,
            shown.phone(household.phone),
        ]


def household_list_workbook(
    households: "QuerySet[ListedHousehold]", *, unmasked_grids: frozenset[int] = frozenset()
) -> tuple[IO[bytes], int]:
    """The list as a workbook in a temporary file, and its number of rows."""
    rows = household_list_rows(households, unmasked_grids=unmasked_grids)
    return write_rows(LIST_TITLE, HEADERS, rows)
