"""The 人社 ledger (reference/domain.md §5.4): the 35 columns, one row per labour member, with
the member's current work, masked unless asked for and allowed; downloaded from the page."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.audit.models import AuditEvent
from casework.cases.models import EmploymentCase
from casework.ledgers.hrss import HEADERS
from casework.posts.models import PostAssignment
from tests.reports.dashboard.world import Maker

pytestmark = pytest.mark.django_db
S = EmploymentCase.State


def _rows(content: bytes) -> list[dict]:
    values = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].values)
    assert list(values[0]) == list(HEADERS) and len(HEADERS) == 35
    return [dict(zip(HEADERS, row, strict=True)) for row in values[1:]]


def test_the_hrss_ledger_lists_each_labour_member_with_their_work(client, world):
    make = Maker(world)
    household = make.household(world.grid_a1, {"name": "外出户主"}, {"name": "公岗儿子"})
    head, son = make.members(household)
    placement = make.place(make.case(head, S.EMPLOYED), "organised")
    placement.location_class, placement.employer_name = "outside", "苏州某电子厂"
    placement.save()
    former = make.household(world.grid_a1, {"name": "已离职户主"})
    (former_head,) = make.members(former)
    ended = make.place(make.case(former_head, S.SEEKING), "enterprise", ended=True)
    ended.employer_name = "旧厂"
    ended.save()
    post = make.post(world.site_a, 2)
    make.hold(make.case(son, S.ON_POST), post, PostAssignment.Status.ON_POST)

    client.force_login(world.manager)
    confirm = client.get(reverse("registry:household:ledger") + "?layout=hrss")
    assert "贫困劳动力就业信息" in confirm.content.decode()
    response = client.post(reverse("registry:household:ledger"), {"layout": "hrss"})
    assert response.status_code == 200
    rows = {row["姓名"]: row for row in _rows(response.content)}
    away, on_post = rows["外出户主"], rows["公岗儿子"]
    assert (away["就业类型"], away["就业单位名称"], away["就业地域"]) == (
        "外出务工", "苏州某电子厂", "省外"
    )  # fmt: skip
    assert away["就业起始年月"] == placement.start_date.strftime("%Y-%m")
    assert "*" in away["身份证号"] and "*" in away["联系电话"]  # masked unless asked for
    assert (on_post["就业类型"], on_post["就业渠道"]) == ("公益性岗位安置", "公益性岗位")
    assert float(on_post["岗位补贴"]) == 800.0
    gone = rows["已离职户主"]  # an ended job is history: no current work in any work column
    assert (gone["就业类型"], gone["就业单位名称"], gone["就业渠道"]) == (None, None, None)
    event = AuditEvent.objects.filter(action="ledger.export").latest("pk")
    assert event.changes["layout"] == [None, "hrss"]

    full = client.post(reverse("registry:household:ledger"), {"layout": "hrss", "unmasked": "1"})
    assert {row["姓名"]: row for row in _rows(full.content)}["外出户主"][
        "身份证号"
    ] == head.document_number
