"""The dashboard tests' world and their independent counts.

``build_varied`` makes a varied world in the manager's site A and in site B (which must not be
counted); ``expected_figures`` counts every figure again in plain Python over the rows.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.cases.models import Assessment, Category, EmploymentCase
from casework.cases.selectors import is_labour_member
from casework.pairing.models import Visit
from casework.pairing.selectors import households_overdue_for_visit
from casework.placement.models import Channel, Placement
from casework.posts.models import PostAssignment, WelfarePost
from casework.posts.services import post_create
from casework.registry import services as registry
from casework.registry.models import Household, Member, Site
from casework.reports.dashboard.figures import UNASSESSED, Share
from casework.training.models import Enrolment
from casework.training.services import course_create
from tests import factories
from workflows import subjects
from workflows.models import TaskDeadline

R = Assessment.Review
S = EmploymentCase.State
URL = "/dashboard/"
PDF_URL = "/dashboard/pdf/"
XLSX_URL = "/dashboard/zero-employment.xlsx"


class Maker:
    """Direct rows for one world: assessments, cases, work, posts, courses and visits."""

    def __init__(self, world: SimpleNamespace) -> None:
        self.world = world
        self.today = timezone.localdate()
        today = self.today
        self.course = course_create(
            actor=world.admin, name="厨师班", trade="cooking", site=world.site_a,
            start_date=today, end_date=today,
        )  # fmt: skip
        self.versions: dict[int, int] = {}

    def household(self, grid, head: dict, *others: dict, **fields) -> Household:
        household = factories.household(
            self.world.admin, grid, head=factories.member_data(**head), **fields
        )
        for index, data in enumerate(others):
            relation = {"relationship": "son", "name": f"{household.number}成员{index}"}
            registry.member_add(
                actor=self.world.admin, household=household,
                **factories.member_data(**{**relation, **data}),
            )  # fmt: skip
        return household

    def members(self, household: Household) -> list[Member]:
        return list(household.members.order_by("pk"))

    def assess(self, member: Member, category: str, review: str = R.APPROVED) -> Assessment:
        self.versions[member.pk] = self.versions.get(member.pk, 0) + 1
        return Assessment.objects.create(
            member=member, household_case=member.household.cases.get(),
            version=self.versions[member.pk], category=category, labour_capacity="ordinary",
            assessed_by=self.world.admin, review=review,
        )  # fmt: skip

    def case(self, member: Member, state: str, closed: bool = False) -> EmploymentCase:
        return EmploymentCase.objects.create(
            member=member, household_case=member.household.cases.get(), category="capable",
            state=state, closed_at=timezone.now() if closed else None,
        )  # fmt: skip

    def place(self, case: EmploymentCase, channel: str, ended: bool = False) -> Placement:
        return Placement.objects.create(
            member=case.member, case=case, channel=channel,
            start_date=self.today - datetime.timedelta(days=60),
            end_date=self.today - datetime.timedelta(days=5) if ended else None,
            location_class="county", monthly_income=Decimal("2600"),
            recorded_by=self.world.admin,
        )  # fmt: skip

    def hold(self, case: EmploymentCase, post: WelfarePost, status: str) -> PostAssignment:
        return PostAssignment.objects.create(
            member=case.member, case=case, post=post, post_type="cleaning", status=status,
            applied_by=self.world.admin,
        )  # fmt: skip

    def enrol(self, case: EmploymentCase, status: str, course=None) -> Enrolment:
        return Enrolment.objects.create(
            member=case.member, course=course or self.course, case=case, status=status,
            enrolled_by=self.world.admin,
        )  # fmt: skip

    def post(self, site: Site, quota: int) -> WelfarePost:
        return post_create(
            actor=self.world.admin, site=site, name=f"保洁{site.code}{quota}", kind="cleaning",
            quota=quota, monthly_subsidy=Decimal("800"),
        )  # fmt: skip

    def registered_days_ago(self, household: Household, days: int) -> None:
        then = timezone.now() - datetime.timedelta(days=days)
        Household.objects.filter(pk=household.pk).update(created_at=then)

    def visited(self, household: Household, days_ago: int) -> None:
        Visit.objects.create(
            household=household, visitor=self.world.admin, mode="home",
            date=self.today - datetime.timedelta(days=days_ago), thinking_stable=True,
            policy_understood=True, life_happy=True, industry_developing=True,
            problems_solved=True,
        )  # fmt: skip

    def deadline(self, household: Household, days: int, status: str | None = None) -> None:
        task = Task.objects.get(
            process__householdprocess__household_case__household=household,
            flow_task_type="HUMAN",
        )
        TaskDeadline.objects.filter(task=task).update(
            due_at=timezone.now() + datetime.timedelta(days=days)
        )
        if status:
            Task.objects.filter(pk=task.pk).update(status=status)


def build_varied(world: SimpleNamespace) -> SimpleNamespace:
    """Site A (managed): eight households of every kind; site B: one that would count."""
    w, make = world, Maker(world)
    post_a, _post_a2, post_b = (
        make.post(w.site_a, 3),
        make.post(w.site_a, 2),
        make.post(w.site_b, 4),
    )

    head, son0, son1 = make.members(w.h_a1)  # labour 2, employed 1
    make.assess(head, Category.CAPABLE)
    make.place(make.case(head, S.EMPLOYED), Channel.WORKSHOP)
    make.place(EmploymentCase.objects.get(member=head), Channel.MIGRATION, ended=True)
    make.assess(son0, Category.NOT_LABOUR)
    make.assess(son1, Category.TRAINING, R.PENDING)
    make.enrol(make.case(son1, S.IN_TRAINING), Enrolment.Status.PASSED)

    head, son = make.members(w.h_a2)  # labour 2 (one unassessed), employed 1 on a post
    make.assess(head, Category.THREE_NO)
    make.hold(make.case(head, S.ON_POST), post_a, PostAssignment.Status.ON_POST)

    no_labour = make.household(w.grid_a1, {"name": "丁户主"}, {"in_school": True},
                               {"labour_capacity": "lost"})  # fmt: skip
    make.assess(make.members(no_labour)[0], Category.CAPABLE)
    make.assess(make.members(no_labour)[0], Category.NOT_LABOUR, R.NOT_REQUIRED)

    mixed = make.household(w.grid_a2, {"name": "戊户主"}, {})  # labour 2, employed 1 (stable)
    head, son = make.members(mixed)
    make.assess(head, Category.TRAINING)
    case = make.case(head, S.SEEKING)
    make.place(case, Channel.MIGRATION, ended=True)
    make.enrol(case, Enrolment.Status.FAILED)
    make.assess(son, Category.CAPABLE, R.NOT_REQUIRED)
    case = make.case(son, S.STABLE, closed=True)
    make.place(case, Channel.ENTERPRISE)
    make.hold(case, post_a, PostAssignment.Status.ENDED)
    make.enrol(case, Enrolment.Status.ENROLLED)

    lost_job = make.household(w.grid_a1, {"name": "己户主"}, {"labour_capacity": "weak"})
    head, _son = make.members(lost_job)  # zero-employment: labour 2, the head's new case seeks
    make.assess(head, Category.CAPABLE)
    make.case(head, S.STABLE, closed=True)
    case = make.case(head, S.SEEKING)
    make.place(case, Channel.ORGANISED, ended=True)
    make.enrol(case, Enrolment.Status.DROPPED)
    make.registered_days_ago(lost_job, 60)  # green, never visited: overdue
    make.deadline(lost_job, -3, status=STATUS.DONE)  # late, but done

    waiting = make.household(w.grid_a2, {"name": "庚户主"}, {}, colour="yellow")
    head, son = make.members(waiting)  # zero-employment: labour 2, none reviewed
    make.assess(son, Category.THREE_NO, R.RETURNED)
    make.hold(make.case(son, S.AWAITING_POST), post_a, PostAssignment.Status.APPLIED)
    make.registered_days_ago(waiting, 60)
    make.visited(waiting, 3)  # yellow: every 14 days, not overdue

    red = make.household(w.grid_a1, {"name": "辛户主", "labour_capacity": "lost"}, colour="red")
    make.registered_days_ago(red, 60)
    make.visited(red, 10)  # red: every 7 days, overdue
    make.deadline(red, -1, status=STATUS.ASSIGNED)

    closed = make.household(w.grid_a1, {"name": "壬户主"})
    make.assess(make.members(closed)[0], Category.NOT_LABOUR)
    closed.cases.update(closed_at=timezone.now())
    make.registered_days_ago(closed, 60)  # assistance closed: no visits due

    make.deadline(w.h_a1, -2)  # overdue
    make.deadline(w.h_a2, 5)  # not yet due

    (head,) = make.members(w.h_b1)  # site B: everything here must stay out
    make.assess(head, Category.CAPABLE)
    case = make.case(head, S.EMPLOYED)
    make.place(case, Channel.ENTERPRISE)
    make.hold(case, post_b, PostAssignment.Status.ON_POST)
    b_course = course_create(actor=w.admin, name="B班", trade="cooking", site=w.site_b,
                             start_date=make.today, end_date=make.today)  # fmt: skip
    make.enrol(case, Enrolment.Status.PASSED, course=b_course)
    make.registered_days_ago(w.h_b1, 60)
    make.deadline(w.h_b1, -2)
    return SimpleNamespace(lost_job=lost_job, waiting=waiting, mixed=mixed)


# Independent counts: plain Python over the rows, each figure's definition written out again.


def _latest(items, *keys):
    items = list(items)
    return max(items, key=lambda i: tuple(getattr(i, k) for k in keys)) if items else None


def _member_facts(member: Member) -> SimpleNamespace:
    assessment = _latest(member.assessments.all(), "version")
    case = _latest(member.employment_cases.all(), "opened_at", "pk")
    current = [p for p in member.placements.all() if p.end_date is None]
    on_post = any(p.status == PostAssignment.Status.ON_POST for p in member.posts.all())
    channel = current[0].channel if current else (Channel.PUBLIC_WELFARE if on_post else "")
    return SimpleNamespace(
        labour=is_labour_member(member, assessment),
        reviewed=assessment is not None and assessment.review in (R.APPROVED, R.NOT_REQUIRED),
        employed=case is not None and case.state in (S.EMPLOYED, S.ON_POST, S.STABLE),
        category=assessment.category if assessment else UNASSESSED,
        channel=channel,
    )


def expected_figures(site: Site, manager) -> dict:
    households = list(
        Household.objects.filter(grid__site=site)
        .select_related("grid__site")
        .prefetch_related("members__assessments", "members__employment_cases",
                          "members__placements", "members__posts")
    )  # fmt: skip
    facts = {h.pk: [(m, _member_facts(m)) for m in h.members.all()] for h in households}
    labour = [f for rows in facts.values() for _m, f in rows if f.labour]
    with_labour = [h for h in households if any(f.labour for _m, f in facts[h.pk])]
    employed_households = [
        h for h in with_labour if any(f.labour and f.employed for _m, f in facts[h.pk])
    ]
    zero = [h for h in with_labour if h not in employed_households]
    enrolments = [e.status for e in Enrolment.objects.all() if e.member.household.grid.site == site]
    posts = list(WelfarePost.objects.filter(site=site))
    holders = [a for a in PostAssignment.objects.all() if a.post in posts and a.status == "on_post"]
    ids = {h.pk for h in households}
    now = timezone.now()
    late_tasks = [
        t for t in Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED])
        if hasattr(t, "deadline") and t.deadline.due_at < now
        and subjects.process_household_id(t.process_id) in ids
    ]  # fmt: skip
    heads = {h.pk: next(m.name for m, _f in facts[h.pk] if m.is_head) for h in zero}
    return {
        "households": len(households),
        "labour": len(labour),
        "assessed": Share(sum(f.reviewed for f in labour), len(labour)),
        "employed": Share(sum(f.employed for f in labour), len(labour)),
        "households_with_labour": len(with_labour),
        "households_employed": Share(len(employed_households), len(with_labour)),
        "zero_employment": len(zero),
        "zero_rows": sorted(
            (
                h.number,
                h.grid.site.name,
                h.grid.name,
                heads[h.pk],
                sum(f.labour for _m, f in facts[h.pk]),
            )
            for h in zero
        ),  # fmt: skip
        "by_category": {
            c: sum(f.category == c for f in labour)
            for c in ["capable", "training", "three_no", UNASSESSED]
        },  # fmt: skip
        "by_channel": {c.value: sum(f.channel == c for f in labour) for c in Channel},
        "training": Share(
            enrolments.count("passed"), enrolments.count("passed") + enrolments.count("failed")
        ),  # fmt: skip
        "posts": Share(len(holders), sum(p.quota for p in posts)),
        "overdue_tasks": len(late_tasks),
        "overdue_visits": len(households_overdue_for_visit(manager)),
    }


def actual_figures(figures) -> dict:
    return {
        "households": figures.households,
        "labour": figures.labour,
        "assessed": figures.assessed,
        "employed": figures.employed,
        "households_with_labour": figures.households_with_labour,
        "households_employed": figures.households_employed,
        "zero_employment": figures.zero_employment,
        "zero_rows": sorted(
            (r.number, r.site, r.grid, r.head, r.labour) for r in figures.zero_employment_rows
        ),  # fmt: skip
        "by_category": {t.code: t.count for t in figures.by_category},
        "by_channel": {t.code: t.count for t in figures.by_channel},
        "training": figures.training,
        "posts": figures.posts,
        "overdue_tasks": figures.overdue_tasks,
        "overdue_visits": figures.overdue_visits,
    }
