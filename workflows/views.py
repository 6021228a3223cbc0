"""Task views of the human steps: parse the form, call one service, finish the task."""

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views import generic
from viewflow.workflow.flow.views.mixins import TaskSuccessUrlMixin

from casework.cases import services as case_services
from casework.cases.models import Assessment, EmploymentCase, HouseholdCase
from casework.common.forms import add_errors_by_field
from casework.common.requests import TaskRequest
from casework.pairing import services as pairing_services
from casework.pairing.forms import VisitForm
from casework.pairing.models import ServiceRequest
from casework.placement import services as placement_services
from casework.posts import services as post_services
from casework.posts.models import PostVacancy
from casework.registry.models import Member
from casework.registry.selectors import members_head_first
from casework.training import services as training_services
from casework.training.models import Enrolment

from . import forms, records, step_actions, subjects
from .models import TaskDeadline


class StepView(TaskSuccessUrlMixin, generic.FormView):
    """Base of every step: the service runs in a savepoint, so a refused input leaves nothing
    half-written and the task open; success completes the task and routes the flow."""

    template_name = "workflows/step.html"
    form_class: Any = None
    request: TaskRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        activation = self.request.activation
        context = super().get_context_data(**kwargs)
        context.update(
            process=activation.process,
            task=activation.task,
            deadline=TaskDeadline.objects.filter(task=activation.task).first(),
            now=timezone.now(),
            **self.subject_context(),
        )
        return context

    @property
    def subject(self) -> dict[str, Any]:
        """The process's domain object, household and member (``workflows.subjects``)."""
        if not hasattr(self, "_subject"):
            self._subject = subjects.subject_context(self.request.activation.process)
        return self._subject

    def subject_context(self) -> dict[str, Any]:
        return self.subject

    def perform(self, form: Any) -> None:
        raise NotImplementedError

    def show_errors(self, form: Any, error: ValidationError) -> None:
        """Show the service's refusal on the form, each message on the field it names."""
        add_errors_by_field(form, error)

    def form_valid(self, form: Any) -> HttpResponse:
        activation = self.request.activation
        with records.completion_held():
            try:
                # The service and the completion together: a refusal from either (the next
                # step's deadline in a year the working-day calendar lacks) undoes both.
                with transaction.atomic():
                    self.perform(form)
                    activation.execute()
            except ValidationError as exc:
                self.show_errors(form, exc)
                return self.form_invalid(form)
        messages.success(
            self.request,
            format_html(_("“{}” is done."), activation.flow_task.task_title),
            fail_silently=True,
        )
        return HttpResponseRedirect(self.get_success_url())


class HouseholdStepView(StepView):
    @property
    def household_case(self) -> HouseholdCase:
        return self.subject["household_case"]


class CaseStepView(StepView):
    @property
    def case(self) -> EmploymentCase:
        return self.subject["case"]

    def refuse(self, form: Any) -> bool:
        """Record a refusal when the form says the person refused; True if it did."""
        if form.cleaned_data.get("outcome") != forms.OUTCOME_REFUSED:
            return False
        case_services.case_refusal_record(
            actor=self.request.user,
            case=self.case,
            reason=form.cleaned_data.get("refusal_reason", ""),
        )
        return True


class AssessView(HouseholdStepView):
    """The whole household on one page: one row per member, and the 三色 label."""

    template_name = "workflows/assess.html"
    form_class: type[django_forms.Form] = forms.ColourForm

    def get_initial(self) -> dict[str, Any]:
        return {"colour": self.household_case.household.colour}

    def members(self) -> list[Member]:
        """Whom the page assesses: every current member, head first."""
        return list(
            members_head_first().filter(
                household=self.household_case.household, left_on__isnull=True
            )
        )

    def returned(self) -> Assessment | None:
        """The last assessment the manager sent back, whose reason the page shows."""
        return (
            self.household_case.assessments.filter(review=Assessment.Review.RETURNED)
            .order_by("-reviewed_at")
            .first()
        )

    def rows(self) -> list[tuple[Any, forms.MemberAssessmentForm]]:
        if not hasattr(self, "_rows"):
            members = self.members()
            previous: dict[int, Assessment] = {}
            for assessment in Assessment.objects.filter(
                member__in=[m.pk for m in members]
            ).order_by("version"):
                previous[assessment.member_id] = assessment
            data = self.request.POST if self.request.method == "POST" else None
            self._rows = forms.member_assessment_forms(members, data, previous)
        return self._rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = self.rows()
        context["returned"] = self.returned()
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        if not all(row_form.is_valid() for _member, row_form in self.rows()):
            form.add_error(None, _("Correct the marked rows."))
            return self.form_invalid(form)
        return super().form_valid(form)

    def show_errors(self, form: Any, error: ValidationError) -> None:
        if not isinstance(error, case_services.AssessmentErrors):
            return super().show_errors(form, error)
        row_forms = {member.pk: row_form for member, row_form in self.rows()}
        for member_id, member_error in error.by_member.items():
            add_errors_by_field(row_forms[member_id], member_error)
        form.add_error(None, _("Correct the marked rows."))

    def perform(self, form: Any) -> None:
        entries = [
            case_services.AssessmentEntry(member=member, **row_form.entry_data())
            for member, row_form in self.rows()
        ]
        created = case_services.household_assess(
            actor=self.request.user,
            household_case=self.household_case,
            entries=entries,
            colour=form.cleaned_data["colour"],
        )
        records.step_assessments_note(task=self.request.activation.task, assessments=created)


