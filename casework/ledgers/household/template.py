"""The template of the household ledger (户籍台账): one row per member of each household.

Its columns (the registry's columns of reference/domain.md §5.9) are what the import reads and
the export writes, so an exported file imports again unchanged. Headers and coded values are the
Chinese words of the ledgers counties keep; common variants of both are accepted. The workbook
carries a second sheet (填写说明) that explains each column.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import Any, Literal

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from casework.common.xlsx import safe_cell
from casework.registry.models import Household, Member
from casework.registry.validators import clean_text

Scope = Literal["info", "household", "member"]
SHEET_TITLE = "户籍台账"
NOTES_TITLE = "填写说明"


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    title: str
    scope: Scope
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: str | None = None  # name of a value list in ``value_lists()``


COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("row", "序号", "info", ("编号",)),
    LedgerColumn("county", "县", "info", ("县(市、区)", "县(市、区、旗)", "区县", "县区")),
    LedgerColumn("township", "乡镇", "info", ("乡(镇)", "乡镇(街道)", "镇")),
    LedgerColumn("site", "安置点", "household", ("安置点名称", "安置社区", "安置点(社区)", "安置区"), True),
    LedgerColumn("grid", "网格", "household", ("网格名称", "所属网格"), True),
    LedgerColumn("building", "楼栋", "household", ("栋", "楼号", "楼栋号")),
    LedgerColumn("unit", "单元", "household", ("单元号",)),
    LedgerColumn("room", "房号", "household", ("房间号", "门牌号", "室")),
    LedgerColumn("origin_code", "原籍区划代码", "household", ("原籍代码", "户籍地区划代码", "迁出地区划代码")),
    LedgerColumn("origin_name", "原籍", "household", ("原籍村", "原籍地", "迁出地", "迁出村")),
    LedgerColumn("origin_address", "原籍地址", "household", ("原籍详细地址", "迁出地址")),
    LedgerColumn("number", "户编号", "household", ("户编号(国家平台)", "户号", "户编码"), True),
    LedgerColumn("household_type", "户类型", "household", ("户属性",), choices="household_type"),
    LedgerColumn("monitoring", "监测对象类别", "household", ("监测对象类型", "易返贫致贫户(监测对象)类型", "监测户类别"), choices="monitoring"),
    LedgerColumn("colour", "三色标签", "household", ("三色", "颜色标签", "三色管理"), choices="colour"),
    LedgerColumn("household_phone", "户联系电话", "household", ("家庭联系电话", "户主联系电话")),
    LedgerColumn("name", "姓名", "member", ("成员姓名", "人员姓名"), True),
    LedgerColumn("document_type", "证件类型", "member", (), choices="document_type"),
    LedgerColumn("document_number", "证件号码", "member", ("身份证号", "身份证号码", "公民身份号码", "证件号", "身份证"), True),
    LedgerColumn("sex", "性别", "member", (), choices="sex"),
    LedgerColumn("birth_date", "出生日期", "member", ("出生年月日", "生日")),
    LedgerColumn("relationship", "与户主关系", "member", ("与户主的关系", "家庭关系"), True, "relationship"),
    LedgerColumn("education", "文化程度", "member", ("学历",), choices="education"),
    LedgerColumn("in_school", "在校生", "member", ("在校生状况", "是否在校生", "在校情况"), choices="yes_no"),
    LedgerColumn("health", "健康状况", "member", ("健康情况",), choices="health"),
    LedgerColumn("labour_capacity", "劳动技能", "member", ("劳动能力", "劳动力类型"), True, "labour_capacity"),
    LedgerColumn("political_status", "政治面貌", "member", (), choices="political_status"),
    LedgerColumn("phone", "联系电话", "member", ("成员联系电话", "人联系电话", "手机号码", "手机号", "个人联系电话")),
)  # fmt: skip

BY_KEY = {column.key: column for column in COLUMNS}
HOUSEHOLD_KEYS = tuple(c.key for c in COLUMNS if c.scope == "household")
MEMBER_KEYS = tuple(c.key for c in COLUMNS if c.scope == "member")

# Values accepted besides each choice's own Chinese label (the words of national exports and
# of hand-kept ledgers), by value list.
_ALIASES: dict[str, dict[str, str]] = {
    "household_type": {"建档立卡户": "lifted", "建档立卡脱贫户": "lifted", "一般户": "ordinary",
                       "非建档立卡户": "ordinary", "同步搬迁": "concurrent"},
    "monitoring": {"否": "", "无": "", "非监测对象": "", "不稳定脱贫户": "unstable",
                   "脱贫不稳定": "unstable", "边缘易致贫": "marginal", "突发严重困难": "sudden"},
    "colour": {"绿": "green", "黄": "yellow", "红": "red", "绿标": "green", "黄标": "yellow",
               "红标": "red"},
    "document_type": {"身份证": "resident_id", "居民身份证号": "resident_id",
                      "港澳台居住证": "hmt_residence", "外国人永久居留证": "foreign_pr"},
    "sex": {"男性": "M", "女性": "F"},
    "relationship": {"本人": "head", "本人(户主)": "head", "妻": "spouse", "妻子": "spouse",
                     "夫": "spouse", "丈夫": "spouse", "子": "son", "儿子": "son", "长子": "son",
                     "次子": "son", "三子": "son", "女": "daughter", "女儿": "daughter",
                     "长女": "daughter", "次女": "daughter", "三女": "daughter",
                     "儿媳": "daughter_in_law", "媳妇": "daughter_in_law",
                     "女婿": "son_in_law", "孙子": "grandchild", "孙女": "grandchild",
                     "之孙子": "grandchild", "之孙女": "grandchild", "外孙子": "grandchild",
                     "外孙女": "grandchild", "父亲": "parent", "母亲": "parent", "之父": "parent",
                     "之母": "parent", "兄弟姐妹": "sibling", "之兄": "sibling", "之弟": "sibling",
                     "之姐": "sibling", "之妹": "sibling", "其他亲属": "other"},
    "education": {"文盲": "illiterate", "半文盲": "illiterate", "中专": "senior",
                  "高中(中专)": "senior", "本科": "bachelor", "研究生": "bachelor",
                  "专科": "college", "大专(高职)": "college"},
    "health": {"患大病": "serious", "大病": "serious", "慢性病": "chronic", "残疾人": "disabled"},
    "labour_capacity": {"普通劳动力(一般劳动力)": "ordinary", "一般劳动力": "ordinary",
                        "技能型劳动力": "skilled", "弱劳动力": "weak", "半劳动力": "weak",
                        "丧失劳动能力": "lost", "无劳动能力": "none"},
    "political_status": {"党员": "party", "预备党员": "probationary", "团员": "league",
                         "普通群众": "masses"},
    "yes_no": {"在校生": "1", "在校": "1", "非在校生": "0", "不在校": "0", "Y": "1", "N": "0",
               "学龄前儿童": "0"},
}  # fmt: skip
# The national 在校生状况 words (reference/domain.md §5.10): each stage is "in school".
_GRADES = {"普通高中": 3, "中职": 3, "高职高专": 3, "技师学院": 4, "本科": 5}
SCHOOL_STAGES = (
    "学前教育", "小学", "七年级", "八年级", "九年级", "硕士研究生及以上",
    *(f"{school}{'一二三四五'[year]}年级" for school, years in _GRADES.items() for year in range(years)),
)  # fmt: skip
_ALIASES["yes_no"].update(dict.fromkeys(SCHOOL_STAGES, "1"))

# What an empty cell means, for value lists where empty is allowed.
DEFAULTS: dict[str, str] = {
    "household_type": Household.HouseholdType.LIFTED,
    "monitoring": Household.Monitoring.NONE,
    "colour": Household.Colour.GREEN,
    "document_type": Member.DocumentType.RESIDENT_ID,
    "education": Member.Education.NONE,
    "yes_no": "0",
    "health": Member.Health.HEALTHY,
    "political_status": Member.Political.MASSES,
}

_CHOICES = {
    "household_type": Household.HouseholdType,
    "monitoring": Household.Monitoring,
    "colour": Household.Colour,
    "document_type": Member.DocumentType,
    "sex": Member.Sex,
    "relationship": Member.Relationship,
    "education": Member.Education,
    "health": Member.Health,
    "labour_capacity": Member.LabourCapacity,
    "political_status": Member.Political,
}


@cache
def labels(name: str) -> dict[str, str]:
    """Value → the Chinese word the ledger shows, for value list ``name``."""
    if name == "yes_no":
        return {"1": "是", "0": "否"}
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in _CHOICES[name].choices}


@cache
def value_lists() -> dict[str, dict[str, str]]:
    """Folded word → value, for every value list: the labels and their accepted variants."""
    result = {}
    for name in (*_CHOICES, "yes_no"):
        words = {clean_text(label): value for value, label in labels(name).items() if label}
        words.update({clean_text(word): value for word, value in _ALIASES.get(name, {}).items()})
        result[name] = words
    return result


def _header_key(text: str) -> str:
    return clean_text(text).replace("*", "").replace("(必填)", "")


@cache
def header_index() -> dict[str, str]:
    """Folded header (title or variant) → column key."""
    index = {}
    for column in COLUMNS:
        for title in (column.title, *column.aliases):
            index[_header_key(title)] = column.key
    return index


def column_for_header(text: Any) -> str | None:
    return header_index().get(_header_key(str(text))) if text is not None else None


TEXT_KEYS = {"document_number", "phone", "household_phone", "origin_code", "number", "birth_date"}


def _accepted_values(column: LedgerColumn) -> str:
    """What the 填写说明 sheet says a column accepts."""
    notes = {
        "document_number": _(
            "18 characters (15-digit old numbers are upgraded); enter as text so that Excel "
            "keeps every digit"
        ),
        "birth_date": _("YYYY-MM-DD; taken from the ID number when empty"),
        "site": _("Name or code of a resettlement site you manage"),
        "grid": _("Name or code of a grid of that site"),
        "origin_code": _("12-digit division code"),
    }
    if column.key in notes:
        return notes[column.key]
    return "、".join(v for v in labels(column.choices).values() if v) if column.choices else ""


def _notes_sheet(book: Workbook) -> None:
    sheet = book.create_sheet(NOTES_TITLE)
    sheet.append([_("Column"), _("Required"), _("Accepted values"), _("Also accepted headers")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        if column.key == "row":
            continue
        sheet.append(
            [
                column.title,
                _("Yes") if column.required else "",
                _accepted_values(column),
                "、".join(column.aliases),
            ]
        )
    sheet.append([])
    sheet.append(
        [
            _(
                "One row per member. Household columns may be left empty on the other members' "
                "rows of a household; a household has exactly one head."
            )
        ]
    )
    for letter, width in zip("ABCD", (16, 6, 60, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def _header(sheet: Any) -> None:
    sheet.append([column.title for column in COLUMNS])
    required = PatternFill("solid", fgColor="FFF2CC")
    for cell, column in zip(sheet[1], COLUMNS, strict=True):
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required


def _format_columns(sheet: Any, count: int) -> None:
    """Widths, text format on the identifier columns and value lists on the coded ones."""
    last = max(count + 1, 1000)
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        wide = column.key == "document_number"
        sheet.column_dimensions[letter].width = 22 if wide else max(8, len(column.title) * 2 + 4)
        if column.key in TEXT_KEYS:
            for (cell,) in sheet.iter_rows(
                min_row=2, max_row=count + 1, min_col=index, max_col=index
            ):
                cell.number_format = "@"
        if column.choices:
            words = [v for v in labels(column.choices).values() if v]
            validation = DataValidation(
                type="list", formula1='"' + ",".join(words) + '"', allow_blank=True
            )
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)


def ledger_workbook(rows: Iterable[dict[str, Any]]) -> bytes:
    """A household ledger holding ``rows`` (column key → value), with the 填写说明 sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    _header(sheet)
    count = 0
    for values in rows:
        count += 1
        sheet.append([safe_cell(values[column.key]) for column in COLUMNS])
    _format_columns(sheet, count)
    sheet.freeze_panes = "A2"
    _notes_sheet(book)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """The empty template: the header row, the value lists and the 填写说明 sheet."""
    return ledger_workbook(())
