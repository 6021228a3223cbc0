"""The user's notifications: the list, opening one (read, then on to its task), and reading
them all. Reading is a POST: a link that a browser or Turbo prefetches must not mark anything."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import generic
from viewflow.utils import viewprop
from viewflow.views import ListModelView
from viewflow.workflow.flow.views.mixins import StoreRequestPathMixin

from casework.common.requests import AuthenticatedRequest

from . import notices
from .models import Notification
from .selectors import unread_notifications


class NotificationsView(StoreRequestPathMixin, ListModelView):
    """The user's notifications, newest first; each opens with a POST (its template)."""

    request: AuthenticatedRequest
    model = Notification
    title = _("Notifications")
    template_name = "workflows/notifications.html"
    paginate_by = 25
    viewset: Any = None

    @viewprop
    def queryset(self) -> QuerySet:
        return Notification.objects.filter(recipient=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["unread_count"] = unread_notifications(self.request.user).count()
        return context


class NotificationOpenView(generic.View):
    """Mark the notification read and go to its task (back to the list when it has none)."""

    http_method_names = ["post"]
    viewset: Any = None

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        notice = get_object_or_404(
            Notification.objects.select_related("task"), pk=pk, recipient=request.user
        )
        notices.notification_read(actor=request.user, notification=notice)
        if notice.task is not None:
            task = notice.task
            return HttpResponseRedirect(
                task.flow_task.reverse("index", args=[task.process_id, task.pk])
            )
        return HttpResponseRedirect(self.viewset.reverse("notifications"))


class NotificationsReadView(generic.View):
    """Mark every unread notification of the user read."""

    http_method_names = ["post"]
    viewset: Any = None

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        count = notices.notifications_read_all(actor=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
            fail_silently=True,
        )
        return HttpResponseRedirect(self.viewset.reverse("notifications"))
