"""National base tables (reference/domain.md §5.1) built in memory for the tests: five
households in the national value lists, the first two naming their site and grid (the columns
a county adds), the last three naming neither."""

import io

from openpyxl import Workbook, load_workbook

from casework.ledgers.national.layout import LAYOUTS
from tests.ledgers.household.books import id_number

HEADERS = LAYOUTS["base"]
SHARED = {
    "数据日期": "2026-10-31", "县(市、区、旗)": "礼县", "乡(镇)": "城关镇", "行政村": "石桥村",
    "自然村": "上庄", "民族": "汉族", "是否参加大病保险": "是", "致贫原因1": "因病", "危房户": "否",
    "是否解决安全饮用水": "是", "人均纯收入": "8650.5", "户联系电话": "13912345670",
    "首次识别时间": "2014-05", "人员识别时间": "2014-05", "户类型": "脱贫户", "风险是否消除": "",
}  # fmt: skip


def person(household: str, serial: int, name: str, born: str, relationship: str, **cells) -> dict:
    return {
        **SHARED,
        "户编号": household,
        "人编号": f"{household}{serial:02d}",
        "姓名": name,
        "证件号码": id_number(born, f"{serial:02d}{len(household) % 10}"),
        "与户主关系": relationship,
        "文化程度": "初中",
        "健康状况": "健康",
        "劳动技能": "普通劳动力",
        "务工时间（月）": "6",
        "人联系电话": f"1381234{serial:04d}",
        **cells,
    }


def households() -> list[list[dict]]:
    a1 = {"安置点": "安置点A", "网格": "A网格1"}
    a2 = {"安置点": "安置点A", "网格": "A网格2", "易返贫致贫户(监测对象)类型": "边缘易致贫户"}
    child = {"文化程度": "", "劳动技能": "无劳动力", "务工时间（月）": ""}
    first, second = "62122610120100011", "62122610120100022"
    return [
        [
            person(first, 1, "张国庆", "19750101", "户主", **a1),
            person(first, 2, "李秀兰", "19770304", "配偶", 文化程度="小学", **a1),
            person(first, 3, "张小勇", "20120506", "之子", 在校生状况="七年级", **child, **a1),
            person(first, 4, "张宝宝", "20220708", "之孙子女", 在校生状况="学龄前儿童", **child,
                   **a1),
        ],
        [
            person(second, 1, "王建军", "19680202", "户主", 健康状况="长期慢性病",
                   劳动技能="弱劳动力或半劳动力", **a2),
            person(second, 2, "王小红", "19990909", "之女", 文化程度="大专", 健康状况="残疾",
                   劳动技能="技能劳动力", **a2),
        ],
        [person("62122610120100033", 1, "赵满仓", "19600303", "户主", 文化程度="文盲或半文盲",
                健康状况="患有大病", 劳动技能="丧失劳动力")],
        [
            person("62122610120100044", 1, "孙桂芳", "19720404", "户主"),
            person("62122610120100044", 2, "孙小亮", "20080808", "之子",
                   在校生状况="普通高中二年级", 劳动技能="无劳动力"),
        ],
        [person("62122610120100055", 1, "周大海", "19850505", "户主", 劳动技能="技能劳动力")],
    ]  # fmt: skip


def rows(tables: list[list[dict]] | None = None) -> list[list[str]]:
    """The table's rows (cells in header order), 人数 and 序号 filled in."""
    result = []
    for members in tables or households():
        for member in members:
            member["人数"] = str(len(members))
            result.append(member)
    return [
        [str(index) if h == "序号" else member.get(h, "") for h in HEADERS]
        for index, member in enumerate(result, start=1)
    ]


def book(table_rows: list[list[str]], title: str = "已脱贫人口名单") -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([title])  # a title row above the header, as the national exports have
    sheet.append(list(HEADERS))
    for row in table_rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def read_back(content) -> list[list[str]]:
    """The rows of an exported table, each cell as text ('' when empty)."""
    sheet = load_workbook(content, read_only=True).worksheets[0]
    values = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert values[0] == list(HEADERS)
    return values[1:]
