"""What the task lists let people do without opening each task: claim several, hand several to
a colleague (one POST form, ``TasksBulkView``), and claim-and-do one task from its row; and
undoing one's own step from the process page (``StepUndoView``).

The list templates keep only the form wrapper (``workflows/includes/bulk_form.html``); each
row's checkbox and button are columns rendered here and tied to the form by its id, so a card
layout can show the same cells.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin import display
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task

from casework import permissions
from casework.common.requests import AuthenticatedRequest

from . import claims, undo

BULK_FORM_ID = "wf-bulk"
CLAIM, ASSIGN = "claim", "assign"


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[(CLAIM, CLAIM), (ASSIGN, ASSIGN)])
    tasks = forms.TypedMultipleChoiceField(coerce=int, required=False)
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The pks are checked by the services, task by task; any number is accepted here.
        self.fields["tasks"].valid_value = lambda value: str(value).isdigit()  # type: ignore[attr-defined]  # Django's own hook, replaced per form
        self.fields["assignee"].queryset = permissions.task_assignees_for(user)  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == ASSIGN and not data.get("assignee"):
            self.add_error("assignee", _("Choose the colleague to hand the tasks to."))
        return data


class TasksBulkView(generic.View):
    """POST only: claim the ticked tasks, or hand them to a colleague; then back to the list
    with one sentence saying what happened to each."""

    request: AuthenticatedRequest
    http_method_names = ["post"]
    viewset: Any = None

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = BulkForm(request.POST, user=request.user)
        back = self._back()
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return HttpResponseRedirect(back)
        task_pks = form.cleaned_data["tasks"]
        if not task_pks:
            messages.warning(request, _("Tick the tasks first."))
            return HttpResponseRedirect(back)
        try:
            if form.cleaned_data["action"] == CLAIM:
                outcome = claims.tasks_claim(actor=request.user, task_pks=task_pks)
                text = outcome.summary(_("%(count)d claimed"))
            else:
                assignee = form.cleaned_data["assignee"]
                outcome = claims.tasks_assign(
                    actor=request.user, task_pks=task_pks, assignee=assignee
                )
                name = assignee.get_full_name() or assignee.get_username()
                text = outcome.summary(_("%(count)d handed to %(name)s"), name=name)
        except ValidationError as refusal:
            for message in refusal.messages:
                messages.error(request, message)
            return HttpResponseRedirect(back)
        level = messages.SUCCESS if not outcome.skipped else messages.WARNING
        messages.add_message(request, level, text)
        return HttpResponseRedirect(back)

    def _back(self) -> str:
        back = self.request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return back
        return str(self.viewset.reverse("queue")) if self.viewset else "/"


class BulkColumns:
    """The checkbox column and the claim-and-do button of the task lists."""

    request: Any

    @display(description=gettext_lazy("Select"))
    def select_box(self, task: Task) -> str:
        return format_html(
            '<input type="checkbox" class="wf-bulk__box" name="tasks" value="{}" form="{}" '
            'aria-label="{}">',
            task.pk,
            BULK_FORM_ID,
            _("Select"),
        )

    @display(description=gettext_lazy("Action"))
    def claim_and_do(self, task: Task) -> str:
        """One POST takes the task and opens its form (viewflow's assign with ``_continue``)."""
        url = task.flow_task.reverse("assign", args=[task.process_id, task.pk])
        return format_html(
            '<button type="submit" class="mdc-button mdc-button--outlined wf-claim-do" '
            'form="{}" formaction="{}" name="_continue" value="1" data-test="claim-and-do">'
            '<span class="mdc-button__label">{}</span></button>',
            BULK_FORM_ID,
            url,
            _("Claim and do"),
        )

    def bulk_context(self, *, claim: bool) -> dict[str, Any]:
        """What the form wrapper needs: its id, the colleagues (when the user may hand out
        tasks) and whether claiming is offered."""
        assignees = list(permissions.task_assignees_for(self.request.user))
        return {
            "form_id": BULK_FORM_ID,
            "claim": claim,
            "assignees": assignees,
            "next": self.request.get_full_path(),
        }


class StepUndoView(generic.View):
    """POST only: undo a step the user completed (``workflows.undo``), then open it again."""

    request: AuthenticatedRequest
    http_method_names = ["post"]
    viewset: Any = None

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        task = get_object_or_404(Task, pk=kwargs["task_pk"], process_id=kwargs["process_pk"])
        try:
            new_task = undo.step_undo(actor=request.user, task=task)
        except PermissionDenied as refusal:
            return self._back_to_process(task, str(refusal) or _("This step cannot be undone."))
        except FlowLockFailed:
            return self._back_to_process(
                task, _("Someone else is working on this case right now. Try again in a moment.")
            )
        messages.success(
            request,
            _("“%(step)s” is undone; correct it and complete it again.")
            % {"step": task.flow_task.task_title},
        )
        return HttpResponseRedirect(
            new_task.flow_task.reverse("execute", args=[new_task.process_id, new_task.pk])
        )

    def _back_to_process(self, task: Task, message: str) -> HttpResponse:
        """Back to the process page, saying why nothing was undone."""
        messages.error(self.request, message)
        flow_viewset = task.flow_task.flow_class.instance
        return HttpResponseRedirect(flow_viewset.reverse("process_detail", args=[task.process_id]))
