"""The code lists a new database starts with (the same as migration 0003): filled again after
a flush empties the table (tests that truncate every table), never over an administrator's
changes: only an empty table is filled."""

import datetime
from typing import Any

from django.db import connections

from .models import Code

# (list, code, label, 七个一批, 五个一批, national label), in display order per list.
CODES = [
    ("channel", "enterprise", "本地企业、合作社吸纳", "企业吸纳", "", "就地就近就业"),
    ("channel", "organised", "有组织劳务输出", "劳务输出", "劳务输出", "外出务工"),
    ("channel", "migration", "自主外出务工", "劳务输出", "劳务输出", "外出务工"),
    (
        "channel",
        "workshop",
        "就业帮扶车间、社区工厂、园区工厂",
        "工厂和园区",
        "就业帮扶车间",
        "帮扶车间",
    ),
    ("channel", "self_employed", "自主创业", "自主创业", "返乡创业", "自主创业"),
    ("channel", "industry", "发展产业（种养殖、合作社）", "发展产业", "", "发展产业"),
    ("channel", "flexible", "灵活就业", "灵活务工", "", "灵活就业"),
    ("channel", "work_relief", "以工代赈", "", "项目建设", "以工代赈"),
    ("channel", "public_welfare", "公益性岗位", "就业扶贫专岗", "公益性岗位", "公益岗位"),
    ("channel", "other", "其他", "", "", "其他"),
    ("trade", "cooking", "烹饪", "", "", ""),
    ("trade", "noodles", "拉面", "", "", ""),
    ("trade", "construction", "建筑", "", "", ""),
    ("trade", "farming", "种养殖", "", "", ""),
    ("trade", "housekeeping", "家政", "", "", ""),
    ("trade", "electrician", "电工", "", "", ""),
    ("trade", "other", "其他", "", "", ""),
    ("exit_reason", "voluntary", "自愿退出", "", "", ""),
    ("exit_reason", "disobedience", "不服从管理", "", "", ""),
    ("exit_reason", "health", "身体原因不能坚持", "", "", ""),
    ("exit_reason", "substitute", "顶岗、替岗、岗在人不在", "", "", ""),
    ("exit_reason", "stable_job", "通过其他途径实现稳定就业", "", "", ""),
    ("exit_reason", "crime", "违法犯罪", "", "", ""),
    ("exit_reason", "retirement", "达到法定退休年龄或死亡", "", "", ""),
    ("exit_reason", "term_end", "聘期届满", "", "", ""),
    ("exit_reason", "other", "其他不适合情形", "", "", ""),
    ("pairing_type", "party", "党员结对", "", "", ""),
    ("pairing_type", "cadre", "干部包户", "", "", ""),
    ("pairing_type", "capable", "能人带动", "", "", ""),
    ("pairing_type", "party_centre", "党员中心户", "", "", ""),
    ("pairing_type", "capable_household", "能人大户带贫", "", "", ""),
]

START = datetime.date(2021, 1, 1)


def codes_seed(*, using: str = "default") -> int:
    """Fill the code lists with the initial codes if the table is empty; the number added."""
    if Code._meta.db_table not in connections[using].introspection.table_names():
        return 0
    if Code.objects.using(using).exists():
        return 0
    order: dict[str, int] = {}
    rows = []
    for list_name, code, label, group, group_five, national in CODES:
        order[list_name] = order.get(list_name, 0) + 10
        rows.append(
            Code(
                list_name=list_name,
                code=code,
                label=label,
                group=group,
                group_five=group_five,
                national_label=national,
                sort_order=order[list_name],
                valid_from=START,
            )  # fmt: skip
        )
    return len(Code.objects.using(using).bulk_create(rows))


def codes_seed_on_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    codes_seed(using=using)
