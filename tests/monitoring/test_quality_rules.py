"""数据质量核查: each of the 17 rules (reference/domain.md §5.11) plants a breach and finds it in
the nightly report; where the rule applies at entry, the entry refuses it too."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.cases.models import Category, EmploymentCase
from casework.monitoring.models import (
    MonitoredHousehold,
    MonitoringIncome,
    MonthlyWorkRecord,
    QualityFinding,
    QualityRun,
)
from casework.monitoring.services import (
    WorkMonthEntry,
    elimination_checks,
    monitoring_identify,
    monitoring_income_record,
    monitoring_measure_add,
    quality_run,
    work_month_record,
)
from casework.monitoring.services.work_months import month_of
from casework.placement.models import Placement
from casework.placement.services import placement_record
from casework.placement.services.jobs import placement_problems
from casework.posts.models import PostAssignment
from casework.posts.services import post_eligibility
from casework.registry.models import Household, Member
from casework.registry.validators import normalize_phone, parse_resident_id
from tests import factories
from tests.conftest import login
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow
from workflows.services import task_complete


# Dates are read when a test runs, never at import (a suite may cross midnight).
def today() -> datetime.date:
    return timezone.localdate()


def last_month() -> datetime.date:
    return month_of(month_of(today()) - datetime.timedelta(days=1))


def long_ago() -> datetime.date:
    return today() - datetime.timedelta(days=200)


def _found(rule: int, household) -> list[QualityFinding]:
    quality_run()
    return list(QualityFinding.objects.filter(rule=rule, household=household))


def _head(household) -> Member:
    return household.members.get(relationship="head")


def _other(household) -> Member:
    return household.members.exclude(relationship="head").order_by("pk").first()


def _job(world, assessed, **changes) -> Placement:
    """A job of A1-0001's head, recorded through the flow; ``changes`` are planted after."""
    case = assessed(Category.CAPABLE)
    task = h.open_task(h.employment_process(case), EmploymentFlow.placement)
    task_complete(
        task=task, actor=world.caseworker1,
        perform=lambda: placement_record(
            actor=world.caseworker1, case=EmploymentCase.objects.get(pk=case.pk),
            channel="organised", employer_name="西安某建筑公司", start_date=long_ago(),
            location_class="province", place="西安", monthly_income=Decimal("4200"),
            industry="建筑业", organised_transport=True, accept_warnings=True,
        ),
    )  # fmt: skip
    job = Placement.objects.get(case=case)
    Placement.objects.filter(pk=job.pk).update(**changes)
    return job


def _monitored(world, **overrides) -> MonitoredHousehold:
    values = {
        "kind": "marginal", "risks": ["illness"], "route": "screening",
        "identified_on": long_ago(),
    }  # fmt: skip
    values.update(overrides)
    return monitoring_identify(actor=world.caseworker1, household=world.h_a1, **values)


def _eliminate(monitored, on, elimination="assisted"):
    """Plant an elimination as an import or an old system would have left it."""
    MonitoredHousehold.objects.filter(pk=monitored.pk).update(
        status="eliminated", elimination=elimination, eliminated_on=on
    )


def _bad_check_digit(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def test_rule_1_an_id_number_failing_its_check_digit(world):
    head = _head(world.h_a1)
    assert not _found(1, world.h_a1)
    bad = _bad_check_digit(head.document_number)
    Member.objects.filter(pk=head.pk).update(document_number=bad)
    assert [f.member_id for f in _found(1, world.h_a1)] == [head.pk]
    with pytest.raises(ValidationError):
        parse_resident_id(bad)


def test_rule_2_a_household_without_a_head(world):
    assert not _found(2, world.h_a1)
    Member.objects.filter(pk=_head(world.h_a1).pk).update(relationship="son")
    assert "0" in _found(2, world.h_a1)[0].detail
    # A second head the database itself refuses (registration cannot write one).
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=_other(world.h_a1).pk).update(relationship="head")
        Member.objects.filter(pk=_head(world.h_a2).pk).update(household=world.h_a1)


