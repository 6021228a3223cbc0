"""The page of a public notice's step (``workflows.publicity.NoticeStep``): the notice as the
board shows it, its printed copy and public page, the objections recorded and resolved on the
same page, and the conclusion (the step's own form)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.common.forms import add_errors_by_field
from casework.notices import forms as notice_forms
from casework.notices import services as notice_services
from casework.notices.models import PublicNotice

from .views import StepView


class NoticeStepView(StepView):
    template_name = "workflows/notice.html"
    form_class = notice_forms.ConcludeForm

    @property
    def notice(self) -> PublicNotice:
        if not hasattr(self, "_notice"):
            activation = self.request.activation
            kind = activation.flow_task.notice_kind
            notice = kind.notice(activation.process)
            if notice is None:
                # A step open since before its notice was put up by the node (a risk
                # elimination approved before notices were kept): the system puts it up now,
                # from the subject's own dates.
                with transaction.atomic():
                    notice = kind.post(activation.process, None)
            self._notice = notice
        return self._notice

    def subject_context(self) -> dict[str, Any]:
        notice = self.notice
        return {
            **super().subject_context(),
            "notice": notice,
            "objections": list(notice.objections.all()),
            "objection_form": getattr(self, "_objection_form", None)
            or notice_forms.ObjectionForm(prefix="objection"),
            "resolve_form": getattr(self, "_resolve_form", None),
            "resolve_failed": getattr(self, "_resolve_failed", None),
            "today": timezone.localdate(),
            "public_url": self.request.build_absolute_uri(notice.get_public_url()),
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        which = request.POST.get("form")
        if which == "objection":
            return self._objection()
        if which == "resolve":
            return self._resolve()
        return super().post(request, *args, **kwargs)

    def _objection(self) -> HttpResponse:
        request = self.request
        form = notice_forms.ObjectionForm(request.POST, prefix="objection")
        if form.is_valid():
            try:
                notice_services.objection_record(
                    actor=request.user, notice=self.notice, **form.cleaned_data
                )
            except ValidationError as exc:
                add_errors_by_field(form, exc)
            else:
                messages.success(request, _("The objection is recorded."), fail_silently=True)
                return HttpResponseRedirect(request.get_full_path())
        self._objection_form = form
        return self.render_to_response(self.get_context_data(form=self.form_class()))

    def _resolve(self) -> HttpResponse:
        request = self.request
        form = notice_forms.ResolveForm(request.POST, prefix="resolve")
        if form.is_valid():
            objection = self.notice.objections.filter(pk=form.cleaned_data["objection"]).first()
            if objection is None:
                form.add_error(None, _("No such objection on this notice."))
            else:
                try:
                    notice_services.objection_resolve(
                        actor=request.user, objection=objection,
                        resolution=form.cleaned_data["resolution"],
                        upheld=form.cleaned_data["upheld"],
                    )  # fmt: skip
                except ValidationError as exc:
                    add_errors_by_field(form, exc)
                else:
                    messages.success(request, _("The objection is resolved."), fail_silently=True)
                    return HttpResponseRedirect(request.get_full_path())
        self._resolve_form = form
        # The errors show by the objection's own form, or above the list when it is not one.
        on = form.cleaned_data.get("objection")
        ours = on is not None and self.notice.objections.filter(pk=on).exists()
        self._resolve_failed = on if ours else None
        return self.render_to_response(self.get_context_data(form=self.form_class()))

    def perform(self, form: Any) -> None:
        activation = self.request.activation
        kind = activation.flow_task.notice_kind
        notice = notice_services.notice_conclude(
            actor=self.request.user,
            notice=self.notice,
            withdraw=form.cleaned_data["outcome"] == notice_forms.WITHDRAW,
            reason=form.cleaned_data["reason"],
        )
        kind.concluded(self.request.user, kind.subject(activation.process), notice)
