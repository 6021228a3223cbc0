"""How the work went in a month (issue 23, process quality): every quality figure of a past
month equals a count made again here in plain Python over that month's dated records (tasks,
visits, label changes, enrolments, placements, monthly work records), it does not move when
today's state does, and a median of a sum of grids is the median of their waits together."""

import datetime
import random
import re
from unittest import mock

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.utils import timezone
from viewflow.workflow.models import Task

from casework.audit.models import AuditEvent
from casework.audit.services import audit_record
from casework.cases.models import Assessment, EmploymentCase, HouseholdCase
from casework.cases.services.households import household_colour_set
from casework.monitoring.models import MonthlyWorkRecord
from casework.pairing.models import Visit
from casework.permissions import roles
from casework.placement.models import Placement
from casework.policy.services import parameter_set
from casework.registry.models import Household
from casework.registry.services import household_update, jurisdiction_grant_grid
from casework.reports.monthly.counts import MonthCounts, histogram_median, total
from casework.reports.monthly.people import figure_rows
from casework.reports.monthly.quality import OWNERSHIP, month_figures_count, month_quality
from casework.staff.services import TaskTarget, staff_tasks_reassign
from casework.training.models import Enrolment
from casework.training.services import course_create
from tests import factories
from workflows.claims import tasks_claim
from workflows.models import TaskDeadline
from workflows.services import OPEN_STATUSES

from .test_month_bulletin import _text
from .world import AFTER, BEFORE, MONTH, moment, record

pytestmark = pytest.mark.django_db

CADENCE = {"green": 30, "yellow": 14, "red": 7}
QUALITY = ("tasks_open", "tasks_overdue", "placement_wait", "trained", "trained_placed",
           "zero_cleared", "zero_cleared_late", "zero_over_limit", "followed",
           "visits_overdue")  # fmt: skip


def _end(month: datetime.date) -> datetime.datetime:
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))


def _add(tallies: dict[str, int], code: str) -> None:
    tallies[code] = tallies.get(code, 0) + 1


def _homes(month: datetime.date) -> dict[int, int]:
    """Each household's home grid of ``month``: the first by id its records were in."""
    home: dict[int, int] = {}
    for r in MonthlyWorkRecord.objects.filter(month=month).select_related("member"):
        home[r.household_id] = min(home.get(r.household_id, r.grid_id), r.grid_id)
    return home


def _colour_at(household: Household, end: datetime.datetime) -> str:
    events = AuditEvent.objects.filter(household_id=household.pk).order_by("seq")
    changes = [e for e in events if "colour" in e.changes]
    before = [e for e in changes if e.occurred_at < end]
    if before:
        return before[-1].changes["colour"][1]
    after = [e for e in changes if e.occurred_at >= end]
    if after:  # the label before its first change after; registered after: its first label
        old, new = after[0].changes["colour"]
        return old or new
    return household.colour


