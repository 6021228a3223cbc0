"""The workflow app: inbox, queue, archive, overdue list and per-flow lists, all scoped to the
user's jurisdiction (viewflow's own lists show every process; reference/viewflow.md §2.3)."""

import datetime
from typing import Any

import django_filters
from django.contrib.admin import display
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from viewflow.utils import viewprop
from viewflow.views import ListModelView
from viewflow.workflow.flow import FlowViewset, WorkflowAppViewset
from viewflow.workflow.flow.views import (
    DashboardTaskListView,
    WorkflowArchiveListView,
    WorkflowInboxListView,
    WorkflowQueueListView,
)
from viewflow.workflow.flow.views.mixins import StoreRequestPathMixin
from viewflow.workflow.models import Task

from casework import permissions
from casework.audit.people import people_labels
from casework.common.cells import list_cell
from casework.common.paging import BadgeCount, BoundedPaginator
from casework.permissions import PersonalData

from .flows import FLOWS
from .list_actions import BulkColumns, StepUndoView, TasksBulkView
from .notice_views import NotificationOpenView, NotificationsReadView, NotificationsView
from .process_views import FlowIndexView, ProcessDetailView, ProcessListView
from .scoping import in_scope, overdue_deadlines_in_scope, overdue_in_scope
from .selectors import (
    archive_of,
    due_first,
    inbox_of,
    inbox_tasks,
    queue_of,
    queue_tasks,
    tasks_of_flows,
    with_subject,
)
from .services import OPEN_STATUSES


def _node_choices() -> list[tuple[str, str]]:
    from viewflow.workflow.fields import get_task_ref

    return [
        (get_task_ref(node), f"{flow_class.process_title} · {node.task_title}")
        for flow_class in FLOWS
        for node in flow_class.instance.nodes()
        if node.task_type == "HUMAN"
    ]