class ReviewView(HouseholdStepView):
    template_name = "workflows/review.html"
    form_class = forms.ReviewForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["assessments"] = case_services.pending_assessments(
            self.household_case, **self.scope()
        )
        return context

    def scope(self) -> dict[str, Any]:
        return step_actions.review_scope(self.household_case)

    def perform(self, form: Any) -> None:
        step_actions.review_perform(
            self.request.user,
            self.request.activation.process,
            form.cleaned_data,
            scope=self.scope(),  # a member's own review decides that member's only
        )


class HouseholdFollowUpView(HouseholdStepView):
    """The periodic follow-up is a visit (走访): by the paired helper when there is one."""

    form_class = VisitForm
    template_name = "workflows/step_plain.html"

    def perform(self, form: Any) -> None:
        pairing_services.visit_record(
            actor=self.request.user,
            household=self.household_case.household,
            **form.visit_arguments(),
        )


class EnrolView(CaseStepView):
    form_class = forms.EnrolForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "site_id": self.case.member.household.grid.site_id}

    def perform(self, form: Any) -> None:
        if self.refuse(form):
            return
        training_services.enrolment_create(
            actor=self.request.user,
            case=self.case,
            course=form.cleaned_data["course"],
            joined_on=form.cleaned_data["joined_on"],
        )


class TrainingOutcomeView(CaseStepView):
    """The caseworker records the result of a course without a trainer. A course's trainers
    record its results for the whole class, which completes this step, so then the page only
    says so (and the service refuses a result posted here)."""

    form_class = forms.TrainingOutcomeForm
    template_name = "workflows/training_outcome.html"

    def subject_context(self) -> dict[str, Any]:
        enrolment = self.enrolment()
        by_trainer = (
            training_services.result_recorded_by_trainer(enrolment.course) if enrolment else None
        )
        return {**super().subject_context(), "enrolment": enrolment, "by_trainer": by_trainer}

    def enrolment(self) -> Enrolment | None:
        if not hasattr(self, "_enrolment"):
            self._enrolment = (
                self.case.enrolments.filter(status=Enrolment.Status.ENROLLED)
                .select_related("course")
                .first()
            )
        return self._enrolment

    def perform(self, form: Any) -> None:
        enrolment = self.enrolment()
        if enrolment is None:
            raise ValidationError(_("The member is not enrolled in a course."))
        training_services.training_result_record(
            actor=self.request.user, enrolment=enrolment, **form.cleaned_data
        )


class PostApplicationView(CaseStepView):
    form_class = forms.PostApplicationForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "site_id": self.case.member.household.grid.site_id}

    def perform(self, form: Any) -> None:
        if self.refuse(form):
            return
        post_services.post_apply(
            actor=self.request.user,
            case=self.case,
            post=form.cleaned_data["post"],
            note=form.cleaned_data["note"],
        )


class PostApprovalView(CaseStepView):
    form_class = forms.PostApprovalForm

    def subject_context(self) -> dict[str, Any]:
        post = self.case.posts.filter(status="applied").select_related("post").first()
        failed = (
            post_services.post_eligibility(
                self.case, post.post, applied_on=timezone.localdate(post.applied_at)
            )
            if post and post.post
            else []
        )
        return {**super().subject_context(), "post": post, "eligibility_failed": failed}

    def perform(self, form: Any) -> None:
        post_services.post_decide(
            actor=self.request.user,
            case=self.case,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
            start_date=form.cleaned_data["start_date"],
        )


class PostVacancyReportView(StepView):
    form_class = forms.PostVacancyReportForm

    @property
    def vacancy(self) -> PostVacancy:
        return self.subject["vacancy"]

    def perform(self, form: Any) -> None:
        post_services.post_vacancy_report(
            actor=self.request.user, vacancy=self.vacancy, **form.cleaned_data
        )


class ServiceRequestView(StepView):
    form_class = forms.ServiceRequestForm

    @property
    def service_request(self) -> ServiceRequest:
        return self.subject["service_request"]

    def perform(self, form: Any) -> None:
        pairing_services.service_request_resolve(
            actor=self.request.user, service_request=self.service_request, **form.cleaned_data
        )


class RetentionFollowUpView(CaseStepView):
    form_class = forms.RetentionFollowUpForm

    def subject_context(self) -> dict[str, Any]:
        return {
            **super().subject_context(),
            "followup_month": case_services.followup_month_due(self.case),
        }

    def perform(self, form: Any) -> None:
        if self.case.state not in EmploymentCase.WORKING_STATES:
            # The work ended while this follow-up was open (a post's term ran out): nothing to
            # record; completing the step routes the case to its next step.
            return
        placement_services.retention_followup_record(
            actor=self.request.user,
            case=self.case,
            still_working=form.cleaned_data["still_working"] == "yes",
            monthly_income=form.cleaned_data["monthly_income"],
            note=form.cleaned_data["note"],
        )
