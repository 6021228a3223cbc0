"""A flow's own pages, scoped to the user's jurisdiction: its process list (counted and paged
from the scope keys), a process's page (404 outside the jurisdiction) and the flow's index,
which is the process list (viewflow's kanban is not scoped)."""

from typing import Any

from django.contrib.admin import display
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import RedirectView
from viewflow.workflow.flow.views import DashboardProcessListView, DetailProcessView
from viewflow.workflow.status import PROCESS

from casework.audit.people import people_labels
from casework.common.cells import list_cell
from casework.common.paging import KeyedRows

from . import subjects
from .scoping import flow_processes_newest_first, in_scope
from .undo import undoable_tasks

# A process's state in words of a case: viewflow names a running process as it names a step
# nobody has taken yet ("New", 待认领).
PROCESS_STATES = {
    PROCESS.NEW: pgettext_lazy("process", "In progress"),
    PROCESS.DONE: pgettext_lazy("process", "Finished"),
    PROCESS.CANCELED: pgettext_lazy("process", "Cancelled"),
}


def process_state(process: Any) -> str:
    return str(PROCESS_STATES.get(process.status, process.get_status_display()))


class ProcessListView(DashboardProcessListView):
    """Each cell marked for the phone layout, as the task lists are: on a phone a process is a
    card, its number on a line of its own, every other cell whole under its label."""

    columns = ("process_link", "household", "member", "state", "started_on")
    filterset_class = None

    @display(description=_("#"))
    def process_link(self, process: Any) -> str:
        url = self.request.resolver_match.flow_viewset.reverse("process_detail", args=[process.pk])
        return list_cell("task", format_html('<a href="{}">#{}</a>', url, process.pk))

    @display(description=_("Household"))
    def household(self, process: Any) -> str:
        return list_cell("household", process.wf_household, _("Household"))

    @display(description=_("Member"))
    def member(self, process: Any) -> str:
        return list_cell("member", process.wf_member, _("Member"))

    @display(description=_("Status"))
    def state(self, process: Any) -> str:
        return list_cell("state", process_state(process), _("Status"))

    @display(description=_("Created"))
    def started_on(self, process: Any) -> str:
        text = date_format(timezone.localtime(process.created), "Y-m-d H:i")
        return list_cell("started", text, _("Created"))

    def get_queryset(self) -> KeyedRows:
        """The flow's processes in the user's jurisdiction, newest first: counted and paged
        from the scope keys' index, then the page's 25 processes read with their subject."""
        keys = flow_processes_newest_first(self.request.user, self.flow_class)
        rows = self.flow_class.process_class.objects.annotate(**subjects.subject_annotations())
        return KeyedRows(keys, rows)


class ProcessDetailView(DetailProcessView):
    """404 for a process outside the user's jurisdiction."""

    template_name = "workflows/process_detail.html"

    def get_queryset(self) -> QuerySet:
        processes = self.flow_class.process_class.objects.filter(flow_class=self.flow_class)
        return in_scope(processes, self.request.user, "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        tasks = list(
            context["process"]
            .task_set.select_related("owner", "deadline")
            .order_by("created", "pk")
        )
        owners = people_labels({task.owner for task in tasks if task.owner_id})
        for task in tasks:  # people by name (one query for them all), not by login
            task.owner_label = owners.get(task.owner_id, "")
        context["task_list"] = tasks
        context["now"] = timezone.now()
        context["process_state"] = process_state(context["process"])
        done = [task for task in context["task_list"] if task.status == "DONE"]
        context["undoable"] = undoable_tasks(self.request.user, done)
        context.update(subjects.subject_context(context["process"]))
        return context


class FlowIndexView(RedirectView):
    """A flow's index is its (scoped) process list; viewflow's kanban is not scoped."""

    flow_class = None
    viewset = None

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        if self.viewset is None:
            raise Http404
        return self.viewset.reverse("process_list")
