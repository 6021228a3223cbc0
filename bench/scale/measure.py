"""What is measured on a built tier: pages through ``django.test.Client`` with a logged-in
session, viewflow's stock queue and inbox beside ours, completions of a placement step through
the service against a bare transaction writing the same rows, a ledger import against a bare
read and bulk insert, and ``audit_verify``'s walk of the chain."""

import time
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group, User
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.test import Client
from django.test.client import RequestFactory
from django.urls import resolve
from django.utils import timezone
from viewflow.workflow.flow.views.list import WorkflowInboxListView, WorkflowQueueListView
from viewflow.workflow.models import Task

from casework.audit.models import AuditEvent
from casework.audit.verify import verify_chain
from casework.cases.models import EmploymentCase
from casework.permissions import jurisdiction_of, roles
from casework.placement import services as placement_services
from casework.placement.models import Placement
from casework.registry import services
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.models import EmploymentProcess, HouseholdProcess, TaskDeadline
from workflows.services import task_complete
from workflows.subjects import subject_context

from . import imports, together
from .flows import DONE, SCHEDULED, Context
from .names import USERS
from .rows import Chain, Ids, sequences_reset
from .structure import Structure

OPEN = ("NEW", "ASSIGNED")
SLUG = {HouseholdFlow: "household", EmploymentFlow: "employment"}
MOVED = {"tasks": Task, "links": Task.previous.through, "deadlines": TaskDeadline,
         "events": AuditEvent, "placements": Placement}  # fmt: skip


def _task_url(task: Task) -> str:
    flow = SLUG[task.flow_task.flow_class]
    return f"/workflow/flows/{flow}/{task.process_id}/{task.flow_task.name}/{task.pk}/"


