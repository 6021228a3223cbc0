"""The layouts of the national 防返贫监测 system's person-level tables (reference/domain.md §5.1):
the base table (基础表, 32 columns) and the 47-column 全字段 export, each followed by the two
columns a county adds for its resettlement sites (安置点, 网格).

A header names either one of our fields (its ledger column key: the household ledger's value
lists read the national words, ``household.template``) or a national column we keep as it was
written (``NationalRecord.cells``). A stored word is written back as long as it still means
the member's current value, so a file imported and exported again matches cell for cell.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from casework.registry.models import Household, Member
from casework.registry.validators import clean_text, mask_document_number, mask_phone

from ..household.reader import parse_date
from ..household.template import DEFAULTS, labels, value_lists

BASE: tuple[str, ...] = tuple(
    """
    序号 数据日期 县(市、区、旗) 乡(镇) 行政村 自然村 户编号 人编号 姓名 证件号码 人数
    与户主关系 民族 文化程度 在校生状况 健康状况 劳动技能 务工时间（月） 是否参加大病保险
    致贫原因1 危房户 是否解决安全饮用水 人均纯收入 户联系电话 人联系电话 首次识别时间
    人员识别时间 户类型 易返贫致贫户(监测对象)类型 风险是否消除 风险识别时间 风险消除时间
    """.split()
)
FULL: tuple[str, ...] = tuple(
    """
    省 市 县 乡 村 户编号 人口编号 姓名 性别 出生日期 证件类型 证件号码 民族 户联系电话
    成员联系电话 年度 与户主关系 文化程度 在校生状况 劳动技能 务工时间（月） 健康状况
    政治面貌 务工企业名称 是否享受低保 是否参加城镇职工基本养老保险 是否参加大病保险
    是否参加城乡居民基本医疗保险 是否参加城乡居民基本养老保险 失学或辍学原因 是否会讲普通话
    是否参加商业补充医疗保险 是否国外务工 产业分类 是否接受大病医疗救助 是否接受其他健康扶贫
    公益性岗位类型 公益性岗位(月数) 就业渠道 残疾类别 务工所在地 户主姓名 户主证件号码
    是否参加城镇职工基本医疗保险 是否特困供养人员 残疾证办证年度 识别标准
    """.split()
)
LOCAL: tuple[str, ...] = ("安置点", "网格")
LAYOUTS: dict[str, tuple[str, ...]] = {"base": BASE + LOCAL, "full": FULL + LOCAL}

# Other spellings of the same column, in one layout or another.
ALIASES: dict[str, str] = {
    "县": "县(市、区、旗)", "县(市、区)": "县(市、区、旗)", "乡": "乡(镇)", "乡镇": "乡(镇)",
    "村": "行政村", "人口编号": "人编号", "成员联系电话": "人联系电话",
    "监测对象类别": "易返贫致贫户(监测对象)类型", "监测对象类型": "易返贫致贫户(监测对象)类型",
    "安置点名称": "安置点", "安置区": "安置点", "网格名称": "网格", "所属网格": "网格",
    "务工时间(月)": "务工时间（月）", "身份证号码": "证件号码", "身份证号": "证件号码",
    "公民身份号码": "证件号码", "家庭联系电话": "户联系电话", "户主联系电话": "户联系电话",
    "手机号码": "人联系电话", "联系电话": "人联系电话",
}  # fmt: skip

# Header → our ledger column key, for the columns that are our own fields.
FIELDS: dict[str, str] = {
    "户编号": "number", "姓名": "name", "证件号码": "document_number", "证件类型": "document_type",
    "性别": "sex", "出生日期": "birth_date", "与户主关系": "relationship", "文化程度": "education",
    "在校生状况": "in_school", "健康状况": "health", "劳动技能": "labour_capacity",
    "政治面貌": "political_status", "户联系电话": "household_phone", "人联系电话": "phone",
    "户类型": "household_type", "易返贫致贫户(监测对象)类型": "monitoring", "安置点": "site",
    "网格": "grid",
}  # fmt: skip
# Columns written from the household or the row, never kept.
DERIVED = frozenset({"序号", "户主姓名", "户主证件号码", "人编号"})
PERSONAL = frozenset({"证件号码", "户主证件号码", "户联系电话", "人联系电话"})
REQUIRED = ("户编号", "人编号", "姓名", "证件号码")


@cache
def _canonical() -> dict[str, str]:
    names = {clean_text(h): h for layout in LAYOUTS.values() for h in layout}
    names.update({clean_text(alias): header for alias, header in ALIASES.items()})
    return names


def canonical_header(text: Any) -> str:
    """The layout's own name for a header as written; the header itself when it is none of
    ours (kept as it is)."""
    written = clean_text(str(text or "")).replace("*", "")
    return _canonical().get(written, written)


@dataclass(frozen=True)
class Current:
    """A member as the national cells show it now."""

    household: Household
    member: Member
    person_number: str
    cells: dict[str, str]  # what the last import kept


def _coded(kept: str, name: str, value: str) -> str:
    """The kept word when it still means ``value``; else our word for it."""
    if kept and value_lists()[name].get(clean_text(kept)) == value:
        return kept
    if not kept and value == DEFAULTS.get(name, ""):
        return ""  # an empty cell reads as the default
    return labels(name)[value]


def _field_cell(header: str, current: Current, head: Member | None) -> str:
    household, member, kept = current.household, current.member, current.cells.get(header, "")
    key = FIELDS[header]
    if key == "birth_date" and kept and parse_date(kept) == member.birth_date:
        return kept  # the date as the table writes it (19750101, 1975-01-01 …)
    if key in ("site", "grid"):  # read only when asked: the grid and site are another query
        return household.grid.site.name if key == "site" else household.grid.name
    plain: dict[str, Any] = {
        "number": household.number,
        "name": member.name,
        "document_number": member.document_number,
        "birth_date": member.birth_date.isoformat() if member.birth_date else "",
        "phone": member.phone,
        "household_phone": household.phone,
    }
    if key in plain:
        return plain[key]
    if key == "in_school":
        return _coded(kept, "yes_no", "1" if member.in_school else "0")
    source = household if key in ("household_type", "monitoring") else member
    return _coded(kept, key, getattr(source, key))


def cell(header: str, current: Current, head: Member | None, *, unmasked: bool) -> str:
    """The text of one national cell of ``current``."""
    if header == "人编号":
        text = current.person_number
    elif header == "户主姓名":
        text = head.name if head else ""
    elif header == "户主证件号码":
        text = head.document_number if head else ""
    elif header in FIELDS:
        text = _field_cell(header, current, head)
    else:
        text = current.cells.get(header, "")
    if not unmasked and header in PERSONAL and text:
        masker = mask_document_number if "证件号码" in header else mask_phone
        return masker(text)
    return text
