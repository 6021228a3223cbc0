"""The class-results page: a trainer records the results of a whole class at once, and each
result completes that trainee's flow step (``services.course_results_complete``).

It is a course page (``training/course/<pk>/results/``), added to the course pages where the
site is composed (casework/urls.py), because it moves the flows on and the training app sits
below the flows.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.views import generic
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed

from casework.common.requests import AuthenticatedRequest
from casework.training import selectors as training_selectors
from casework.training import services as training_services
from casework.training.forms import ResultRowForm
from casework.training.models import Enrolment
from casework.training.views import CourseMixin

from .services import course_results_complete


class CourseResultsView(CourseMixin, generic.TemplateView):
    """Results for the whole class in one form; one transaction for the class."""

    request: AuthenticatedRequest
    action = "teach"
    template_name = "training/results.html"

    def rows(self) -> list[tuple[Any, ResultRowForm]]:
        if not hasattr(self, "_rows"):
            data = self.request.POST if self.request.method == "POST" else None
            roster = training_selectors.roster_rows(self.course)
            self._rows = [
                (row, ResultRowForm(data, prefix=f"e{row.enrolment.pk}"))
                for row in roster
                if row.enrolment.status == Enrolment.Status.ENROLLED
            ]
        return self._rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            rows=self.rows(),
            threshold=training_services.attendance_threshold(self.course),
            recorded=[
                row
                for row in training_selectors.roster_rows(self.course)
                if row.enrolment.status != Enrolment.Status.ENROLLED
            ],
            **kwargs,
        )

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rows = self.rows()
        if not all(form.is_valid() for _row, form in rows):
            return self.render_to_response(self.get_context_data(), status=200)
        entries = [
            training_services.ResultEntry(enrolment_id=row.enrolment.pk, **form.cleaned_data)
            for row, form in rows
            if form.cleaned_data["result"]
        ]
        try:
            count = course_results_complete(actor=request.user, course=self.course, entries=entries)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=self.place(error, rows)))
        except (TransitionNotAllowed, FlowLockFailed):
            # Someone else recorded a trainee's result meanwhile; nothing was saved.
            message = gettext("The class changed while you were entering results: reload it.")
            return self.render_to_response(self.get_context_data(errors=[message]))
        messages.success(request, gettext("%(n)s results recorded.") % {"n": count})
        return HttpResponseRedirect(self.course_url())

    @staticmethod
    def place(error: ValidationError, rows: list[tuple[Any, ResultRowForm]]) -> list[str]:
        """Put each row's problems on its row; return the rest for the top of the page."""
        if not hasattr(error, "error_dict"):
            return error.messages
        by_enrolment = {str(row.enrolment.pk): form for row, form in rows}
        general = []
        for key, problems in error.message_dict.items():
            target = by_enrolment.get(key)
            if target is None:
                general.extend(problems)
            else:
                target.add_error(None, problems)
        return general