class Bench:
    """The measurements of one built tier."""

    def __init__(self, tier: str, built: Structure) -> None:
        self.tier, self.built = tier, built
        self.clients: dict[str, Client] = {}
        for name in USERS:
            self.clients[name] = Client()
            self.clients[name].force_login(built.users[name])
        self.urls = {name: self._urls(name) for name in USERS}

    def _open_task(self, name: str) -> Task | None:
        """An open step of the user's: their own (its form) or, for the county user who holds
        none, one in the last site of their county."""
        grid, site = self.built.grids[0][0], self.built.sites[0]
        if name == "county":
            site = [s for s in self.built.sites if s.county_id == site.county_id][-1]
        if name == "caseworker":
            processes = EmploymentProcess.objects.filter(case__member__household__grid=grid)
            node = EmploymentFlow.placement
        else:
            processes = HouseholdProcess.objects.filter(household_case__household__grid__site=site)
            node = HouseholdFlow.review
        found = Task.objects.filter(process__in=processes.values("pk"), flow_task=node)
        own = found.filter(status="ASSIGNED", owner=self.built.users[name]).order_by("pk").first()
        return own or found.filter(status__in=OPEN).order_by("pk").first()

    def _urls(self, name: str) -> dict[str, str]:
        task = self._open_task(name)
        urls = {
            "workbench": "/home/", "inbox": "/workflow/inbox/", "queue": "/workflow/queue/",
            "process list": "/workflow/flows/household/flows/", "overdue": "/workflow/overdue/",
            "household list": "/registry/household/", "dashboard": "/dashboard/",
        }  # fmt: skip
        if name == "caseworker":
            del urls["dashboard"]  # a manager's page
        if task is not None:
            process = task.process
            household = _household_of(process)
            head = household.members.order_by("pk").first()
            urls["process"] = _task_url(task).rsplit("/", 3)[0] + "/"
            urls["task"] = _task_url(task) + ("execute/" if task.owner_id else "detail/")
            urls["household"] = f"/registry/household/{household.pk}/"
            urls["search"] = f"/registry/household/?_search={head.name if head else ''}"
        return urls

    def targets(self) -> dict[str, dict[str, str]]:
        return self.urls

    def time(self, page: str, user: str) -> dict[str, Any]:
        url = self.urls[user].get(page)
        if url is None:
            return {"ms": None, "status": 0, "to": None}
        began = time.perf_counter()
        response = self.clients[user].get(url)
        elapsed = (time.perf_counter() - began) * 1000
        return {"ms": elapsed, "status": response.status_code, "to": response.get("Location")}

    def stock(self, user: str, repeat: int) -> dict[str, Any]:
        """viewflow's stock queue and inbox querysets against ours, for the same user, each
        counted and its first page read as the list pages do (25 rows)."""
        request = RequestFactory().get("/workflow/queue/")
        request.user = self.built.users[user]
        times: dict[str, list[float]] = {}
        for page, stock_class in (("queue", WorkflowQueueListView),
                                  ("inbox", WorkflowInboxListView)):  # fmt: skip
            match = resolve(f"/workflow/{page}/")
            kwargs = match.func.view_initkwargs
            ours = match.func.view_class(**kwargs)
            stock = stock_class(**kwargs)
            for view in (ours, stock):
                view.setup(request)
            # The stock page without its bulk-action bar: the bar's URLs (viewflow's
            # tasks_assign/tasks_unassign) are not mounted here, and it reads nothing.
            stock_page = type(stock_class.__name__, (stock_class,), {"bulk_actions": ()})
            pages = {
                f"{page} ours page": match.func,
                f"{page} stock page": stock_page.as_view(**kwargs),
            }
            for _round in range(repeat):
                for label, view in ((f"{page} ours", ours), (f"{page} stock", stock)):
                    began = time.perf_counter()
                    paged = Paginator(view.queryset.order_by("-created", "-pk"), 25).page(1)
                    rows = len(list(paged.object_list))
                    times.setdefault(label, []).append((time.perf_counter() - began) * 1000)
                    times.setdefault(f"{label} rows", [paged.paginator.count, rows])
                for label, page_view in pages.items():
                    # A fresh user object, as each request has: nothing cached on it from the
                    # rounds before (jurisdiction, roles, object permissions).
                    fresh = type(request.user).objects.get(pk=request.user.pk)
                    began = time.perf_counter()
                    _rendered(page_view, f"/workflow/{page}/", match, fresh)
                    times.setdefault(label, []).append((time.perf_counter() - began) * 1000)
        return dict(times)

    def complete(self, count: int) -> dict[str, Any]:
        """``count`` placement steps done through ``task_complete`` + ``placement_record`` (what
        the step's page calls), ``count`` others by a bare transaction writing the rows the
        service wrote (counted), and ``count`` more over HTTP as the caseworker does them (the
        queue's take, then the step's form posted): per completion, milliseconds. One more of
        each is done first and not counted (a warm-up: the first of a kind reads what later
        ones find cached).

        The steps are the caseworker's, in their grid, while it has enough open ones left. A
        kept tier measured again (``--reuse``) uses them up: the steps are then a later grid's,
        done by a caseworker of that grid (``{tier}_completer``, granted it here), so that the
        caseworker whose pages are timed keeps the grid and the caseload they had."""
        worker, tasks = self._completion_steps(3 * (count + 1))
        count = len(tasks) // 3
        before = {name: model._base_manager.count() for name, model in MOVED.items()}
        service = []
        for task in tasks[:count]:
            # The case as the step's page has it before calling the services: with its member,
            # household, grid and site (read with the process, one query, not timed).
            case = subject_context(task.process)["case"]
            began = time.perf_counter()
            task_complete(
                task=task, actor=worker, perform=lambda case=case: _placement(worker, case)
            )
            service.append((time.perf_counter() - began) * 1000)
        moved = {
            name: (model._base_manager.count() - before[name]) / max(count, 1)
            for name, model in MOVED.items()
        }
        ids = Ids()
        bare = [
            self._bare(task, worker, round(moved["events"]), ids)
            for task in tasks[count : 2 * count]
        ]
        sequences_reset(MOVED.values())
        client = self.clients["caseworker"]
        if worker != self.built.users["caseworker"]:
            client = Client()
            client.force_login(worker)
        http = [self._http(task, client) for task in tasks[2 * count : 3 * count]]
        return {"service": service[1:], "bare": bare[1:], "http": http[1:], "rows": moved}

    def complete_together(self, workers: int, count: int) -> dict[str, Any]:
        return together.completions_together(self, workers, count)

    def _completion_steps(self, wanted: int) -> tuple[Any, list[Task]]:
        """A caseworker and ``wanted`` open placement steps of their grid that no other bench
        user holds: the bench's caseworker's own grid first, else the first grid with enough."""
        own = self.built.grids[0][0]
        tasks = self._open_placements(own, wanted)
        if len(tasks) == wanted:
            return self.built.users["caseworker"], tasks
        for grid, _households in self.built.grids[1:]:
            tasks = self._open_placements(grid, wanted)
            if len(tasks) == wanted:
                return self._completer(grid), tasks
        raise RuntimeError(f"no grid of the {self.tier} tier has {wanted} open placement steps")

    def _open_placements(self, grid: Any, wanted: int) -> list[Task]:
        others = [user for name, user in self.built.users.items() if name != "caseworker"]
        processes = EmploymentProcess.objects.filter(case__member__household__grid=grid)
        return list(
            Task.objects.filter(
                process__in=processes.values("pk"), flow_task=EmploymentFlow.placement,
                status__in=OPEN,
            ).exclude(owner__in=others).order_by("pk")[:wanted]
        )  # fmt: skip

    def _completer(self, grid: Any) -> Any:
        """``{tier}_completer``, a caseworker of ``grid`` (granted it now if not yet)."""
        worker, _made = User.objects.get_or_create(username=f"{self.tier}_completer")
        worker.groups.add(Group.objects.get(name=roles.CASEWORKER))
        if grid.pk not in jurisdiction_of(worker).grid_ids:
            services.jurisdiction_grant_grid(actor=None, user=worker, grid=grid)
        return User.objects.get(pk=worker.pk)  # no jurisdiction cached from before the grant

    def _http(self, task: Task, client: Client) -> float:
        """One placement step done through its pages: the take (a POST, when the step is free)
        and the step's form (a POST, redirected on success), timed together."""
        began = time.perf_counter()
        if task.status == "NEW":
            response = client.post(_task_url(task) + "assign/")
            assert response.status_code == 302, ("assign", response.status_code)
        data = {**_placement_fields(), **JOB, "organised_transport": "no", "outcome": "placed"}
        data = {key: str(value) for key, value in data.items()}
        response = client.post(_task_url(task) + "execute/", data)
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 302, ("execute", response.status_code)
        return elapsed

    def _bare(self, task: Task, worker: Any, events: int, ids: Ids) -> float:
        household = _household_of(task.process)
        began = time.perf_counter()
        with transaction.atomic():
            now = timezone.now()
            ctx = Context(
                ids=ids, chain=Chain(ids), users=self.built.users, grid_one=household.grid_id,
                site_one=household.grid.site_id, now=now,
            )  # fmt: skip
            Task.objects.filter(pk=task.pk).update(
                status=DONE, owner=worker, assigned=now, started=now, finished=now
            )
            TaskDeadline.objects.filter(task_id=task.pk).update(open_grid=None)  # closed
            case = EmploymentCase.objects.get(process__pk=task.process_id)
            EmploymentCase.objects.filter(pk=case.pk).update(
                state="employed", working_since=now.date(), work_episode=F("work_episode") + 1
            )
            placement = Placement.objects.create(
                **_placement_fields(), member_id=case.member_id, case=case, recorded_by=worker
            )
            steps = [(EmploymentFlow.route, DONE), (EmploymentFlow.wait_followup, SCHEDULED)]
            ctx.steps(task.process_id, household, task.pk, steps)
            ctx.chain.households_read([household.pk])
            for _n in range(events):
                changes = {"channel": [None, "workshop"]}
                ctx.chain.add(
                    "placement.create", "placement.placement", placement.pk, household.pk,
                    changes, now, worker,
                )  # fmt: skip
            ctx.flush()
            ctx.chain.flush()
        return (time.perf_counter() - began) * 1000

    def import_ledger(self, households: int) -> dict[str, Any]:
        return imports.import_against_bare(households)

    def verify(self) -> dict[str, Any]:
        began = time.perf_counter()
        result = verify_chain()
        return {"events": result.checked, "seconds": time.perf_counter() - began,
                "ok": result.ok}  # fmt: skip