class TaskFilter(django_filters.FilterSet):
    """Filter by step (titles in the user's language) and due state; no process list in HTML."""

    flow_task = django_filters.ChoiceFilter(label=_("Task"), choices=_node_choices)
    overdue = django_filters.BooleanFilter(label=_("overdue"), method="filter_overdue")

    class Meta:
        model = Task
        fields = ["flow_task"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = Q(deadline__due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class SubjectColumns:
    """Columns shared by the task lists."""

    request: Any

    @display(description=_("Task"))
    def task_link(self, task: Task) -> str:
        url = task.flow_task.reverse("index", args=[task.process_id, task.pk])
        return list_cell("task", format_html('<a href="{}">{}</a>', url, task.flow_task.task_title))

    @display(description=_("Household"))
    def household(self, task: Task) -> str:
        return list_cell("household", task.wf_household)

    @display(description=_("Head of household"))
    def head(self, task: Task) -> str:
        """The head's name, their number masked, and tap-to-call (``registry:household:call``,
        which records the call and hands the number to the dialler)."""
        if not task.wf_head and not task.wf_phone:
            return list_cell("head", "")
        call = ""
        if task.wf_phone:
            call = format_html(
                '<span class="wf-cell__phone">{}</span><form class="wf-call" method="post" '
                'action="{}" data-turbo="false"><input type="hidden" name="csrfmiddlewaretoken" '
                'value="{}"><button class="mdc-button mdc-button--outlined wf-call__button" '
                'type="submit" data-test="call" title="{}"><i class="material-icons '
                'mdc-button__icon" aria-hidden="true">call</i><span class="mdc-button__label">'
                "{}</span></button></form>",
                PersonalData().phone(task.wf_phone),
                reverse("registry:household:call", args=[task.wf_household_id]),
                get_token(self.request),
                _("Call (recorded)"),
                _("Call"),
            )
        return list_cell(
            "head", format_html("{} {}", task.wf_head or "", call), _("Head of household")
        )

    @display(description=_("Member"))
    def member(self, task: Task) -> str:
        return list_cell("member", task.wf_member, _("Member"))

    @display(description=_("Due"))
    def due(self, task: Task) -> str:
        if task.wf_due is None:
            return list_cell("due", "")
        text = date_format(timezone.localtime(task.wf_due), "Y-m-d")
        if task.wf_due < timezone.now() and task.status in OPEN_STATUSES:
            text = format_html('<strong class="wf-overdue">{} · {}</strong>', text, _("overdue"))
        return list_cell("due", text, _("Due"))

    @display(description=_("Created"))
    def created_on(self, task: Task) -> str:
        return list_cell(
            "created", date_format(timezone.localtime(task.created), "Y-m-d"), _("Created")
        )


class LeanListMixin(BulkColumns, SubjectColumns):
    filterset_class = TaskFilter
    paginate_by = 25
    paginator_class = BoundedPaginator
    # viewflow's bulk-action bar has hard-coded English: ours is ``workflows.list_actions``.
    bulk_actions = ()
    offers_claim = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]  # viewflow's list view, next in the MRO
        if "select_box" in self.columns:  # type: ignore[attr-defined]  # the list view's columns
            bulk = self.bulk_context(claim=self.offers_claim)
            context["bulk"] = bulk if bulk["claim"] or bulk["assignees"] else None
        # Flows here start when a household is registered: the "+" button registers one.
        if permissions.may_register_households(self.request.user):
            context["start_url"] = reverse("registry:household:add")
        return context

    def scoped(self, tasks: QuerySet) -> QuerySet:
        return due_first(with_subject(in_scope(tasks, self.request.user)))


class InboxView(LeanListMixin, WorkflowInboxListView):
    columns = ("task_link", "household", "head", "member", "due", "created_on")

    @viewprop
    def queryset(self) -> QuerySet:
        return self.scoped(inbox_of(self.flow_classes, self.request.user))


class QueueView(LeanListMixin, WorkflowQueueListView):
    columns = (
        "select_box",
        "task_link",
        "household",
        "head",
        "member",
        "due",
        "created_on",
        "claim_and_do",
    )
    offers_claim = True

    @viewprop
    def queryset(self) -> QuerySet:
        return self.scoped(queue_of(self.flow_classes, self.request.user))


class ArchiveView(LeanListMixin, WorkflowArchiveListView):
    columns = ("task_link", "household", "member", "created_on", "finished_on")

    @display(description=_("Finished"))
    def finished_on(self, task: Task) -> str:
        text = date_format(timezone.localtime(task.finished), "Y-m-d") if task.finished else ""
        return list_cell("finished", text, _("Finished"))

    @viewprop
    def queryset(self) -> QuerySet:
        tasks = archive_of(self.flow_classes, self.request.user)
        return with_subject(in_scope(tasks, self.request.user)).order_by("-finished", "-pk")


class OverdueView(StoreRequestPathMixin, LeanListMixin, ListModelView):
    """Open tasks past their deadline in the user's jurisdiction (the manager's overdue list)."""

    model = Task
    title = _("Overdue tasks")
    template_name = "viewflow/workflow/workflow_tasks_list.html"
    viewset = None

    @property
    def columns(self) -> tuple[str, ...]:
        """Managers also get a checkbox per row, to hand tasks to a colleague."""
        shown = ("task_link", "household", "member", "owner_name", "due")
        if permissions.may_assign_tasks(self.request.user):
            return ("select_box", *shown)
        return shown

    @display(description=_("Owner"))
    def owner_name(self, task: Task) -> str:
        owner = self.owner_labels.get(task.owner_id, "") if task.owner_id else _("Unassigned")
        return list_cell("owner", owner, _("Owner"))

    owner_labels: dict[Any, str] = {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The people labels of the page's owners (already read with their rows): one query,
        not per row, and not over every overdue step of the jurisdiction."""
        context = super().get_context_data(**kwargs)
        owners = {task.owner_id: task.owner for task in context["object_list"] if task.owner_id}
        self.owner_labels = people_labels(owners.values())
        return context

    @viewprop
    def now(self) -> datetime.datetime:
        """The moment the list and its count are both read at."""
        return timezone.now()

    def get_paginator(self, queryset: Any, per_page: int, *args: Any, **kwargs: Any) -> Any:
        """Unfiltered, the overdue steps are counted from their deadlines alone (the grids'
        late entries in their index) instead of each step read again to check it is open and
        of a flow the user sees: a county has ten thousand of them. Filtered by step or due
        state (the page's filterset, set by ``get_queryset``), or for a user who may not view
        every flow, the list's own rows are counted."""
        filtered = self.filterset is not None and self.filterset.form.has_changed()
        if not filtered and all(f.instance.has_view_permission(self.request.user) for f in FLOWS):
            kwargs["counted"] = overdue_deadlines_in_scope(self.request.user, self.now)
        return super().get_paginator(queryset, per_page, *args, **kwargs)

    @viewprop
    def queryset(self) -> QuerySet:
        now = self.now
        # Only human steps have deadlines, so the join to them is the "human" condition; said
        # again on the step, it would match the open steps' partial index, and PostgreSQL would
        # hash every open step of the city against the grids' late deadlines instead of looking
        # up the few steps of those.
        tasks = (
            tasks_of_flows(FLOWS, self.request.user)
            .filter(status__in=OPEN_STATUSES, deadline__due_at__lt=now)
            .select_related("owner")
        )
        return due_first(with_subject(overdue_in_scope(tasks, self.request.user, now)))


class TaskListView(SubjectColumns, DashboardTaskListView):
    columns = ("task_link", "household", "member", "status", "due", "created_on")
    filterset_class = TaskFilter

    @viewprop
    def queryset(self) -> QuerySet:
        tasks = Task.objects.filter(process__flow_class=self.flow_class, flow_task_type="HUMAN")
        return due_first(with_subject(in_scope(tasks, self.request.user)))


class ScopedFlowViewset(FlowViewset):
    dashboard_view_class = FlowIndexView
    process_list_view_class = ProcessListView
    process_detail_view_class = ProcessDetailView
    task_list_view_class = TaskListView

    def get_context_data(self, request: HttpRequest) -> dict[str, Any]:
        """The menu's counts of this flow's inbox and queue, in the user's jurisdiction."""
        flows, user = [self._flow_class], request.user
        return {
            "user_inbox": BadgeCount(in_scope(inbox_of(flows, user), user)),
            "user_queue": BadgeCount(in_scope(queue_of(flows, user), user)),
        }


class CaseworkApp(WorkflowAppViewset):
    title = _("Casework")
    icon = "assignment"
    menu_template_name = "workflows/menu.html"
    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            flow_viewsets=[
                ScopedFlowViewset(flow_class, icon=flow_class.menu_icon) for flow_class in FLOWS
            ],
            **kwargs,
        )

    def get_context_data(self, request: HttpRequest) -> dict[str, Any]:
        """The menu's counts: the rows of the inbox and queue pages, in the user's
        jurisdiction, an index lookup on the scope keys (viewflow's own count every open task
        of the city)."""
        return {
            "user_inbox": BadgeCount(inbox_tasks(request.user)),
            "user_queue": BadgeCount(queue_tasks(request.user)),
        }

    @property
    def overdue_path(self) -> Any:
        return path("overdue/", OverdueView.as_view(viewset=self), name="overdue")

    @property
    def tasks_bulk_path(self) -> Any:
        return path("tasks/bulk/", TasksBulkView.as_view(viewset=self), name="tasks_bulk")

    @property
    def step_undo_path(self) -> Any:
        return path(
            "undo/<int:process_pk>/<int:task_pk>/",
            StepUndoView.as_view(viewset=self),
            name="step_undo",
        )

    @property
    def notifications_path(self) -> Any:
        return path("notifications/", NotificationsView.as_view(viewset=self), name="notifications")

    @property
    def notification_open_path(self) -> Any:
        return path(
            "notifications/<int:pk>/open/",
            NotificationOpenView.as_view(viewset=self),
            name="notification_open",
        )

    @property
    def notifications_read_path(self) -> Any:
        return path(
            "notifications/read/",
            NotificationsReadView.as_view(viewset=self),
            name="notifications_read",
        )
