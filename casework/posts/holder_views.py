"""A holder's exit from a post (退岗, with a reason of the code list) and the renewal of their
term (续聘), by the site's manager from the post's page."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from casework import permissions
from casework.common.forms import add_errors_by_field
from casework.common.requests import AuthenticatedRequest
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_choices

from . import services
from .models import ExitReason, PostAssignment
from .views import post_visible


class ExitForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("exit reason"))
    note = forms.CharField(
        label=gettext_lazy("exit note (required for another reason)"), required=False,
        max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [c for c in code_choices(Code.List.EXIT_REASON) if c[0] != ExitReason.TERM_END]
        cast(forms.ChoiceField, self.fields["reason"]).choices = [("", "—"), *choices]


class RenewForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("renew the term"), required=True)


class _HolderPage(generic.FormView):
    request: AuthenticatedRequest
    template_name = "posts/holder_form.html"
    viewset: Any = None
    title: Any = ""
    submit_label: Any = ""

    def setup(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        post = post_visible(request, kwargs["pk"])
        self.assignment = get_object_or_404(
            post.assignments.select_related("member__household__grid", "post"),
            pk=kwargs["assignment_pk"],
            status=PostAssignment.Status.ON_POST,
        )

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        post = self.assignment.post
        if post is None or not permissions.may_manage_post_holders(request.user, post):
            raise PermissionDenied(_("You may not manage the holders of this post."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=self.title, submit_label=self.submit_label, assignment=self.assignment,
            viewset=self.viewset, **kwargs,
        )  # fmt: skip

    def perform(self, form: Any) -> str:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            message = self.perform(form)
        except ValidationError as exc:
            add_errors_by_field(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message, fail_silently=True)
        return HttpResponseRedirect(self.viewset.reverse("detail", args=[self.kwargs["pk"]]))


class PostExitView(_HolderPage):
    form_class = ExitForm
    title = gettext_lazy("A holder leaves the post")
    submit_label = gettext_lazy("Record the exit")

    def perform(self, form: ExitForm) -> str:
        services.post_exit(
            actor=self.request.user, assignment=self.assignment,
            reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
        )  # fmt: skip
        return _("%(name)s has left the post; the vacancy's task is open.") % {
            "name": self.assignment.member.name
        }


class PostRenewView(_HolderPage):
    form_class = RenewForm
    title = gettext_lazy("Renew a holder's term")
    submit_label = gettext_lazy("Renew the term")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        end = self.assignment.end_date
        return super().get_context_data(
            renewal_until=services.renewal_end(end, today) if end else None,
            renewals_max=int(param("posts.renewals_max", on=today)),
            **kwargs,
        )

    def perform(self, form: RenewForm) -> str:
        renewed = services.post_renew(actor=self.request.user, assignment=self.assignment)
        return _("%(name)s's term now runs until %(day)s.") % {
            "name": renewed.member.name,
            "day": f"{renewed.end_date:%Y-%m-%d}",
        }
