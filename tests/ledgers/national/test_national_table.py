"""The national base table both ways (issue 20, items 1 and 2): imported through the upload's
worker with the national value lists, households without a site waiting for a manager, and
exported in the same layout cell for cell; a second import lists its differences and changes
nothing until a manager applies them."""

import pytest
from django.core.exceptions import PermissionDenied

from casework import permissions
from casework.audit.models import AuditEvent
from casework.audit.verify import verify_chain
from casework.ledgers.models import LedgerImport, NationalChange, NationalRecord
from casework.ledgers.national.services.changes import national_changes_apply
from casework.ledgers.national.services.exports import national_table_export
from casework.ledgers.national.services.placing import unassigned_place
from casework.ledgers.services import ledger_import_request, ledger_imports_run
from casework.registry.models import Household, Member
from casework.registry.services import member_update
from casework.registry.validators import mask_document_number, mask_phone
from tests.ledgers.household.books import id_number, snapshot
from tests.ledgers.national.tables import HEADERS, book, households, read_back, rows

pytestmark = pytest.mark.django_db
NATIONAL = LedgerImport.Layout.NATIONAL
SITE_COLUMNS = (HEADERS.index("安置点"), HEADERS.index("网格"))


def imported(user, table_rows) -> LedgerImport:
    content = book(table_rows)
    job = ledger_import_request(
        actor=user, upload=content, name="已脱贫人口名单.xlsx", size=len(content.getvalue()),
        dry_run=False, layout=NATIONAL,
    )  # fmt: skip
    assert ledger_imports_run() == 1
    job.refresh_from_db()
    return job


def exported(user, *, unmasked: bool) -> list[list[str]]:
    content, _rows = national_table_export(actor=user, layout="base", unmasked=unmasked)
    return [row for row in read_back(content) if row[HEADERS.index("户编号")].startswith("6212")]


def test_a_national_table_lands_with_mapped_values_and_round_trips_cell_for_cell(world):
    table = rows()
    job = imported(world.manager, table)
    assert job.status == LedgerImport.Status.DONE, job.report
    assert job.report["errors"] == []
    assert (job.households_created, job.members_created) == (2, 6)
    assert job.report["households_unassigned"] == 3
    # Every member of the two placed households, with the national words mapped to ours.
    expected = {
        "张国庆": ("head", "junior", False, "healthy", "ordinary"),
        "李秀兰": ("spouse", "primary", False, "healthy", "ordinary"),
        "张小勇": ("son", "", True, "healthy", "none"),  # 七年级: in school
        "张宝宝": ("grandchild", "", False, "healthy", "none"),  # 学龄前儿童: not yet
        "王建军": ("head", "junior", False, "chronic", "weak"),
        "王小红": ("daughter", "college", False, "disabled", "skilled"),
    }
    for name, values in expected.items():
        member = Member.objects.get(name=name)
        fields = ("relationship", "education", "in_school", "health", "labour_capacity")
        assert tuple(getattr(member, f) for f in fields) == values, name
        assert member.national.person_number.startswith(member.household.number)
    first = Household.objects.get(number="62122610120100011")
    assert (first.grid, first.household_type, first.phone) == (
        world.grid_a1,
        "lifted",
        "13912345670",
    )
    assert Household.objects.get(number="62122610120100022").monitoring == "marginal"
    assert Member.objects.get(name="张国庆").national.cells["民族"] == "汉族"

    # The three without a site wait for a manager; a caseworker does not see them.
    waiting = permissions.households_waiting_for(world.manager)
    assert sorted(waiting.values_list("number", flat=True)) == [
        "62122610120100033", "62122610120100044", "62122610120100055"
    ]  # fmt: skip
    assert not permissions.households_waiting_for(world.caseworker1).exists()
    assert not Household.objects.filter(number="62122610120100033").exists()

    # Exported in the same layout: the placed households cell for cell (full numbers).
    assert exported(world.manager, unmasked=True) == table[:6]
    # Placed by the manager, the others follow, with the site and grid they were given.
    for item in waiting.order_by("number"):
        unassigned_place(actor=world.manager, item=item, grid=world.grid_a1)
    assert not permissions.households_waiting_for(world.manager).exists()
    placed = [list(row) for row in table]
    for row in placed[6:]:
        row[SITE_COLUMNS[0]], row[SITE_COLUMNS[1]] = "安置点A", "A网格1"
    assert exported(world.manager, unmasked=True) == placed
    boy = Member.objects.get(name="孙小亮")
    assert (boy.in_school, boy.national.cells["在校生状况"]) == (True, "普通高中二年级")

    # Masked for a caseworker (the households of their grid): numbers and phones only.
    masked = exported(world.caseworker1, unmasked=False)
    personal = {HEADERS.index(h) for h in ("证件号码", "户联系电话", "人联系电话")}
    theirs = [row for row in placed if row[HEADERS.index("网格")] == "A网格1"]
    for index, row in enumerate(theirs, start=1):
        row[0] = str(index)
    assert len(masked) == len(theirs) == 8
    for got, row in zip(masked, theirs, strict=True):
        for index, (cell, original) in enumerate(zip(got, row, strict=True)):
            if index in personal:
                masker = mask_document_number if HEADERS[index] == "证件号码" else mask_phone
                assert cell == masker(original) and cell != original
            else:
                assert cell == original
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("ledger.national_export_unmasked") == 2
    assert actions.count("ledger.national_export") == 1
    assert actions.count("ledger.national_place") == 3
    assert actions.count("ledger.national_import") == 1
    assert verify_chain().ok
    # No full ID number in the audit log.
    number = table[0][HEADERS.index("证件号码")]
    assert not AuditEvent.objects.filter(changes__icontains=number).exists()


