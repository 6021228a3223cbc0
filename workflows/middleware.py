"""Guards for every workflow URL that names a process or task."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task

from casework import permissions

from .scoping import process_visible, task_visible


class WorkflowScopeMiddleware:
    """404 for a process outside the user's jurisdiction, or a task that is not of the process
    in the URL (viewflow locks the URL's process but loads the task by its own pk).

    A request that loses a race — the task was taken or finished meanwhile, or its process is
    locked — gets a 409 page that says so instead of a bare 403 or a 500.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        process_pk = kwargs.get("process_pk")
        if process_pk is None or not request.user.is_authenticated:
            return None
        task_pk = kwargs.get("task_pk")
        if task_pk is not None and task_visible(request.user, process_pk, task_pk):
            return None  # a step's page: both checks in one query
        if not process_visible(request.user, process_pk):
            raise Http404(_("No such case in your jurisdiction."))
        if task_pk is not None:
            raise Http404(_("No such task in this case."))
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or "task_pk" not in match.kwargs:
            return None
        if isinstance(exception, FlowLockFailed):
            message = _("Someone else is working on this case right now. Try again in a moment.")
            return self._conflict(request, message)
        if request.method == "POST" and isinstance(exception, PermissionDenied):
            task = Task.objects.filter(pk=match.kwargs["task_pk"]).select_related("owner").first()
            if task is None:
                return None
            if task.owner_id and task.owner_id != request.user.pk:
                message = _("This task has already been taken by %(user)s.") % {
                    "user": task.owner.get_username()
                }
                return self._conflict(request, message, task)
            if task.finished is not None:
                return self._conflict(request, _("This task has already been completed."), task)
        return None

    def _conflict(self, request: HttpRequest, message: str, task: Task | None = None) -> Any:
        response = TemplateResponse(
            request, "workflows/conflict.html", {"message": message, "task": task}, status=409
        )
        return response.render()


class ObjectPermissionCacheMiddleware:
    """Load the user's guardian object permissions in one query on workflow pages
    (``permissions.object_grants``, which the queue's own condition reads too).

    viewflow's queue builds the same set with two queries *per permission row* unless this
    private attribute is present (reference/viewflow.md §8.2); a test guards the name.
    """

    CACHE_ATTRIBUTE = "_viewflow_per_object_perm_cache"

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        user = request.user
        match = request.resolver_match
        if not user.is_authenticated or user.is_superuser or match is None:
            return None
        if "workflow" not in match.namespaces:
            return None
        grants = permissions.object_grants(user)
        keys = {f"{perm}_{pk}" for perm, pks in grants.items() for pk in pks}
        setattr(user, self.CACHE_ATTRIBUTE, keys)
        return None