def test_rule_2_a_household_with_two_spouses(world):
    household = factories.household(world.admin, world.grid_a1, number="A1-Q002", members=2)
    Member.objects.filter(household=household).exclude(relationship="head").update(
        relationship="spouse", sex="F"
    )
    assert "2" in _found(2, household)[0].detail


def test_rule_3_a_spouse_of_the_heads_own_sex(world):
    other = _other(world.h_a1)  # the factory's members are all men
    woman = factories.resident_id(sex="F")
    Member.objects.filter(pk=other.pk).update(relationship="spouse", document_number=woman)
    assert not _found(3, world.h_a1)
    Member.objects.filter(pk=other.pk).update(document_number=factories.resident_id(sex="M"))
    assert [f.member_id for f in _found(3, world.h_a1)] == [other.pk]


def test_rule_4_education_and_student_status_both_filled_or_both_empty(world):
    head = _head(world.h_a1)
    Member.objects.filter(household=world.h_a1).update(education="primary", in_school=False)
    assert not _found(4, world.h_a1)
    Member.objects.filter(pk=head.pk).update(in_school=True)
    assert [f.member_id for f in _found(4, world.h_a1)] == [head.pk]
    Member.objects.filter(pk=head.pk).update(in_school=False, education="")
    assert [f.member_id for f in _found(4, world.h_a1)] == [head.pk]
    # A child of nine out of school with no education level is flagged; one of four is not.
    child = _other(world.h_a1)
    Member.objects.filter(pk=head.pk).update(education="primary")
    Member.objects.filter(pk=child.pk).update(
        education="", birth_date=today().replace(year=today().year - 9, day=1)
    )
    assert [f.member_id for f in _found(4, world.h_a1)] == [child.pk]
    Member.objects.filter(pk=child.pk).update(
        birth_date=today().replace(year=today().year - 4, day=1)
    )
    assert not _found(4, world.h_a1)


