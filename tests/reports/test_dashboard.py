"""The manager's dashboard (统计看板).

Acceptance A: every figure equals a count computed independently here, over a varied world in
the manager's site A and in site B (which must not be counted).
Acceptance B: the page, its PDF and the selector run a constant number of queries from 100 to
10,000 households.
"""

import datetime
import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import assign_perm
from openpyxl import load_workbook
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.audit.models import AuditEvent
from casework.cases.models import Assessment, Category, EmploymentCase
from casework.cases.selectors import is_labour_member
from casework.pairing.models import Visit
from casework.pairing.selectors import households_overdue_for_visit
from casework.placement.models import Channel, Placement
from casework.posts.models import PostAssignment, WelfarePost
from casework.posts.services import post_create
from casework.registry import services as registry
from casework.registry.models import Household, Member, Site
from casework.reports.dashboard import UNASSESSED, Share, dashboard_figures
from casework.training.models import Enrolment
from casework.training.services import course_create
from tests import factories
from tests.reports.bulk import bulk_households
from workflows import subjects
from workflows.models import TaskDeadline

pytestmark = pytest.mark.django_db
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


@pytest.fixture
def varied(world):
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


def test_every_figure_equals_an_independent_count(client, world, varied):
    client.force_login(world.manager)
    response = client.get(URL)
    assert response.status_code == 200
    actual = actual_figures(response.context["figures"])
    assert actual == expected_figures(world.site_a, world.manager)
    # The world was built to these numbers; a shared mistake in both counts would show here.
    assert (actual["households"], actual["labour"], actual["zero_employment"]) == (8, 10, 2)
    assert (actual["assessed"], actual["employed"]) == (Share(5, 10), Share(3, 10))
    assert actual["households_employed"] == Share(3, 5)
    assert actual["by_category"] == {"capable": 3, "training": 2, "three_no": 2, UNASSESSED: 3}
    assert {k: v for k, v in actual["by_channel"].items() if v} == {
        "workshop": 1, "public_welfare": 1, "enterprise": 1,
    }  # fmt: skip
    assert (actual["training"], actual["posts"]) == (Share(1, 2), Share(1, 5))
    assert (actual["overdue_tasks"], actual["overdue_visits"]) == (2, 2)
    assert [r[0] for r in actual["zero_rows"]] == sorted([varied.lost_job.number,
                                                          varied.waiting.number])  # fmt: skip


def test_site_b_alone_and_both_sites_for_a_superuser(client, world, varied):
    both = dashboard_figures(sites=Site.objects.all())
    only_b = dashboard_figures(sites=Site.objects.filter(pk=world.site_b.pk))
    assert (only_b.households, only_b.labour, only_b.employed) == (1, 1, Share(1, 1))
    assert (only_b.posts, only_b.training, only_b.overdue_tasks) == (Share(1, 4), Share(1, 1), 1)
    assert (both.households, both.labour, both.overdue_visits) == (9, 11, 3)
    client.force_login(world.admin)
    assert client.get(URL).context["figures"].households == 9


def test_the_list_is_capped_with_a_note_of_how_many_are_not_listed(world, varied):
    figures = dashboard_figures(sites=Site.objects.filter(pk=world.site_a.pk), cap=1)
    assert (len(figures.zero_employment_rows), figures.zero_employment_unlisted) == (1, 1)
    assert figures.zero_employment == 2


# Permissions and the site filter.


@pytest.mark.parametrize("persona", ["caseworker1", "helper", "trainer", "outsider"])
def test_only_holders_of_the_dashboard_right_get_in(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(URL).status_code == 403
    assert client.post(PDF_URL).status_code == 403
    assert client.get(XLSX_URL).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="dashboard.").exists()