def _national_state():
    """Everything an import may write but the audit trail (an import request is recorded)."""
    counts = {k: v for k, v in snapshot().items() if k not in ("events", "head")}
    return (
        counts,
        list(Household.objects.order_by("pk").values()),
        list(Member.objects.order_by("pk").values()),
        sorted(NationalRecord.objects.values_list("person_number", "cells")),
    )


def test_a_second_import_lists_exactly_the_changed_cells_and_applies_them_only_when_a_manager_says(
    world,
):
    tables = households()[:2]
    table = rows(tables)
    imported(world.manager, table)
    changed = [list(row) for row in table]
    skill, income = HEADERS.index("劳动技能"), HEADERS.index("人均纯收入")
    changed[1][skill] = "技能劳动力"  # 李秀兰: 普通劳动力 → 技能劳动力 (our field)
    changed[4][income] = "9100"  # 王建军: 人均纯收入 8650.5 → 9100 (a national cell)
    before = _national_state()
    job = imported(world.manager, changed)
    assert job.status == LedgerImport.Status.DIFFERS, job.report
    assert job.report["changes"] == 2 and job.report["households_unchanged"] == 2
    differences = list(
        job.changes.values_list("member__name", "column", "old", "new").order_by("line")
    )
    assert differences == [
        ("李秀兰", "劳动技能", "普通劳动力", "技能劳动力"),
        ("王建军", "人均纯收入", "8650.5", "9100"),
    ]
    assert _national_state() == before  # nothing applied yet

    with pytest.raises(PermissionDenied):
        national_changes_apply(actor=world.caseworker1, job=job)
    assert _national_state() == before
    counts = national_changes_apply(actor=world.manager, job=job)
    assert counts == {"applied": 2}
    assert Member.objects.get(name="李秀兰").labour_capacity == "skilled"
    assert Member.objects.get(name="王建军").national.cells["人均纯收入"] == "9100"
    job.refresh_from_db()
    assert job.status == LedgerImport.Status.APPLIED
    assert set(job.changes.values_list("outcome", flat=True)) == {"applied"}
    assert AuditEvent.objects.filter(action="member.update", actor=world.manager).count() == 1
    assert AuditEvent.objects.filter(action="ledger.national_apply").count() == 1
    # The export now says what the second file said, and a third import finds nothing.
    assert exported(world.manager, unmasked=True) == changed
    again = imported(world.manager, changed)
    assert again.status == LedgerImport.Status.DONE and again.report["changes"] == 0


def test_a_difference_changed_meanwhile_is_not_applied(world):
    table = rows(households()[:1])
    imported(world.manager, table)
    changed = [list(row) for row in table]
    changed[0][HEADERS.index("文化程度")] = "高中"
    job = imported(world.manager, changed)
    head = Member.objects.get(name="张国庆")
    member_update(actor=world.manager, member=head, education="primary")
    counts = national_changes_apply(actor=world.manager, job=job)
    assert counts == {"stale": 1}
    assert Member.objects.get(pk=head.pk).education == "primary"
    assert NationalChange.objects.get().outcome == "stale"


def test_a_member_the_table_adds_is_listed_and_added_when_applied(world):
    tables = households()[:1]
    imported(world.manager, rows(tables))
    tables = households()[:1]
    extra = dict(tables[0][1], 姓名="李新人", 人编号="6212261012010001109", 与户主关系="之儿媳")
    extra["证件号码"] = id_number("19980101", "097")
    tables[0].append(extra)
    job = imported(world.manager, rows(tables))
    # The new member, and 人数 (4 → 5) on each of the four rows already there.
    assert list(job.changes.values_list("member__name", "column", "old", "new")) == [
        *((name, "人数", "4", "5") for name in ("张国庆", "李秀兰", "张小勇", "张宝宝")),
        (None, "", "", "李新人"),
    ]
    assert not Member.objects.filter(name="李新人").exists()
    assert national_changes_apply(actor=world.manager, job=job) == {"applied": 5}
    added = Member.objects.get(name="李新人")
    assert added.national.person_number == "6212261012010001109"
    assert added.relationship == "daughter_in_law"


def test_a_table_with_a_bad_row_imports_nothing(world):
    table = rows()
    table[2][HEADERS.index("证件号码")] = table[2][HEADERS.index("证件号码")][:17] + "0"
    table[3][HEADERS.index("在校生状况")] = "十年级"
    before = _national_state()
    job = imported(world.manager, table)
    assert job.status == LedgerImport.Status.REJECTED
    reasons = {(e["row"], e["column"]) for e in job.report["errors"]}
    assert {(5, "证件号码"), (6, "在校生状况")} <= reasons
    assert _national_state() == before
    assert not permissions.households_waiting_for(world.manager).exists()


def test_the_manager_may_not_place_a_household_outside_their_sites(world):
    imported(world.manager, rows())
    item = permissions.households_waiting_for(world.manager).first()
    with pytest.raises(PermissionDenied):
        unassigned_place(actor=world.manager, item=item, grid=world.grid_b1)
    assert permissions.households_waiting_for(world.manager).count() == 3