def test_rule_5_a_place_of_work_with_no_days_worked(world):
    head = _head(world.h_a1)
    entry = WorkMonthEntry(
        member_id=head.pk, working=True, location_class="county", channel="workshop",
        employer_name="社区工厂", industry="制造业", organised_transport=False,
        monthly_income=Decimal("2600"), days_worked=0,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        work_month_record(
            actor=world.caseworker1, grid=world.grid_a1, month=last_month(), entries=[entry]
        )
    work_month_record(
        actor=world.caseworker1, grid=world.grid_a1, month=last_month(),
        entries=[WorkMonthEntry(**{**entry.__dict__, "days_worked": 20})],
    )  # fmt: skip
    assert not _found(5, world.h_a1)
    MonthlyWorkRecord.objects.filter(member=head).update(days_worked=0)
    assert [f.member_id for f in _found(5, world.h_a1)] == [head.pk]


def test_rule_6_a_household_phone_that_is_not_a_mobile_number(world):
    Household.objects.filter(pk=world.h_a1.pk).update(phone="13912345678")
    assert not _found(6, world.h_a1)
    Household.objects.filter(pk=world.h_a1.pk).update(phone="0939-1234567")  # a landline
    assert not _found(6, world.h_a1)
    Household.objects.filter(pk=world.h_a1.pk).update(phone="")  # the head's mobile stands in
    assert not _found(6, world.h_a1)
    Household.objects.filter(pk=world.h_a1.pk).update(phone="0939-123456")
    assert _found(6, world.h_a1)
    with pytest.raises(ValidationError):
        normalize_phone("0939-123456")


def test_rule_6_a_working_member_without_a_mobile_number(world, assessed):
    Household.objects.filter(pk=world.h_a1.pk).update(phone="13912345678")
    job = _job(world, assessed)
    assert not _found(6, world.h_a1)
    Member.objects.filter(pk=job.member_id).update(phone="")
    assert [f.member_id for f in _found(6, world.h_a1)] == [job.member_id]


def test_rule_7_one_phone_for_members_working_in_different_places(world, assessed):
    job = _job(world, assessed)
    other = _other(world.h_a1)
    Member.objects.filter(pk=other.pk).update(phone="13700001111")
    second = Placement.objects.get(pk=job.pk)
    second.pk, second.member, second.place, second.location_class = None, other, "礼县", "county"
    second.channel = "workshop"
    second.save()
    assert not _found(7, world.h_a1)
    phone = Member.objects.get(pk=job.member_id).phone
    Member.objects.filter(pk=other.pk).update(phone=phone)
    assert _found(7, world.h_a1)


def test_rule_8_a_post_holder_of_seventy_or_older(world, assessed, welfare_post):
    from tests.posts.test_posts import _apply, _decide, _three_no

    case = _three_no(world, assessed, "A1-P070", age=60)
    _apply(world, case, welfare_post)
    _decide(world, case)
    PostAssignment.objects.filter(case=case).update(status="on_post")
    household = case.member.household
    assert not _found(8, household)
    old = today().replace(year=today().year - 71)
    Member.objects.filter(pk=case.member_id).update(birth_date=old)
    assert [f.member_id for f in _found(8, household)] == [case.member_id]
    case.member.refresh_from_db()
    assert any(
        "70" in problem or "年龄" in problem for problem in post_eligibility(case, welfare_post)
    )


def test_rule_9_work_outside_the_county_through_a_workshop(world, assessed):
    job = _job(world, assessed)
    assert not _found(9, world.h_a1)
    Placement.objects.filter(pk=job.pk).update(channel="workshop")
    assert [f.member_id for f in _found(9, world.h_a1)] == [job.member_id]
    errors, _warnings = placement_problems(
        channel="workshop", location_class="province", monthly_income=Decimal("2600"),
        employer_name="车间", industry="制造业", organised_transport=False,
    )  # fmt: skip
    assert "location_class" in errors


def test_rule_10_a_monthly_income_out_of_range_or_very_low(world, assessed):
    job = _job(world, assessed)
    assert not _found(10, world.h_a1)
    Placement.objects.filter(pk=job.pk).update(monthly_income=Decimal("50"))
    assert "50" in _found(10, world.h_a1)[0].detail
    Placement.objects.filter(pk=job.pk).update(monthly_income=Decimal("300"))
    assert "400" in _found(10, world.h_a1)[0].detail
    errors, _warnings = placement_problems(
        channel="organised", location_class="province", monthly_income=Decimal("50"),
        employer_name="公司", industry="建筑业", organised_transport=True,
    )  # fmt: skip
    assert "monthly_income" in errors
    _errors, warnings = placement_problems(
        channel="organised", location_class="province", monthly_income=Decimal("300"),
        employer_name="公司", industry="建筑业", organised_transport=True,
    )  # fmt: skip
    assert warnings


def test_rule_11_a_current_job_missing_a_required_field(world, assessed):
    job = _job(world, assessed)
    assert not _found(11, world.h_a1)
    Placement.objects.filter(pk=job.pk).update(industry="", organised_transport=None)
    assert [f.member_id for f in _found(11, world.h_a1)] == [job.member_id]
    errors, _warnings = placement_problems(
        channel="organised", location_class="province", monthly_income=Decimal("4200"),
        employer_name="公司", industry="", organised_transport=None,
    )  # fmt: skip
    assert {"industry", "organised_transport"} <= set(errors)


def test_rule_12_a_monitored_household_without_measures_after_a_month(world):
    monitored = _monitored(world, identified_on=today() - datetime.timedelta(days=20))
    assert not _found(12, world.h_a1)
    MonitoredHousehold.objects.filter(pk=monitored.pk).update(identified_on=long_ago())
    assert _found(12, world.h_a1)
    monitoring_measure_add(
        actor=world.caseworker1, monitored=monitored, kind="health", detail="大病救助",
        responsible="镇卫生院", started_on=long_ago(),
    )  # fmt: skip
    assert not _found(12, world.h_a1)


def _with_measure_and_income(world, monitored, income="9000", wages="12000"):
    monitoring_measure_add(
        actor=world.caseworker1, monitored=monitored, kind="employment", detail="推荐就业",
        responsible="网格员", started_on=monitored.identified_on,
    )  # fmt: skip
    monitoring_income_record(
        actor=world.caseworker1, monitored=monitored, year=today().year,
        per_capita_net_income=Decimal(income), wage_income=Decimal(wages),
    )  # fmt: skip


def test_rule_13_eliminated_through_assistance_too_soon(world):
    monitored = _monitored(world, identified_on=today() - datetime.timedelta(days=40))
    _with_measure_and_income(world, monitored)
    assert any(p.startswith("时限") for p in elimination_checks(monitored, "assisted"))
    _eliminate(monitored, today() - datetime.timedelta(days=10))
    assert _found(13, world.h_a1)
    MonitoredHousehold.objects.filter(pk=monitored.pk).update(identified_on=long_ago())
    assert not _found(13, world.h_a1)


def test_rule_14_eliminated_with_income_below_the_threshold(world):
    monitored = _monitored(world)
    _with_measure_and_income(world, monitored, income="7200")
    _eliminate(monitored, today())
    assert not _found(14, world.h_a1)
    MonitoringIncome.objects.filter(monitored=monitored).update(
        per_capita_net_income=Decimal("5200")
    )
    assert _found(14, world.h_a1)


def test_rule_15_no_wage_income_after_elimination_with_employment_assistance(world):
    monitored = _monitored(world)
    _with_measure_and_income(world, monitored, wages="0")
    assert any(p.startswith("工资性收入") for p in elimination_checks(monitored, "assisted"))
    _eliminate(monitored, today())
    assert _found(15, world.h_a1)
    MonitoringIncome.objects.filter(monitored=monitored).update(wage_income=Decimal("9600"))
    assert not _found(15, world.h_a1)


def test_rule_16_unstable_work_as_a_risk_where_nobody_works(world, assessed):
    _job(world, assessed)
    _monitored(world, risks=["unstable_work"])
    assert not _found(16, world.h_a1)
    Placement.objects.filter(member__household=world.h_a1).delete()
    assert _found(16, world.h_a1)
    Member.objects.filter(household=world.h_a2).update(labour_capacity="none")
    with pytest.raises(ValidationError) as refused:
        monitoring_identify(
            actor=world.caseworker2, household=world.h_a2, kind="unstable",
            risks=["unstable_work"], route="screening", identified_on=today(),
        )  # fmt: skip
    assert "务工就业不稳" in str(refused.value)


def test_rule_17_a_household_without_labour_on_assistance_not_marked_safeguarded(world):
    monitored = _monitored(world)
    monitoring_measure_add(
        actor=world.caseworker1, monitored=monitored, kind="social", detail="纳入低保",
        responsible="民政办", started_on=long_ago(),
    )  # fmt: skip
    assert not _found(17, world.h_a1)
    Member.objects.filter(household=world.h_a1).update(labour_capacity="lost")
    assert _found(17, world.h_a1)
    MonitoredHousehold.objects.filter(pk=monitored.pk).update(no_labour_safeguard=True)
    assert not _found(17, world.h_a1)


def test_the_report_is_scoped_to_the_users_grids_counted_and_exported(
    client, world, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from casework.monitoring.tasks import quality_run_task

    for household in (world.h_a1, world.h_a2, world.h_b1):
        Household.objects.filter(pk=household.pk).update(phone="0939-1")
    login(client, world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("quality:index"))  # the manager asks for a run now
    assert response.status_code == 302
    queued = DBTaskResult.objects.get(task_path__endswith="quality_run_task")
    assert queued.args_kwargs["args"] == [world.manager.pk, False]
    quality_run_task.call(world.manager.pk)  # what the worker does
    page = client.get(reverse("quality:index") + "?rule=6")
    text = page.content.decode()
    assert "A1-0001" in text and "A2-0001" in text and "B1-0001" not in text
    login(client, world.caseworker1)
    text = client.get(reverse("quality:index") + "?rule=6").content.decode()
    assert "A1-0001" in text and "A2-0001" not in text
    assert client.post(reverse("quality:index")).status_code == 403  # runs are the manager's
    response = client.post(reverse("quality:export"), {"rule": "6"})
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    numbers = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == ["A1-0001"]
    assert AuditEvent.objects.filter(action="quality.export", actor=world.caseworker1).exists()
    login(client, world.helper)
    assert client.get(reverse("quality:index")).status_code == 403


def test_a_valid_number_is_not_flagged(world):
    """The check digit is the one ``stdnum`` computes: a number built with it passes."""
    head = _head(world.h_a1)
    assert parse_resident_id(head.document_number)
    assert all(f.member_id != head.pk for f in _found(1, world.h_a1))


def test_the_managers_dashboard_counts_the_findings_and_the_monitored_households(client, world):
    Household.objects.filter(pk=world.h_a1.pk).update(phone="0939-1")
    Household.objects.filter(pk=world.h_b1.pk).update(phone="0939-2")
    _monitored(world)
    quality_run()
    login(client, world.manager)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    rows = {number: n for number, _title, n in page.context["quality"]}
    in_site_a = QualityFinding.objects.filter(household__grid__site=world.site_a)
    assert rows[6] == in_site_a.filter(rule=6).count() >= 1
    assert sum(rows.values()) == in_site_a.count()
    assert page.context["monitored"] == {"monitored": 1}
    assert 'data-test="quality-findings"' in page.content.decode()


def test_the_nightly_id_check_agrees_with_registration_on_every_kind_of_fault():
    from casework.registry.validators import resident_id_fault

    good = factories.resident_id()
    cases = {
        good: None,
        good[:17]: "length",
        good[:16] + "A" + good[17]: "format",
        "99" + good[2:]: "province",
        good[:10] + "13" + good[12:]: "birth_date",
        _bad_check_digit(good): "checksum",
    }
    for number, fault in cases.items():
        assert resident_id_fault(number, today()) == fault, number
        if fault is None:
            assert parse_resident_id(number).number == number
        else:
            with pytest.raises(ValidationError) as refused:
                parse_resident_id(number)
            assert refused.value.code == fault


def test_a_second_demand_waits_for_the_first_run_and_the_nightly_run_is_asked_again_if_lost(
    client, world, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from casework.monitoring.services.quality_requests import (
        NIGHTLY_STALE,
        quality_run_request_if_due,
    )

    login(client, world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quality:index"))
        page = client.post(reverse("quality:index"), follow=True)
    assert "尚未完成" in page.content.decode()
    assert DBTaskResult.objects.count() == 1
    quality_run()  # the first run finishes: a new demand is taken
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quality:index"))
    assert DBTaskResult.objects.count() == 2

    now = timezone.now()
    assert not quality_run_request_if_due(None, now)  # a run has finished today
    QualityRun.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert quality_run_request_if_due(None, now)
        assert not quality_run_request_if_due(now, now)  # asked for, not yet stale
        assert quality_run_request_if_due(now - NIGHTLY_STALE - datetime.timedelta(minutes=1), now)
    assert DBTaskResult.objects.count() == 4


def test_rule_11_a_monthly_record_without_the_employer_and_rule_17_with_ended_assistance(world):
    head = _head(world.h_a1)
    entry = WorkMonthEntry(
        member_id=head.pk, working=True, location_class="county", channel="workshop",
        employer_name="社区工厂", industry="制造业", organised_transport=False,
        monthly_income=Decimal("2600"), days_worked=20,
    )  # fmt: skip
    work_month_record(
        actor=world.caseworker1, grid=world.grid_a1, month=last_month(), entries=[entry]
    )
    assert not _found(11, world.h_a1)
    MonthlyWorkRecord.objects.filter(member=head).update(employer_name="")
    assert [f.member_id for f in _found(11, world.h_a1)] == [head.pk]

    monitored = _monitored(world)
    measure = monitoring_measure_add(
        actor=world.caseworker1, monitored=monitored, kind="social", detail="纳入低保",
        responsible="民政办", started_on=long_ago(),
    )  # fmt: skip
    Member.objects.filter(household=world.h_a1).update(labour_capacity="lost")
    assert _found(17, world.h_a1)
    type(measure).objects.filter(pk=measure.pk).update(ended_on=today() - datetime.timedelta(1))
    assert not _found(17, world.h_a1)
