"""The national table's harder cases: households of another site, household columns repeated on
every row, households still waiting when the next table comes, a national word that changes
without changing our value, and a person the table puts in a second household."""

import pytest
from django.urls import reverse

from casework import permissions
from casework.audit.models import AuditEvent
from casework.ledgers.household.problems import ProblemCode as C
from casework.ledgers.models import LedgerImport, NationalChange, UnassignedHousehold
from casework.ledgers.national.services.changes import national_changes_apply
from casework.registry.models import Household, Member
from tests.ledgers.national.tables import HEADERS, households, rows
from tests.ledgers.national.test_national_table import exported, imported

pytestmark = pytest.mark.django_db
FIRST = "62122610120100011"


def codes(job: LedgerImport, kind: str = "notices") -> list[str]:
    return [problem["code"] for problem in job.report[kind]]


def test_households_of_another_site_are_left_alone_and_not_compared(world):
    tables = households()[:1]
    for member in tables[0]:
        member["安置点"], member["网格"] = "安置点B", "B网格1"
    table = rows(tables)
    imported(world.admin, table)  # the administrator imports into every site
    assert Household.objects.get(number=FIRST).grid == world.grid_b1
    changed = [list(row) for row in table]
    changed[0][HEADERS.index("劳动技能")] = "技能劳动力"
    job = imported(world.manager, changed)  # the manager of site A only
    assert job.status == LedgerImport.Status.DONE and job.report["changes"] == 0
    assert codes(job).count(C.OTHER_SITE) == 1
    assert not NationalChange.objects.exists()
    assert Member.objects.get(name="张国庆").labour_capacity == "ordinary"


def test_a_household_column_is_one_difference_and_an_empty_later_cell_erases_nothing(world):
    table = rows(households()[:1])
    imported(world.manager, table)
    changed = [list(row) for row in table]
    for row in changed:
        row[HEADERS.index("户类型")] = "一般农户"
    for row in changed[1:]:
        row[HEADERS.index("户联系电话")] = ""
    job = imported(world.manager, changed)
    assert list(job.changes.values_list("column", "old", "new")) == [
        ("户类型", "脱贫户", "一般农户")
    ]
    assert national_changes_apply(actor=world.manager, job=job) == {"applied": 1}
    household = Household.objects.get(number=FIRST)
    assert (household.household_type, household.phone) == ("ordinary", "13912345670")
    words = {m.national.cells["户类型"] for m in household.members.select_related("national")}
    assert words == {"一般农户"}


def test_a_new_word_for_the_same_value_is_a_difference_and_round_trips(world):
    table = rows(households()[:1])
    imported(world.manager, table)
    changed = [list(row) for row in table]
    changed[2][HEADERS.index("在校生状况")] = "八年级"  # still in school
    job = imported(world.manager, changed)
    assert list(job.changes.values_list("member__name", "column", "old", "new")) == [
        ("张小勇", "在校生状况", "七年级", "八年级")
    ]
    national_changes_apply(actor=world.manager, job=job)
    assert exported(world.manager, unmasked=True) == changed


def test_a_waiting_household_takes_the_next_tables_rows_or_its_site(world):
    table = rows()
    imported(world.manager, table)
    waiting = "62122610120100044"
    changed = [list(row) for row in table]
    line = next(i for i, row in enumerate(changed) if row[HEADERS.index("姓名")] == "孙桂芳")
    changed[line][HEADERS.index("健康状况")] = "患有大病"
    job = imported(world.manager, changed)
    assert codes(job).count(C.WAITING_FOR_GRID) == 3
    item = UnassignedHousehold.objects.get(number=waiting)
    assert item.rows[0]["健康状况"] == "患有大病" and item.source == job
    for index in (line, line + 1):
        changed[index][HEADERS.index("安置点")] = "安置点A"
        changed[index][HEADERS.index("网格")] = "A网格2"
    job = imported(world.manager, changed)
    assert job.households_created == 1
    assert Household.objects.get(number=waiting).grid == world.grid_a2
    assert Member.objects.get(name="孙桂芳").health == "serious"
    assert not UnassignedHousehold.objects.filter(number=waiting).exists()
    assert permissions.households_waiting_for(world.manager).count() == 2


def test_a_waiting_household_with_a_bad_household_column_is_refused_at_import(world):
    table = rows()
    table[6][HEADERS.index("户类型")] = "乱写的类型"
    job = imported(world.manager, table)
    assert job.status == LedgerImport.Status.REJECTED
    assert (6 + 3, "户类型") in {(e["row"], e["column"]) for e in job.report["errors"]}
    assert not UnassignedHousehold.objects.exists()


def test_a_person_of_another_household_in_a_registered_households_rows_is_an_error(world):
    table = rows(households()[:1])
    imported(world.manager, table)
    tables = households()[:1]
    stranger = world.h_a2.members.order_by("pk").first()
    tables[0].append(dict(tables[0][1], 姓名=stranger.name, 人编号=f"{FIRST}09",
                          证件号码=stranger.document_number, 与户主关系="其他"))  # fmt: skip
    job = imported(world.manager, rows(tables))
    assert job.status == LedgerImport.Status.REJECTED
    assert C.DUPLICATE_IN_SYSTEM in codes(job, "errors")
    assert not NationalChange.objects.exists()


def test_only_a_manager_may_apply_or_place_through_the_pages(client, world):
    imported(world.manager, rows())
    changed = rows()
    changed[0][HEADERS.index("劳动技能")] = "技能劳动力"
    job = imported(world.manager, changed)
    item = UnassignedHousehold.objects.first()
    client.force_login(world.caseworker1)
    apply_url = reverse("registry:household:national_apply", args=[job.pk])
    assert client.post(apply_url).status_code == 403
    place_url = reverse("registry:household:national_place", args=[item.pk])
    assert client.post(place_url, {"grid": world.grid_a1.pk}).status_code == 404
    client.force_login(world.manager)
    refused = client.post(place_url, {"grid": world.grid_b1.pk})  # not a grid of their site
    assert refused.status_code == 302 and UnassignedHousehold.objects.filter(pk=item.pk).exists()
    assert Member.objects.get(name="张国庆").labour_capacity == "ordinary"
    job.refresh_from_db()
    assert job.status == LedgerImport.Status.DIFFERS


def test_members_registered_before_any_national_table_get_their_number_recorded(world):
    members = list(world.h_a1.members.order_by("pk"))
    table = []
    for index, member in enumerate(members, start=1):
        cells = {
            "户编号": world.h_a1.number, "人编号": f"P-A1-{index}", "姓名": member.name,
            "证件号码": member.document_number,
            "与户主关系": member.get_relationship_display(),
            "劳动技能": member.get_labour_capacity_display(),
        }  # fmt: skip
        table.append([str(index) if h == "序号" else cells.get(h, "") for h in HEADERS])
    job = imported(world.manager, table)
    assert job.report["errors"] == []
    for index, member in enumerate(members, start=1):
        member.refresh_from_db()
        assert member.national.person_number == f"P-A1-{index}"
    links = AuditEvent.objects.filter(action="ledger.national_link", household_id=world.h_a1.pk)
    assert links.count() == len(members)
