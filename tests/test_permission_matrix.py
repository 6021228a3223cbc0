"""Every URL pattern of the site × every persona → the outcome in a checked-in table.

The table (tests/permission_matrix.tsv) is written by running this file with
``RECORD_PERMISSION_MATRIX=1`` and reviewed like code; a normal run fails on any difference and
on any pattern the walk did not visit. Besides the table, invariants that must hold whatever the
table says are asserted directly (anonymous users reach only the login pages; people outside the
household's grid never get a page about it).
"""

import datetime
import io
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.api.services import api_client_create
from casework.cases.models import EmploymentCase
from casework.ledgers.models import LedgerImport
from casework.monitoring.models import MonitoredHousehold, MonthlyWorkRecord
from casework.notices.models import PublicNotice
from casework.pairing.models import Pairing
from casework.pairing.services import RequestDraft, visit_record
from casework.permissions import roles
from casework.placement.models import Employer, Placement
from casework.policy.models import Code
from casework.posts.models import PostAssignment, WelfarePost
from casework.registry.models import Household, Region
from casework.reports.casefile.batch import casefile_batch_request
from casework.reports.models import CaseFileBatch
from casework.training.models import Course, Enrolment
from tests import factories
from workflows.models import Process
from workflows.services import scheduler_tick

TABLE = Path(__file__).with_name("permission_matrix.tsv")
# ``system_other_site``: an API system client (a token, reading and writing) of another site.
# ``county``: the demo's county bureau, reading the county's figures and nothing else of it.
PERSONAS = ["anonymous", "caseworker1", "caseworker2", "trainer", "helper", "unpaired_helper",
            "manager", "county", "admin", "system_other_site"]  # fmt: skip
OUTSIDERS = ["caseworker2", "trainer", "unpaired_helper", "county"]

pytestmark = pytest.mark.django_db


def url_patterns():
    """(route, pattern) for every URL pattern, with its full route."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern

    return list(walk(get_resolver().url_patterns))


def key(route: str, pattern) -> str:
    """A pattern's row label: its route and name (two routes may be equal, e.g. "")."""
    return f"{route or '/'} [{pattern.name or '-'}]"


def fill(route: str, values: dict[str, str]) -> str:
    """The path of ``route`` with every parameter replaced by its sample value."""

    def value(name: str) -> str:
        if name not in values:
            raise KeyError(f"No sample value for <{name}> in {route}")
        return str(values[name])

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), path)
    return "/" + path.replace("^", "").replace("$", "")


