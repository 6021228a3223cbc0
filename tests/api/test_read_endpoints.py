"""The read-only endpoints (cases, placements, courses, enrolments, work months, monitored
households) answer what the pages show each caller and nothing more: a caller of site A reads
site A's rows, a row of site B is 404; a caseworker reads their grid's rows, a pairing helper
what the household page shows them; a caller without the model right the pages ask for reads
nothing. A list costs the same queries for one row as for three."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import jsonschema
import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from casework.api.services import api_client_create, api_token_create
from casework.cases.models import EmploymentCase
from casework.monitoring.models import MonitoredHousehold, MonthlyWorkRecord
from casework.monitoring.services import monitoring_identify
from casework.placement.models import Placement
from casework.placement.services import employer_create
from casework.registry.models import Household, Member
from casework.training.services import course_create, course_trainer_grant
from tests import factories
from tests.reports.dashboard.world import Maker

pytestmark = pytest.mark.django_db

S = EmploymentCase.State


@pytest.fixture(autouse=True)
def _throttle_counts_forgotten():
    caches["shared"].clear()


def _api(token: str) -> Client:
    return Client(headers={"authorization": f"Bearer {token}"})


def _system(world) -> Client:
    """A read-only system client of site A."""
    _c, token = api_client_create(actor=world.admin, name="x", site=world.site_a, access="read")
    return _api(token)


def _person(user) -> Client:
    _c, token = api_token_create(actor=user, name="脚本", access="read")
    return _api(token)


def _session(user) -> Client:
    """A trainer holds no token (they see no household); the API reads their session."""
    client = Client()
    client.force_login(user)
    return client


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _head(household: Household) -> Member:
    return household.members.get(relationship="head")


def _last_month() -> datetime.date:
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


def _work_month(member: Member, actor, month: datetime.date, working: bool = True):
    if working:
        values = {
            "location_class": "county", "channel": "workshop", "employer_name": "帮扶车间",
            "industry": "制造业", "monthly_income": Decimal("2600"), "days_worked": 22,
        }  # fmt: skip
    else:
        values = {"not_working_reason": "care"}
    return MonthlyWorkRecord.objects.create(
        member=member, household=member.household, grid=member.household.grid,
        month=month.replace(day=1), working=working,
        recorded_by=actor, recorded_at=timezone.now(), **values,
    )  # fmt: skip


def _monitor(world, household: Household) -> MonitoredHousehold:
    return monitoring_identify(
        actor=world.admin, household=household, kind="unstable", risks=["unstable_work"],
        route="screening", identified_on=timezone.localdate(), note="家中有病人",
    )  # fmt: skip


@pytest.fixture
def rows(world):
    """A case, a job, an enrolment, a work month and (A1, B1) a monitoring for each household;
    course A (taught by the trainer) has a trainee from site B too."""
    make = Maker(world)  # opens course A (厨师班) at site A
    course_a = make.course
    course_trainer_grant(actor=world.admin, course=course_a, trainer=world.trainer)
    today = timezone.localdate()
    course_b = course_create(
        actor=world.admin, name="电工班", trade="electrician", site=world.site_b,
        start_date=today, end_date=today,
    )  # fmt: skip
    case_a1 = make.case(_head(world.h_a1), S.EMPLOYED)
    case_a2 = make.case(_head(world.h_a2), S.SEEKING)
    case_b1 = make.case(_head(world.h_b1), S.EMPLOYED)
    employer = employer_create(
        actor=world.admin, site=world.site_a, name="城关镇综合车间", kind="workshop",
        location_class="county",
    )  # fmt: skip
    job_a1 = Placement.objects.create(
        member=case_a1.member, case=case_a1, channel="workshop", employer=employer,
        employer_name=employer.name, start_date=today - datetime.timedelta(days=30),
        location_class="county", monthly_income=Decimal("2600"), recorded_by=world.admin,
    )  # fmt: skip
    month = _last_month()
    return SimpleNamespace(
        course_a=course_a, course_b=course_b, case_a1=case_a1, case_a2=case_a2, case_b1=case_b1,
        employer=employer, job_a1=job_a1, job_a2=make.place(case_a2, "migration", ended=True),
        job_b1=make.place(case_b1, "enterprise"),
        enrol_a1=make.enrol(case_a1, "enrolled", course_a),
        enrol_a2=make.enrol(case_a2, "passed", course_a),
        enrol_b1_in_a=make.enrol(case_b1, "enrolled", course_a),
        enrol_b1=make.enrol(case_b1, "enrolled", course_b),
        month_a1=_work_month(case_a1.member, world.admin, month),
        month_a2=_work_month(case_a2.member, world.admin, month, working=False),
        month_b1=_work_month(case_b1.member, world.admin, month),
        watch_a1=_monitor(world, world.h_a1), watch_b1=_monitor(world, world.h_b1),
    )  # fmt: skip


def test_cases_as_the_household_page_shows_them(world, rows):
    api = _system(world)
    assert _ids(api.get("/api/v1/cases/")) == {rows.case_a1.pk, rows.case_a2.pk}
    one = api.get(f"/api/v1/cases/{rows.case_a1.pk}/")
    assert one.status_code == 200
    row = one.json()
    assert (row["member"], row["household"], row["state"]) == (
        rows.case_a1.member_id, world.h_a1.pk, "employed",
    )  # fmt: skip
    assert row["state_display"] == str(S.EMPLOYED.label) and row["category"] == "capable"
    assert "updated_at" not in row and "close_reason" not in row
    assert api.get(f"/api/v1/cases/{rows.case_b1.pk}/").status_code == 404

    assert _ids(api.get(f"/api/v1/cases/?grid={world.grid_a2.pk}")) == {rows.case_a2.pk}
    assert _ids(api.get(f"/api/v1/cases/?household={world.h_a1.pk}")) == {rows.case_a1.pk}
    assert _ids(api.get("/api/v1/cases/?state=seeking")) == {rows.case_a2.pk}
    assert _ids(api.get(f"/api/v1/cases/?site={world.site_b.pk}")) == set()
    assert api.get("/api/v1/cases/?state=nonsense").status_code == 400

    assert _ids(_person(world.caseworker1).get("/api/v1/cases/")) == {rows.case_a1.pk}
    caseworker2 = _person(world.caseworker2)
    assert _ids(caseworker2.get("/api/v1/cases/")) == {rows.case_a2.pk}
    assert caseworker2.get(f"/api/v1/cases/{rows.case_a1.pk}/").status_code == 404
    # The helper sees the paired household's page, its cases included.
    assert _ids(_person(world.helper).get("/api/v1/cases/")) == {rows.case_a1.pk}


def test_placements_as_the_employment_ledger_shows_them(world, rows):
    api = _person(world.manager)  # manages site A
    assert _ids(api.get("/api/v1/placements/")) == {rows.job_a1.pk, rows.job_a2.pk}
    row = api.get(f"/api/v1/placements/{rows.job_a1.pk}/").json()
    assert (row["employer"], row["employer_name"]) == (rows.employer.pk, "城关镇综合车间")
    assert (row["household"], row["case"], row["channel"]) == (
        world.h_a1.pk, rows.case_a1.pk, "workshop",
    )  # fmt: skip
    assert row["channel_display"] not in ("", "workshop")  # the code list's label
    assert row["monthly_income"] == "2600.00" and row["current"] is True
    assert api.get(f"/api/v1/placements/{rows.job_b1.pk}/").status_code == 404

    assert _ids(api.get("/api/v1/placements/?channel=migration")) == {rows.job_a2.pk}
    assert _ids(api.get("/api/v1/placements/?current=false")) == {rows.job_a2.pk}
    assert _ids(api.get(f"/api/v1/placements/?household={world.h_a1.pk}")) == {rows.job_a1.pk}
    started = rows.job_a1.start_date.isoformat()
    assert _ids(api.get(f"/api/v1/placements/?start_from={started}")) == {rows.job_a1.pk}
    before = (rows.job_a1.start_date - datetime.timedelta(days=1)).isoformat()
    assert _ids(api.get(f"/api/v1/placements/?start_to={before}")) == {rows.job_a2.pk}
    assert _ids(api.get(f"/api/v1/placements/?grid={world.grid_a2.pk}")) == {rows.job_a2.pk}

    assert _ids(_person(world.caseworker1).get("/api/v1/placements/")) == {rows.job_a1.pk}
    # Without the ledger's right (a pairing helper), no job at all.
    helper = _person(world.helper)
    assert _ids(helper.get("/api/v1/placements/")) == set()
    assert helper.get(f"/api/v1/placements/{rows.job_a1.pk}/").status_code == 404
    # A system client of site A: its site's jobs, not site B's.
    system = _system(world)
    assert _ids(system.get("/api/v1/placements/")) == {rows.job_a1.pk, rows.job_a2.pk}
    assert system.get(f"/api/v1/placements/{rows.job_b1.pk}/").status_code == 404


def test_courses_as_the_course_pages_show_them(world, rows):
    api = _person(world.manager)
    assert _ids(api.get("/api/v1/courses/")) == {rows.course_a.pk}
    row = api.get(f"/api/v1/courses/{rows.course_a.pk}/").json()
    assert (row["site"], row["trade"]) == (world.site_a.pk, "cooking")
    assert row["trade_display"] not in ("", "cooking")
    assert api.get(f"/api/v1/courses/{rows.course_b.pk}/").status_code == 404
    assert _ids(api.get(f"/api/v1/courses/?site={world.site_b.pk}")) == set()

    assert _ids(_person(world.caseworker2).get("/api/v1/courses/")) == {rows.course_a.pk}
    assert _ids(_session(world.trainer).get("/api/v1/courses/")) == {rows.course_a.pk}
    assert _ids(_person(world.helper).get("/api/v1/courses/")) == set()
    system = _system(world)  # a system client of site A: its site's courses
    assert _ids(system.get("/api/v1/courses/")) == {rows.course_a.pk}
    assert system.get(f"/api/v1/courses/{rows.course_b.pk}/").status_code == 404


def test_enrolments_as_the_course_roster_shows_them(world, rows):
    api = _person(world.manager)
    # Course A's trainees of site A's households: not the one from site B, nor course B.
    assert _ids(api.get("/api/v1/enrolments/")) == {rows.enrol_a1.pk, rows.enrol_a2.pk}
    row = api.get(f"/api/v1/enrolments/{rows.enrol_a2.pk}/").json()
    assert (row["course"], row["member"], row["status"]) == (
        rows.course_a.pk, rows.case_a2.member_id, "passed",
    )  # fmt: skip
    assert "household" not in row and "certificate_number" not in row
    assert api.get(f"/api/v1/enrolments/{rows.enrol_b1_in_a.pk}/").status_code == 404
    assert api.get(f"/api/v1/enrolments/{rows.enrol_b1.pk}/").status_code == 404
    assert _ids(api.get("/api/v1/enrolments/?status=passed")) == {rows.enrol_a2.pk}
    household = f"/api/v1/enrolments/?household={world.h_a2.pk}"
    assert _ids(api.get(household)) == {rows.enrol_a2.pk}
    assert _ids(api.get(f"/api/v1/enrolments/?course={rows.course_b.pk}")) == set()

    assert _ids(_person(world.caseworker1).get("/api/v1/enrolments/")) == {rows.enrol_a1.pk}
    assert _ids(_person(world.caseworker2).get("/api/v1/enrolments/")) == {rows.enrol_a2.pk}
    # The trainer sees the whole class, but no household's trainees by the household.
    trainer = _session(world.trainer)
    whole_class = {rows.enrol_a1.pk, rows.enrol_a2.pk, rows.enrol_b1_in_a.pk}
    assert _ids(trainer.get("/api/v1/enrolments/")) == whole_class
    assert trainer.get(f"/api/v1/enrolments/{rows.enrol_b1_in_a.pk}/").status_code == 200
    assert trainer.get(f"/api/v1/enrolments/{rows.enrol_b1.pk}/").status_code == 404
    assert _ids(trainer.get(f"/api/v1/enrolments/?household={world.h_b1.pk}")) == set()
    # A system client of site A: site A's households' trainees, as its manager.
    system = _system(world)
    assert _ids(system.get("/api/v1/enrolments/")) == {rows.enrol_a1.pk, rows.enrol_a2.pk}
    assert system.get(f"/api/v1/enrolments/{rows.enrol_b1.pk}/").status_code == 404


def test_work_months_of_the_households_seen(world, rows):
    api = _person(world.manager)
    assert _ids(api.get("/api/v1/work-months/")) == {rows.month_a1.pk, rows.month_a2.pk}
    row = api.get(f"/api/v1/work-months/{rows.month_a2.pk}/").json()
    assert (row["household"], row["grid"], row["working"]) == (
        world.h_a2.pk, world.grid_a2.pk, False,
    )  # fmt: skip
    assert row["not_working_reason"] == "care" and row["not_working_reason_display"]
    assert (row["monthly_income"], row["channel"], row["channel_display"]) == (None, "", "")
    worked = api.get(f"/api/v1/work-months/{rows.month_a1.pk}/").json()
    assert worked["monthly_income"] == "2600.00" and worked["days_worked"] == 22
    assert worked["channel_display"] not in ("", "workshop")
    assert api.get(f"/api/v1/work-months/{rows.month_b1.pk}/").status_code == 404

    month = rows.month_a1.month.isoformat()
    assert _ids(api.get(f"/api/v1/work-months/?month={month}&working=true")) == {rows.month_a1.pk}
    assert _ids(api.get(f"/api/v1/work-months/?month_from={month}&month_to={month}")) == {
        rows.month_a1.pk, rows.month_a2.pk,
    }  # fmt: skip
    earlier = (rows.month_a1.month - datetime.timedelta(days=1)).isoformat()
    assert _ids(api.get(f"/api/v1/work-months/?month_to={earlier}")) == set()
    assert _ids(api.get(f"/api/v1/work-months/?grid={world.grid_a1.pk}")) == {rows.month_a1.pk}
    # updated_since: by when the record was last entered.
    long_ago = timezone.now() - datetime.timedelta(days=40)
    MonthlyWorkRecord.objects.filter(pk=rows.month_a2.pk).update(recorded_at=long_ago)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert _ids(api.get("/api/v1/work-months/", {"updated_since": since})) == {rows.month_a1.pk}

    assert _ids(_person(world.caseworker1).get("/api/v1/work-months/")) == {rows.month_a1.pk}
    # No work-month page for a pairing helper; a system client of site A reads site A's.
    assert _ids(_person(world.helper).get("/api/v1/work-months/")) == set()
    system = _system(world)
    assert _ids(system.get("/api/v1/work-months/")) == {rows.month_a1.pk, rows.month_a2.pk}
    assert system.get(f"/api/v1/work-months/{rows.month_b1.pk}/").status_code == 404


def test_monitored_households_as_the_monitoring_pages_show_them(world, rows):
    api = _person(world.manager)
    assert _ids(api.get("/api/v1/monitoring/")) == {rows.watch_a1.pk}
    row = api.get(f"/api/v1/monitoring/{rows.watch_a1.pk}/").json()
    assert (row["household"], row["site"], row["grid"], row["status"]) == (
        world.h_a1.pk, world.site_a.pk, world.grid_a1.pk, "monitored",
    )  # fmt: skip
    assert row["kind"] == "unstable" and row["measure_count"] == 0
    assert "risks" not in row and "note" not in row  # no health details
    assert api.get(f"/api/v1/monitoring/{rows.watch_b1.pk}/").status_code == 404
    assert _ids(api.get("/api/v1/monitoring/?status=eliminated")) == set()
    assert _ids(api.get(f"/api/v1/monitoring/?household={world.h_a1.pk}")) == {rows.watch_a1.pk}

    assert _ids(_person(world.caseworker1).get("/api/v1/monitoring/")) == {rows.watch_a1.pk}
    caseworker2 = _person(world.caseworker2)
    assert _ids(caseworker2.get("/api/v1/monitoring/")) == set()
    assert caseworker2.get(f"/api/v1/monitoring/{rows.watch_a1.pk}/").status_code == 404
    # The monitoring pages are refused to whoever lacks their right: here, nothing to read.
    assert _ids(_person(world.helper).get("/api/v1/monitoring/")) == set()
    system = _system(world)  # a system client of site A: site A's monitored households
    assert _ids(system.get("/api/v1/monitoring/")) == {rows.watch_a1.pk}
    assert system.get(f"/api/v1/monitoring/{rows.watch_b1.pk}/").status_code == 404


def _json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema: ``nullable`` becomes "or null"."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items()}
    if converted.pop("nullable", False):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def test_every_answer_is_as_the_schema_says(world, rows):
    """Blank codes (a month not worked has no work location, an enrolment no certificate yet, an
    open monitoring no elimination) and empty values included."""
    api = _person(world.manager)
    schema = api.get("/api/v1/schema/?format=json").json()
    components = _json_schema(schema["components"])

    def conforms(route: str, url: str) -> None:
        answer = schema["paths"][route]["get"]["responses"]["200"]["content"]
        body = api.get(url).json()
        jsonschema.validate(body, {**_json_schema(answer["application/json"]["schema"]),
                                   "components": components})  # fmt: skip

    shown = {
        "cases": rows.case_a1, "placements": rows.job_a2, "courses": rows.course_a,
        "enrolments": rows.enrol_a1, "work-months": rows.month_a2, "monitoring": rows.watch_a1,
    }  # fmt: skip
    for name, row in shown.items():
        conforms(f"/api/v1/{name}/", f"/api/v1/{name}/")
        conforms(f"/api/v1/{name}/{{id}}/", f"/api/v1/{name}/{row.pk}/")


def _site_a_rows(world, make: Maker, count: int, *, own_courses: bool = True) -> None:
    """``count`` more households of grid A1, each with a row of every kind: a case, a job, a work
    month, a monitoring, and an enrolment in a course of its own (or in the maker's course)."""
    month = _last_month()
    for _n in range(count):
        household = factories.household(world.admin, world.grid_a1)
        course = make.course
        if own_courses:
            course = course_create(
                actor=world.admin, name=f"班{household.number}", trade="cooking",
                site=world.site_a, start_date=make.today, end_date=make.today,
            )  # fmt: skip
        case = make.case(_head(household), S.EMPLOYED)
        make.place(case, "workshop")
        make.enrol(case, "enrolled", course)
        _work_month(case.member, world.admin, month)
        _monitor(world, household)


LISTS = ("cases", "placements", "courses", "enrolments", "work-months", "monitoring")
# The most a list may cost however long its page: the token and its throttle count (8), the
# caller's rights and jurisdiction (4), the page itself (1 or 2); 11 to 14 as measured.
MOST_QUERIES = 14


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_queries_for_one_row_as_for_three(
    world, name, django_assert_max_num_queries
):
    make = Maker(world)  # its course is the first household's
    api = _person(world.manager)
    url = f"/api/v1/{name}/"
    _site_a_rows(world, make, 1, own_courses=False)
    assert api.get(url).status_code == 200  # the first call of the token reads once more
    with django_assert_max_num_queries(MOST_QUERIES) as one:
        response = api.get(url)
    assert len(response.json()["results"]) == 1
    _site_a_rows(world, make, 2)
    with django_assert_max_num_queries(len(one)):
        response = api.get(url)
    assert len(response.json()["results"]) == 3


def test_a_system_clients_list_costs_no_more_with_more_rows(world, django_assert_max_num_queries):
    make = Maker(world)
    api = _system(world)
    _site_a_rows(world, make, 1, own_courses=False)
    assert api.get("/api/v1/cases/").status_code == 200
    with django_assert_max_num_queries(MOST_QUERIES) as one:
        assert len(api.get("/api/v1/cases/").json()["results"]) == 1
    _site_a_rows(world, make, 2)
    with django_assert_max_num_queries(len(one)):
        assert len(api.get("/api/v1/cases/").json()["results"]) == 3