def _months_from(first: datetime.date, last: datetime.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _expected(grid_id: int, month: datetime.date, window: int, limit: int) -> MonthCounts:
    """The quality figures of one grid-month, counted again row by row."""
    end, last_day = _end(month), _end(month).date() - datetime.timedelta(days=1)
    homes = _homes(month)
    mine = {h for h, g in homes.items() if g == grid_id}
    counts = MonthCounts()
    for task in Task.objects.filter(flow_task_type="HUMAN").select_related("process__scope"):
        if task.process.scope.household_id not in mine or task.created >= end:
            continue
        if task.finished is None and task.status not in OPEN_STATUSES:
            continue
        if task.finished is not None and task.finished < end:
            continue
        events = AuditEvent.objects.filter(object_type="viewflow.task", object_id=str(task.pk))
        if task.status == "CANCELED" and any(  # done before, undone since
            e.action in ("task.execute", "task.cancel") and e.occurred_at < end for e in events
        ):
            continue
        owner = _owner_at(task, end)
        _add(counts.tasks_open, owner)
        deadline = TaskDeadline.objects.filter(task=task).first()
        if deadline and deadline.due_at < end:
            _add(counts.tasks_overdue, owner)
    entered = MonthlyWorkRecord.objects.filter(grid_id=grid_id, month=month)
    roster = {r.member_id for r in entered}
    for job in Placement.objects.filter(member_id__in=roster):
        if (job.start_date.year, job.start_date.month) != (month.year, month.month):
            continue
        made = [a for a in Assessment.objects.filter(member_id=job.member_id)
                if timezone.localdate(a.assessed_at) <= job.start_date]  # fmt: skip
        if made:
            latest = max(made, key=lambda a: a.assessed_at)
            waited = job.start_date - timezone.localdate(latest.assessed_at)
            _add(counts.placement_wait, str(waited.days))
    cohort_month = month
    for _ in range(window):
        cohort_month = (cohort_month - datetime.timedelta(days=1)).replace(day=1)
    cohort = MonthlyWorkRecord.objects.filter(grid_id=grid_id, month=cohort_month)
    for entry in cohort:
        passed = sorted(
            timezone.localdate(e.result_at)
            for e in Enrolment.objects.filter(member_id=entry.member_id, status="passed")
            if timezone.localdate(e.result_at).replace(day=1) == cohort_month
        )
        if not passed:
            continue
        counts.trained += 1
        starts = sorted(p.start_date for p in Placement.objects.filter(member_id=entry.member_id)
                        if p.start_date >= passed[0])  # fmt: skip
        if starts and starts[0] <= passed[0] + relativedelta(months=window):
            counts.trained_placed += 1
    records = list(MonthlyWorkRecord.objects.select_related("member"))
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    for household in mine:
        own = [r for r in records if r.household_id == household]
        working_now = any(r.working for r in own if r.month == month)
        then = [r for r in own if r.month == previous]
        was_zero = bool(then) and not any(r.working for r in then)
        worked = [r.month for r in own if r.working and r.month < month]
        # The months without work start with the first record after the last month with work.
        start = min(r.month for r in own if not worked or r.month > max(worked))
        if working_now and was_zero:
            _add(counts.zero_cleared, str(_months_from(start, month)))
            counts.zero_cleared_late += _months_from(start, month) > limit
        elif not working_now and _months_from(start, month) + 1 > limit:
            counts.zero_over_limit += 1
    for household in Household.objects.filter(pk__in=mine):
        cases = HouseholdCase.objects.filter(household=household)
        if not any(c.opened_at < end and (not c.closed_at or c.closed_at >= end) for c in cases):
            continue
        colour = _colour_at(household, end)
        _add(counts.followed, colour)
        visits = [v.date for v in Visit.objects.filter(household=household) if v.date <= last_day]
        since = max(visits) if visits else timezone.localdate(household.created_at)
        if since < last_day - datetime.timedelta(days=CADENCE.get(colour, 30)):
            _add(counts.visits_overdue, colour)
    return counts


def dated(when: datetime.datetime):
    """Record what is done inside as if it were done at ``when`` (audit events are
    append-only: their time cannot be changed afterwards)."""
    return mock.patch("django.utils.timezone.now", return_value=when)


def _assigned(task: Task, owner, when: datetime.datetime) -> None:
    """Record that ``task`` was assigned to ``owner`` (released when None) at ``when``."""
    action = "task.assign" if owner else "task.unassign"
    changes = {"owner": (None, owner.get_username())} if owner else {}
    with dated(when), transaction.atomic():
        audit_record(actor=None, action=action, obj=task, household_id=None, changes=changes)


def _owner_at(task: Task, end: datetime.datetime) -> str:
    events = AuditEvent.objects.filter(object_type="viewflow.task", object_id=str(task.pk))
    ownership = sorted((e for e in events if e.action in OWNERSHIP), key=lambda e: e.seq)
    if not ownership:  # assigned as it was made, never changed: its owner now
        return task.owner.get_username() if task.owner else ""
    before = [e for e in ownership if e.occurred_at < end]
    if not before or "owner" not in before[-1].changes:
        return ""
    return before[-1].changes["owner"][1] or ""


def _quality(counts: MonthCounts) -> dict[str, object]:
    return {name: getattr(counts, name) for name in QUALITY}


@pytest.fixture
def worked(months):
    """The months' world, with its tasks, cases, labels, visits and courses spread around
    August 2026 (seeded), and a one-month window from training to work."""
    rng = random.Random(2023)
    admin = months.admin
    parameter_set(actor=admin, key="figures.training_to_work_months", value=1,
                  valid_from=datetime.date(2020, 1, 1))  # fmt: skip
    course = course_create(
        actor=admin, name="厨师班", trade="cooking", site=months.site_a,
        start_date=datetime.date(2026, 6, 1), end_date=datetime.date(2026, 7, 31),
    )  # fmt: skip
    # A household without work in June and July, in work in August: cleared after two months.
    late = factories.household(admin, months.grid_a1, number="M-LATE", members=1)
    rng_records = random.Random(1)
    for month, working in ((datetime.date(2026, 6, 1), False), (BEFORE, False), (MONTH, True)):
        record(late.members.first(), months.grid_a1, month, working, rng_records, admin)
    # One in work in January, not recorded until May, without work May to July, in work in
    # August: cleared after three months (May, June, July), not seven.
    gap = factories.household(admin, months.grid_a2, number="M-GAP", members=1)
    for month, working in (
        (datetime.date(2026, 1, 1), True),
        (datetime.date(2026, 5, 1), False),
        (datetime.date(2026, 6, 1), False),
        (BEFORE, False),
        (MONTH, True),
    ):
        record(gap.members.first(), months.grid_a2, month, working, rng_records, admin)
    # Registered (yellow) only after August, its August entered late: yellow in August.
    registered = factories.household(
        admin, months.grid_b1, number="R-0001", members=1, colour="yellow"
    )
    record(registered.members.first(), months.grid_b1, MONTH, False, rng_records, admin)
    HouseholdCase.objects.filter(household=registered).update(opened_at=moment(BEFORE))
    days = [datetime.date(2026, 6, 1) + datetime.timedelta(days=n) for n in range(0, 150, 3)]
    owners = [None, months.caseworker1, months.caseworker2]
    for household in Household.objects.filter(number__startswith="M-"):
        opened = moment(rng.choice(days[:30]))
        Household.objects.filter(pk=household.pk).update(created_at=opened)
        closed = moment(rng.choice(days)) if rng.random() < 0.2 else None
        cases = HouseholdCase.objects.filter(household=household)
        cases.update(opened_at=opened, closed_at=closed)
        tasks = Task.objects.filter(process__scope__household=household, flow_task_type="HUMAN")
        for task in tasks:
            created = moment(rng.choice(days[:35]))
            finished = moment(rng.choice(days)) if rng.random() < 0.6 else None
            if finished and finished < created:
                finished = created
            Task.objects.filter(pk=task.pk).update(
                created=created, finished=finished,
                status="DONE" if finished else rng.choice(["NEW", "ASSIGNED"]),
            )  # fmt: skip
            if rng.random() < 0.3:  # assigned as it was made (recorded as made)
                owner = rng.choice(owners[1:])
                Task.objects.filter(pk=task.pk).update(owner=owner)
                _assigned(task, owner, created)
            else:
                for _ in range(rng.randrange(3)):  # claims and releases, made then
                    _assigned(task, rng.choice(owners), moment(rng.choice(days)))
            if finished and rng.random() < 0.3:  # done then, undone today
                with dated(finished), transaction.atomic():
                    audit_record(actor=admin, action="task.execute", obj=task, household_id=None)
                Task.objects.filter(pk=task.pk).update(status="CANCELED", finished=timezone.now())
            TaskDeadline.objects.filter(task=task).update(due_at=moment(rng.choice(days)))
        for _ in range(rng.randrange(3)):
            Visit.objects.create(
                household=household, visitor=admin, mode="home", date=rng.choice(days),
                thinking_stable=True, policy_understood=True, life_happy=True,
                industry_developing=True, problems_solved=True,
            )  # fmt: skip
        for _ in range(rng.randrange(3)):  # label changes, made then
            colour = rng.choice(["green", "yellow", "red"])
            with dated(moment(rng.choice(days))), transaction.atomic():
                household.refresh_from_db()
                if rng.random() < 0.5:  # from the assessment's three-colour step
                    household_colour_set(actor=admin, household=household, colour=colour)
                else:  # from the household's own form
                    household_update(actor=admin, household=household, colour=colour)
        for member in household.members.all():
            if rng.random() < 0.5:
                continue
            case = EmploymentCase.objects.filter(member=member).first()
            case = case or EmploymentCase.objects.create(
                member=member, household_case=household.cases.get(), category="training",
                state="training",
            )  # fmt: skip
            Enrolment.objects.create(
                member=member, course=course, case=case, status="passed", enrolled_by=admin,
                result_at=moment(rng.choice(days[8:22])),
            )  # fmt: skip
    return months


GRIDS = ("grid_a1", "grid_a2", "grid_b1")


def test_each_quality_figure_of_a_past_month_is_the_count_of_its_dated_records(worked):
    grid_ids = [getattr(worked, name).pk for name in GRIDS]
    counted = month_figures_count(grid_ids, [MONTH, AFTER])
    seen = MonthCounts()
    for grid_id in grid_ids:
        for month in (MONTH, AFTER):
            got = counted.get((grid_id, month), MonthCounts())
            assert _quality(got) == _quality(_expected(grid_id, month, 1, 1)), (grid_id, month)
            seen = seen.add(got)
    # In work in January, then recorded without work from May: three months, not seven.
    assert counted[(worked.grid_a2.pk, MONTH)].zero_cleared.get("3"), "M-GAP"
    assert set(seen.followed) <= {"green", "yellow", "red"}, seen.followed  # labels, no JSON null
    # The world reaches every figure, so that none of them passes by being empty.
    for name in QUALITY:
        assert getattr(seen, name), name


def test_a_past_months_quality_does_not_move_when_today_does(worked):
    grid_ids = [getattr(worked, name).pk for name in GRIDS]
    before = month_figures_count(grid_ids, [MONTH])
    admin = worked.admin
    for task in Task.objects.filter(flow_task_type="HUMAN"):
        _assigned(task, admin, timezone.now())  # claimed today by somebody else
    Task.objects.filter(finished__isnull=True).update(status="DONE", finished=timezone.now())
    for household in Household.objects.filter(number__startswith="M-"):
        with transaction.atomic():
            household_colour_set(actor=admin, household=household, colour="red")
        Visit.objects.create(
            household=household, visitor=admin, mode="phone", date=timezone.localdate(),
            thinking_stable=True, policy_understood=True, life_happy=True,
            industry_developing=True, problems_solved=True,
        )  # fmt: skip
    HouseholdCase.objects.filter(closed_at__isnull=True).update(closed_at=timezone.now())
    member = MonthlyWorkRecord.objects.filter(month=MONTH).first().member
    Assessment.objects.create(
        member=member, household_case=member.household.cases.get(), version=9,
        category="capable", labour_capacity="ordinary", assessed_by=admin, review="approved",
    )  # assessed again today  # fmt: skip
    parameter_set(actor=admin, key="figures.zero_clear_months", value=6,
                  valid_from=timezone.localdate())  # fmt: skip
    assert month_figures_count(grid_ids, [MONTH]) == before


def test_the_median_of_many_grids_is_the_median_of_their_waits_together():
    a, b = MonthCounts(placement_wait={"3": 1, "40": 2}), MonthCounts(placement_wait={"10": 2})
    assert total([a, b]).median_wait == 10  # 3, 10, 10, 40, 40
    assert histogram_median({"4": 1, "9": 1}) == 6.5
    assert MonthCounts().median_wait is None


def test_quality_costs_five_queries_a_month_whatever_the_grids(worked, django_assert_num_queries):
    every = [getattr(worked, name).pk for name in GRIDS]
    # Each month reads the parameters it needs once more (the cadence, two limits).
    with django_assert_num_queries(5 + 3):
        month_quality([every[0]], [MONTH], {})
    with django_assert_num_queries(2 * (5 + 3)):
        month_quality(every, [MONTH, BEFORE], {})


def test_the_page_and_the_bulletin_show_how_the_work_went(worked, li_county, tmp_path):
    grid_ids = [getattr(worked, name).pk for name in GRIDS]
    figures = total(month_figures_count(grid_ids, [MONTH]).values())
    client = Client()
    client.force_login(li_county.bureau)
    query = {"unit": f"county:{li_county.li.pk}", "month": MONTH.strftime("%Y-%m")}
    page = client.get("/figures/", query).content.decode()
    shown = re.sub(r"\s+", "", re.sub(r"<[^>]+>", " ", page))
    text, _pages = _text(client.post("/figures/bulletin.pdf", query).content, tmp_path)
    median = f"{figures.median_wait:g}"
    holders = {username: n for username, n in figures.tasks_open.items() if username}
    assert holders, "somebody held a task at the month's end"
    for where in (shown, text):
        assert f"{figures.trained_placed}/{figures.trained}" in where
        assert f"{figures.visits_on_time}/{figures.households_followed}" in where
        for label in ("评估到上岗天数中位数", "按三色标签的按时走访", "月末任务（按承办人）"):
            assert label in where
        assert median in where
        for username in holders:
            name = User.objects.get(username=username).get_full_name() or username
            assert f"{name}{holders[username]}{figures.tasks_overdue.get(username, 0)}" in where


def test_the_list_behind_each_quality_figure_has_as_many_rows_as_the_figure(worked, li_county):
    grid_ids = [getattr(worked, name).pk for name in GRIDS]
    figures = total(month_figures_count(grid_ids, [MONTH]).values())
    expected = {
        ("trained", ""): figures.trained,
        ("trained_placed", ""): figures.trained_placed,
        ("zero_cleared", ""): sum(figures.zero_cleared.values()),
        ("zero_over_limit", ""): figures.zero_over_limit,
    }
    for colour, n in figures.followed.items():
        expected[("followed", colour)] = n
        expected[("visits_overdue", colour)] = figures.visits_overdue.get(colour, 0)
    client = Client()
    client.force_login(li_county.bureau)
    for (figure, code), n in expected.items():
        assert figure_rows(grid_ids, MONTH, figure, code).queryset.count() == n, (figure, code)
        query = {"unit": f"county:{li_county.li.pk}", "month": MONTH.strftime("%Y-%m"),
                 "figure": figure, "code": code}  # fmt: skip
        response = client.get("/figures/people/", query)
        assert response.status_code == 200
        assert f"共 {n} 行" in re.sub(r"<[^>]+>", " ", response.content.decode()), (figure, code)


def _local(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_a_month_ends_at_local_midnight(months):
    """Shanghai is eight hours ahead of UTC: 00:30 on 1 September there is still 31 August in
    UTC, and a month counted in UTC would take it for August."""
    record = MonthlyWorkRecord.objects.filter(month=MONTH).select_related("member").first()
    household, grid_id = record.member.household, record.grid_id
    grid_ids = [g.pk for g in (months.grid_a1, months.grid_a2, months.grid_b1)]
    task = Task.objects.filter(process__scope__household=household, flow_task_type="HUMAN")[0]
    TaskDeadline.objects.filter(task=task).update(due_at=_local(MONTH, 9, 0))

    def open_in_august() -> int:
        counts = month_figures_count(grid_ids, [MONTH]).get((grid_id, MONTH), MonthCounts())
        return sum(counts.tasks_open.values())

    Task.objects.filter(pk=task.pk).update(
        created=_local(datetime.date(2026, 8, 31), 23, 30), finished=None, status="NEW"
    )
    late_in_august = open_in_august()
    Task.objects.filter(pk=task.pk).update(created=_local(AFTER, 0, 30))
    assert open_in_august() == late_in_august - 1
    Task.objects.filter(pk=task.pk).update(
        created=_local(MONTH, 8, 0), finished=_local(AFTER, 0, 30), status="DONE"
    )  # finished after the month's end: open at it
    assert open_in_august() == late_in_august
    Task.objects.filter(pk=task.pk).update(finished=_local(datetime.date(2026, 8, 31), 23, 30))
    assert open_in_august() == late_in_august - 1


def test_tasks_handed_on_or_released_in_bulk_are_held_by_whom_they_went_to(months):
    """A colleague's departure hands their steps on, a household's move releases the steps of
    those who no longer see it: both are bulk actions, and each step's month-end holder is the
    one they left it with, not its holder before."""
    admin, grid = months.admin, months.grid_a1
    caseworker3 = factories.user("caseworker3", roles.CASEWORKER)
    jurisdiction_grant_grid(actor=admin, user=caseworker3, grid=grid)
    homes = _homes(MONTH)
    handed, moved = (
        Household.objects.filter(pk__in=[h for h, g in homes.items() if g == grid.pk])
        .order_by("number")[:2]
    )  # fmt: skip
    steps = {}
    for household in (handed, moved):
        (steps[household.pk],) = Task.objects.filter(
            process__scope__household=household, flow_task_type="HUMAN", status="NEW"
        )
        Task.objects.filter(pk=steps[household.pk].pk).update(created=moment(BEFORE))
    with dated(moment(datetime.date(2026, 8, 3))):
        claimed = tasks_claim(actor=months.caseworker1, task_pks=[t.pk for t in steps.values()])
    assert len(claimed.done) == 2

    def holders() -> dict[str, int]:
        return month_figures_count([grid.pk], [MONTH])[(grid.pk, MONTH)].tasks_open

    before = holders()
    assert before.get("caseworker1", 0) >= 2
    with dated(moment(datetime.date(2026, 8, 20))):
        household_update(actor=admin, household=moved, grid=months.grid_a2)
        staff_tasks_reassign(
            actor=months.manager, user=months.caseworker1, target=TaskTarget(person=caseworker3)
        )
    after = holders()
    # The handed-on step is caseworker3's, the released one nobody's; the month is the same.
    assert after["caseworker3"] == 1
    assert after.get("caseworker1", 0) == before["caseworker1"] - 2
    assert after.get("", 0) == before.get("", 0) + 1
    assert sum(after.values()) == sum(before.values())
    assert _owner_at(steps[handed.pk], _end(MONTH)) == "caseworker3"
    assert _owner_at(steps[moved.pk], _end(MONTH)) == ""