@pytest.fixture
def site_world(db):
    """The demo, with every flow step open somewhere in the first grid, plus a vacated post
    and a concern in that grid."""
    call_command("seed_demo", stdout=io.StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    unpaired = get_user_model().objects.create_user("unpaired_helper", password="x")
    unpaired.groups.add(Group.objects.get(name=roles.HELPER))
    users["unpaired_helper"] = unpaired
    Task.objects.filter(status=STATUS.SCHEDULED).update(scheduled=timezone.now())
    scheduler_tick()
    holder = PostAssignment.objects.filter(
        status="on_post", member__household__grid__code="G01"
    ).first()
    # A term ends after its last day: yesterday's, never today's (on the 1st, the month's start).
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    PostAssignment.objects.filter(pk=holder.pk).update(end_date=yesterday)
    scheduler_tick()  # the term ends: a vacated-post task for the first grid
    paired = Pairing.objects.filter(helper=users["helper"]).order_by("household__number").first()
    visit_record(
        actor=users["helper"], household=paired.household, date=timezone.localdate(),
        mode="home", thinking_stable=True, policy_understood=True, life_happy=True,
        industry_developing=True, problems_solved=False, request=RequestDraft(matter="路灯坏了"),
    )  # fmt: skip
    casefile_batch_request(actor=users["manager"], site=paired.household.grid.site)
    # The manager's own import (the status page is theirs alone).
    LedgerImport.objects.create(requested_by=users["manager"], original_name="台账.xlsx")
    # A month of work of the first grid's paired household (the demo enters none).
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    MonthlyWorkRecord.objects.create(
        member=paired.household.members.order_by("pk").first(), household=paired.household,
        grid=paired.household.grid,
        month=last_month.replace(day=1), working=False, not_working_reason="care",
        recorded_by=users["caseworker1"], recorded_at=timezone.now(),
    )  # fmt: skip
    other_site, _grids = factories.site_with_grids(users["admin"], "Z", 1)
    _client, token = api_client_create(
        actor=users["admin"], name="外地系统", site=other_site, access="write", personal_data=True
    )
    users["system_other_site"] = token
    return users, paired


def samples(route: str, users, paired) -> dict[str, object]:
    household = paired.household
    values: dict[str, object] = {
        "member_pk": household.members.order_by("pk").first().pk,
        "pairing_pk": paired.pk,
        "household_pk": household.pk,
        "user_pk": users["trainer"].pk,
        "uidb64": "MQ",
        "token": "set-password",
        "app_label": "registry",
        "object_id": household.pk,
        "id": household.pk,
        "content_type_id": ContentType.objects.get_for_model(Household).pk,
        "url": "nowhere/",
        "batch_pk": CaseFileBatch.objects.order_by("pk").first().pk,
        "import_pk": LedgerImport.objects.order_by("pk").first().pk,
        "key": "training.attendance_threshold",  # a policy parameter (manage/policy/)
        "list_name": "channel",  # a code list (manage/codes/)
        # The paired household's grid and site, and a month of the monthly work records
        # (monitoring): the last one, open to entry.
        "grid_pk": household.grid_id,
        "site_pk": household.grid.site_id,
        "month": f"{(timezone.localdate().replace(day=1) - datetime.timedelta(days=1)):%Y-%m}",
    }
    admin_object = re.match(r"admin/(\w+)/(\w+)/<(?:path:object_id|id)>/", route)
    if admin_object:  # an existing row of that very model, so both databases agree
        model = apps.get_model(*admin_object.groups())
        first = model.objects.order_by("pk").first()
        values["object_id"] = values["id"] = first.pk if first else 0
    if route.startswith("training/"):
        values["pk"] = Course.objects.first().pk
    elif route.startswith("placement/post/"):  # the demo's post, a holder, last month
        post = WelfarePost.objects.order_by("pk").first()
        holder = post.assignments.filter(status="on_post").order_by("pk").first()
        last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        values.update(
            pk=post.pk, assignment_pk=holder.pk, year=last_month.year, month=last_month.month
        )
    elif route.startswith("placement/"):
        values["pk"] = Employer.objects.first().pk
    elif route.startswith("manage/pairings/"):  # a pairing of the first grid
        values["pk"] = paired.pk
    elif route.startswith("manage/codes/"):  # a code of that list
        values["pk"] = Code.objects.filter(list_name="channel").order_by("pk").first().pk
    elif route.startswith("notices/"):  # the public notice of the first grid's post holder
        values["pk"] = first_grid_notice().pk
    elif route.startswith("gs/"):  # the same notice's public page
        values["token"] = str(first_grid_notice().token)
    elif route.startswith("monitoring/"):  # the demo's monitored household in review
        values["pk"] = MonitoredHousehold.objects.filter(status="proposed").get().pk
    elif route.startswith("logins/users/"):  # a user's page: the trainer, on either database
        values["pk"] = users["trainer"].pk
    elif route.startswith("api/v1/members/"):  # the paired household's head
        values["pk"] = values["member_pk"]
    elif route.startswith("api/v1/visits/"):  # the helper's visit to the paired household
        values["pk"] = household.visits.order_by("pk").first().pk
    elif route.startswith(tuple(API_ROWS)):  # a row of the first grid (or the demo's)
        values["pk"] = api_sample(route)
    elif route.startswith("api/v1/tasks/"):  # an open task of the first grid
        values["pk"] = (
            Task.objects.filter(
                status__in=[STATUS.NEW, STATUS.ASSIGNED],
                **{f"process__{FIRST_GRID_HOUSEHOLDS}": "G01"},
            )
            .order_by("pk")
            .first()
            .pk
        )
    elif route.startswith("manage/"):  # administration: a row of the demo site
        values.update(administration_samples(route, users, household))
    else:
        values["pk"] = household.pk
    admin_pk = re.match(r"admin/(\w+)/(\w+)/<int:pk>/", route)
    if admin_pk:  # e.g. a TOTP device's QR page: a row of that model (the enrolment pages
        # visited before made the devices), whatever numbers the database's sequences gave
        first = apps.get_model(*admin_pk.groups()).objects.order_by("pk").first()
        values["pk"] = first.pk if first else 0
    return values


G01 = "G01"
API_ROWS = {
    "api/v1/cases/": (EmploymentCase, "member__household__grid__code"),
    "api/v1/placements/": (Placement, "member__household__grid__code"),
    "api/v1/courses/": (Course, None),
    "api/v1/enrolments/": (Enrolment, "member__household__grid__code"),
    "api/v1/work-months/": (MonthlyWorkRecord, "grid__code"),
    "api/v1/monitoring/": (MonitoredHousehold, "household__grid__code"),
    "api/v1/ledger-imports/": (LedgerImport, None),  # the manager's own
}


def api_sample(route: str) -> int:
    prefix = next(prefix for prefix in API_ROWS if route.startswith(prefix))
    model, in_grid = API_ROWS[prefix]
    rows = model.objects.filter(**({in_grid: G01} if in_grid else {})).order_by("pk")
    return rows.first().pk


def first_grid_notice() -> PublicNotice:
    return PublicNotice.objects.filter(household__grid__code="G01").order_by("pk").first()


def administration_samples(route: str, users, household) -> dict[str, object]:
    """系统管理's pages: the first grid's site and grid, the second grid's caseworker (the
    manager's to administer), the demo course, the demo county."""
    grid = household.grid
    pks = {
        "manage/regions/": Region.objects.filter(level="county").order_by("pk").first().pk,
        "manage/sites/": grid.site_id,
        "manage/grids/": grid.pk,
        "manage/users/": users["caseworker2"].pk,
        "manage/courses/": Course.objects.order_by("pk").first().pk,
        # Ending a substitution is a POST-only button: no substitution exists in the demo.
        "manage/staff/substitutions/": 0,
    }
    county = Region.objects.filter(level="county").order_by("pk").first().pk
    values: dict[str, object] = {
        "grid_pk": grid.pk, "site_pk": grid.site_id, "leader_pk": 0, "county_pk": county,
    }  # fmt: skip
    for prefix, pk in pks.items():
        if route.startswith(prefix):
            values["pk"] = pk
    return values


FIRST_GRID_HOUSEHOLDS = "householdprocess__household_case__household__grid__code"


def process_and_task(route: str, pattern) -> tuple[int, int] | None:
    """A process of the first grid for the flow of ``route``, and a task of the route's node."""
    if route.startswith("workflow/undo/"):  # any step of the first grid (POST only)
        task = Task.objects.filter(**{f"process__{FIRST_GRID_HOUSEHOLDS}": "G01"}).order_by("pk")
        return task.first().process_id, task.first().pk
    match = re.match(r"workflow/flows/(\w+)/", route)
    if not match or "<int:process_pk>" not in route:
        return None
    flow_label = match.group(1)
    flows = {
        "household": "householdprocess__household_case__household",
        "employment": "employmentprocess__case__member__household",
        "memberassessment": "memberassessmentprocess__member__household",
        "postvacancy": "postvacancyprocess__vacancy__vacated_by__member__household",
        "servicerequest": "servicerequestprocess__service_request__household",
        "riskelimination": "riskeliminationprocess__proposal__monitored__household",
    }
    in_grid = {f"process__{flows[flow_label]}__grid__code": "G01"}
    node = re.search(r"/(\w+)/<int:task_pk>", route)
    tasks = Task.objects.filter(**in_grid).order_by("pk")
    task = tasks.filter(flow_task__endswith=f".{node.group(1)}").first() if node else None
    # The flow's own tasks (postvacancy → PostVacancyFlow: the label's case differs).
    task = task or tasks.filter(process__flow_class__iendswith=f"{flow_label}Flow").first()
    if task is None:
        process = (
            Process.objects.filter(**{k.replace("process__", "", 1): v for k, v in in_grid.items()})
            .order_by("pk")
            .first()
        )
        task = Task.objects.filter(process=process).order_by("pk").first()
    return task.process_id, task.pk


def outcome(response) -> str:
    if response.status_code in (301, 302):
        where = response["Location"]
        to_login = where.startswith(("/accounts/login/", "/admin/login/"))
        return "302:login" if to_login else "302"
    return str(response.status_code)


def test_every_url_pattern_for_every_persona(site_world):
    users, paired = site_world
    patterns = url_patterns()
    results: dict[tuple[str, str], str] = {}
    for persona in PERSONAS:
        client = Client()
        if persona == "system_other_site":
            client = Client(headers={"authorization": f"Bearer {users[persona]}"})
        elif persona != "anonymous":
            client.force_login(users[persona])
        for route, pattern in patterns:
            values = samples(route, users, paired)
            ids = process_and_task(route, pattern)
            if ids:
                values["process_pk"], values["task_pk"] = ids
            response = client.get(fill(route, values))
            results[(key(route, pattern), persona)] = outcome(response)
    assert len({label for label, _p in results}) == len(patterns)  # every pattern visited

    lines = [f"{key(route, p)}\t{persona}\t{results[(key(route, p), persona)]}"
             for route, p in patterns for persona in PERSONAS]  # fmt: skip
    if os.environ.get("RECORD_PERMISSION_MATRIX"):
        TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = TABLE.read_text(encoding="utf-8").splitlines()
    assert len(expected) == len(patterns) * len(PERSONAS)
    differences = sorted(set(lines) ^ set(expected))
    assert differences == []

    # Invariants, whatever the table says.
    public = (
        "accounts/login/", "accounts/password_reset/", "accounts/reset/", "i18n/",
        "admin/login/", "admin/logout/", "jsi18n/",
        "gs/",  # a public notice's page, for whoever scans the board's QR code
    )  # fmt: skip
    for (label, persona), result in results.items():
        route = label.split(" [")[0].lstrip("/")
        if persona == "anonymous" and route.startswith("api/"):
            assert result == "401", (route, result)  # an API answers, it does not redirect
        elif persona == "anonymous" and not route.startswith(public):
            assert result in ("302:login", "405"), (route, result)
        if persona == "system_other_site":
            # Its token opens the API only, and there nothing of the demo site.
            if not route.startswith("api/") and not route.startswith(public):
                assert result in ("302:login", "405"), (route, result)
            if route.startswith("api/") and "<int:" in route:
                assert result in ("404", "405"), (route, result)  # 405: a POST-only action
        if persona in OUTSIDERS and "<int:" in route and result == "200":
            # A page about a particular object: never one of the first grid's households.
            assert not route.startswith(("registry/", "pairing/", "workflow/flows/")), (
                route, persona,
            )  # fmt: skip