def _rendered(view: Any, url: str, match: Any, user: Any) -> Any:
    """The whole page of a list view, rendered, for ``user``: the same request for viewflow's
    stock view and ours (a session and messages, no middleware), through the view function."""
    request = RequestFactory().get(url)
    request.user, request.resolver_match = user, match
    request.session = SessionStore()
    request._messages = default_storage(request)
    response = view(request)
    if hasattr(response, "render"):
        response.render()
    assert response.status_code == 200, (url, response.status_code)
    return response


def _household_of(process: Any) -> Any:
    process = process.flow_class.process_class._default_manager.get(pk=process.pk)
    if hasattr(process, "household_case"):
        return process.household_case.household
    return process.case.member.household


# The employer of every measured placement, through the service and through the page.
JOB = {"employer_name": "县城社区工厂", "industry": "制造业"}


def _placement_fields() -> dict[str, Any]:
    return {
        "channel": "workshop", "start_date": timezone.localdate(), "location_class": "county",
        "monthly_income": Decimal("2600"),
    }  # fmt: skip


def _placement(worker: Any, case: EmploymentCase) -> Any:
    return placement_services.placement_record(
        actor=worker, case=case, organised_transport=False, accept_warnings=True,
        **_placement_fields(), **JOB,
    )  # fmt: skip
