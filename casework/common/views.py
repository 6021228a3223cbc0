"""The one form page: parse the form, call one service, show what happened."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.views import generic


def form_add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on the fields it names when the form
    knows how (``ServiceErrorsMixin``), otherwise at the top of the form."""
    add = getattr(form, "add_service_errors", None)
    if add is not None:
        add(error)
    else:
        form.add_error(None, error.messages)


class ServiceFormView(generic.FormView):
    """A form page in the viewflow frame whose valid form goes to ONE service call.

    Subclasses give ``perform(form)`` (the service call, run inside one transaction) and where to
    go next (``success_url_for(target)``, ``target`` being what ``perform`` returned). A
    ``ValidationError`` from the service becomes form errors; otherwise ``success_message``
    (none when empty) is shown and the browser is redirected.
    """

    viewset: Any = None
    title: Any = ""
    success_text: Any = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=self.title, viewset=self.viewset, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                target = self.perform(form)
        except ValidationError as error:
            form_add_service_errors(form, error)
            return self.form_invalid(form)
        message = self.success_message(target)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.success_url_for(target))

    def perform(self, form: Any) -> Any:
        """Call the one service with the form's data; return what the next page needs."""
        raise NotImplementedError

    def success_message(self, target: Any) -> str:
        return str(self.success_text)

    def success_url_for(self, target: Any) -> str:
        raise NotImplementedError