def test_a_manager_of_several_sites_may_pick_one_but_not_a_site_of_others(client, world):
    client.force_login(world.manager)
    page = client.get(URL)
    assert (
        page.context["figures"].households == 2 and b'data-test="site-filter"' not in page.content
    )
    site_c, (grid_c,) = factories.site_with_grids(world.admin, "C", 1)
    factories.household(world.admin, grid_c, head=factories.member_data(name="癸户主"))
    registry.jurisdiction_grant_site(actor=world.admin, user=world.manager, site=site_c)
    page = client.get(URL)
    assert page.context["figures"].households == 3 and b'data-test="site-filter"' in page.content
    assert client.get(URL, {"site": site_c.pk}).context["figures"].households == 1
    assert client.get(URL, {"site": world.site_b.pk}).status_code == 404
    assert client.get(URL, {"site": "x"}).status_code == 404
    assert client.post(PDF_URL, {"site": world.site_b.pk}).status_code == 404


def test_visiting_a_household_of_another_site_does_not_bring_its_site_in(client, world):
    assign_perm(permissions.VISIT_HOUSEHOLD, world.manager, world.h_b1)
    client.force_login(world.manager)
    assert client.get(URL).context["scope"] == [world.site_a]


def test_the_page_is_not_cached_and_links_to_the_full_list(client, world):
    client.force_login(world.manager)
    response = client.get(URL)
    assert response["Cache-Control"] == "no-store"
    assert b'data-test="zero-employment-xlsx"' in response.content
    assert "乙户主" in response.content.decode()


# Exports.


def pdftotext(content: bytes, tmp_path: Path) -> str:
    source = tmp_path / "dashboard.pdf"
    source.write_bytes(content)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"],
                            check=True, capture_output=True, text=True)  # fmt: skip
    return re.sub(r"\s+", "", result.stdout)


def test_the_pdf_holds_the_figures_and_is_recorded(client, world, varied, tmp_path):
    client.force_login(world.manager)
    response = client.post(PDF_URL)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="dashboard-')
    text = pdftotext(response.content, tmp_path)
    for figure in ["5/10(50.0%)", "3/10(30.0%)", "3/5(60.0%)", "1/2(50.0%)", "1/5(20.0%)"]:
        assert figure in text
    assert varied.lost_job.number in text and "己户主" in text and "庚户主" in text
    assert "丙户主" not in text and "B1-0001" not in text
    (event,) = AuditEvent.objects.filter(action="dashboard.pdf")
    assert event.actor == world.manager and event.changes == {"sites": [None, ["A"]]}


def test_the_excel_lists_every_zero_employment_household_and_is_recorded(client, world, varied):
    client.force_login(world.manager)
    response = client.get(XLSX_URL)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    expected = expected_figures(world.site_a, world.manager)["zero_rows"]
    assert sorted(rows[1:]) == expected
    (event,) = AuditEvent.objects.filter(action="dashboard.zero_employment_export")
    assert event.changes == {"sites": [None, ["A"]], "households": [None, 2]}


# Acceptance B: a constant number of queries.


def _count(run) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries.captured_queries)


def _measure(client, world) -> dict[str, int]:
    sites = Site.objects.filter(pk=world.site_a.pk)
    page = {}

    def get():
        page["response"] = client.get(URL)

    counts = {
        "page": _count(get),
        "pdf": _count(lambda: client.post(PDF_URL)),
        "selector": _count(lambda: dashboard_figures(sites=sites)),
    }
    assert page["response"].status_code == 200
    return counts


def test_the_dashboard_runs_the_same_queries_for_100_and_10000_households(client, world):
    bulk_households(world.grid_b1, 50, actor=world.admin)  # another site's, never counted
    bulk_households(world.grid_a1, 98, actor=world.admin)
    client.force_login(world.manager)
    client.get(URL)  # warm the caches of content types and permissions
    small = _measure(client, world)
    assert client.get(URL).context["figures"].households == 100

    bulk_households(world.grid_a1, 4950, actor=world.admin)
    bulk_households(world.grid_a2, 4950, actor=world.admin)
    large = _measure(client, world)
    response = client.get(URL)
    figures = response.context["figures"]
    assert figures.households == 10_000
    assert len(figures.zero_employment_rows) == 200 and figures.zero_employment > 200
    assert b'data-test="unlisted"' in response.content
    assert large == small, (small, large)
