"""Forms of the human steps. They only parse input; the services validate and write."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.cases.models import Assessment, Category
from casework.common.forms import model_choice
from casework.placement.models import Channel, Placement, Vacancy
from casework.placement.selectors import placement_applies, vacancy_placement_defaults
from casework.policy.codes import DesiredArea, LocationClass
from casework.policy.models import Code
from casework.policy.selectors import code_choices
from casework.posts.models import WelfarePost
from casework.registry.models import Household, Member
from casework.training.models import CertificateType, Course, Enrolment

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class MemberAssessmentForm(forms.Form):
    """One member's assessment. Nothing is pre-selected: the category is always chosen, and so
    is the willingness of a labour member (for 非劳动力 an unanswered willingness is 否)."""

    # The page's own check names each member in Chinese, on every row at once; the browser's
    # would stop at the first empty field, in the browser's language.
    use_required_attribute = False

    category = forms.ChoiceField(label=_("category"), choices=[("", "—"), *Category.choices])
    labour_capacity = forms.ChoiceField(
        label=_("labour capacity"), choices=Member.LabourCapacity.choices
    )
    work_willing = forms.ChoiceField(
        label=_("willing to work"), choices=[("", "—"), *YES_NO], required=False
    )
    training_willing = forms.ChoiceField(
        label=_("willing to train"), choices=[("", "—"), *YES_NO], required=False
    )
    # Offered: the trades of the code list in force (``trades``, read once per page).
    desired_trade = forms.ChoiceField(label=_("desired trade"), choices=[], required=False)
    desired_area = forms.ChoiceField(
        label=_("desired work area"), choices=[("", "—"), *DesiredArea.choices], required=False
    )
    reasons = forms.CharField(label=_("reasons"), required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        member: Member | None = None,
        trades: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if trades is None:
            trades = code_choices(Code.List.TRADE, keep=self.initial.get("desired_trade", ""))
        cast(forms.ChoiceField, self.fields["desired_trade"]).choices = [("", "—"), *trades]
        self.member = member
        self.age: int | None = member.age_on(timezone.localdate()) if member else None
        self.fields["category"].error_messages["required"] = _(
            "Choose a category for %(name)s."
        ) % {"name": self.member_name}

    @property
    def member_name(self) -> str:
        return self.member.name if self.member is not None else str(_("the member"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("category") and data["category"] != Category.NOT_LABOUR:
            name = {"name": self.member_name}
            if not data.get("work_willing"):
                self.add_error(
                    "work_willing", _("Choose whether %(name)s is willing to work.") % name
                )
            if not data.get("training_willing"):
                self.add_error(
                    "training_willing", _("Choose whether %(name)s is willing to train.") % name
                )
        return data

    def entry_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["work_willing"] = data["work_willing"] == "yes"
        data["training_willing"] = data["training_willing"] == "yes"
        return data


def member_assessment_forms(
    members: list[Member], data: Any = None, previous: dict[int, Assessment] | None = None
) -> list[tuple[Member, MemberAssessmentForm]]:
    """One form per member. A member assessed before (an assessment sent back) starts from that
    assessment; otherwise only the registry's labour capacity is filled in."""
    previous = previous or {}
    # The trades in force, and those an assessment sent back still holds (ended since).
    trades = code_choices(Code.List.TRADE)
    for earlier in previous.values():
        if earlier.desired_trade and earlier.desired_trade not in dict(trades):
            trades.append((earlier.desired_trade, earlier.get_desired_trade_display()))
    rows = []
    for member in members:
        last = previous.get(member.pk)
        initial: dict[str, Any] = {"labour_capacity": member.labour_capacity}
        if last is not None:
            initial.update(
                category=last.category,
                labour_capacity=last.labour_capacity,
                work_willing="yes" if last.work_willing else "no",
                training_willing="yes" if last.training_willing else "no",
                desired_trade=last.desired_trade,
                desired_area=last.desired_area,
                reasons=last.reasons,
            )
        form = MemberAssessmentForm(
            data, prefix=f"m{member.pk}", initial=initial, member=member, trades=trades
        )
        rows.append((member, form))
    return rows


class ColourForm(forms.Form):
    colour = forms.ChoiceField(label=_("three-colour label"), choices=Household.Colour.choices)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("Approve")), ("return", _("Send back"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("remarks (required when sending back)"), required=False, widget=forms.Textarea
    )


OUTCOME_REFUSED = "refused"


class VacancyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.employer.name} · {obj.title} · {obj.wage_min:.0f}–{obj.wage_max:.0f}"


class PlacementForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[("placed", _("Took a job")), (OUTCOME_REFUSED, _("Refused the referral"))],
        initial="placed",
        widget=forms.RadioSelect,
    )
    vacancy = VacancyChoiceField(
        label=_("vacancy from the job menu (or leave empty for a self-found job)"),
        queryset=Vacancy.objects.none(),
        required=False,
    )
    # Offered: the channels of the code list in force today, but 公益性岗位 (its own route).
    channel = forms.ChoiceField(label=_("channel"), choices=[], required=False)
    employer_name = forms.CharField(label=_("employer"), required=False, max_length=100)
    industry = forms.CharField(label=_("industry"), required=False, max_length=50)
    organised_transport = forms.TypedChoiceField(
        label=_("organised door-to-door transport"),
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
    self_found = forms.BooleanField(label=_("found the job themselves"), required=False)
    start_date = forms.DateField(label=_("start date"), required=False)
    location_class = forms.ChoiceField(
        label=_("work location"), choices=LocationClass.choices, required=False
    )
    place = forms.CharField(label=_("place of work"), required=False, max_length=100)
    monthly_income = forms.DecimalField(
        label=_("monthly income (yuan)"), required=False, max_digits=9, decimal_places=2
    )
    contract_months = forms.IntegerField(label=_("contract months"), required=False, min_value=0)
    refusal_reason = forms.CharField(
        label=_("what was refused, and why"), required=False, max_length=200
    )
    accept_warnings = forms.BooleanField(
        label=_("I have checked the data-quality notes above and confirm"), required=False
    )

    def __init__(self, *args: Any, vacancies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["channel"]).choices = [
            (code, label)
            for code, label in code_choices(Code.List.CHANNEL)
            if code != Channel.PUBLIC_WELFARE
        ]
        if vacancies is not None:
            model_choice(self, "vacancy").queryset = vacancies

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == "placed":
            self.fill_from_vacancy(data)
            for name in ("channel", "start_date", "location_class", "monthly_income"):
                if data.get(name) in (None, ""):
                    label = getattr(Placement._meta.get_field(name), "verbose_name", name)
                    self.add_error(name, _("%(field)s is required.") % {"field": label})
        return data

    @staticmethod
    def fill_from_vacancy(data: dict[str, Any]) -> None:
        """A job from the menu fills what was left blank (channel, employer, industry, place)
        and sets where the work is; a field that does not apply to that place (点对点 for a
        local job) is cleared, whatever was posted."""
        vacancy = data.get("vacancy")
        if vacancy is not None:
            for name, value in vacancy_placement_defaults(vacancy).items():
                if data.get(name) in (None, ""):
                    data[name] = value
            data["location_class"] = vacancy.location_class
            data["self_found"] = False
        if not placement_applies(data.get("location_class") or "")["organised_transport"]:
            if data.get("location_class"):
                data["organised_transport"] = False


class EnrolForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[("enrol", _("Enrol")), (OUTCOME_REFUSED, _("Refused training"))],
        initial="enrol",
        widget=forms.RadioSelect,
    )
    course = forms.ModelChoiceField(
        label=_("course"), queryset=Course.objects.none(), required=False
    )
    joined_on = forms.DateField(label=_("joined the class on (if not today)"), required=False)
    refusal_reason = forms.CharField(
        label=_("what was refused, and why"), required=False, max_length=200
    )

    def __init__(self, *args: Any, site_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "course").queryset = Course.objects.filter(
            site_id=site_id, end_date__gte=timezone.localdate()
        ).order_by("start_date")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == "enrol" and not data.get("course"):
            self.add_error("course", _("Choose a course."))
        return data


RESULT_CHOICES = [
    (Enrolment.Status.PASSED, Enrolment.Status.PASSED.label),
    (Enrolment.Status.FAILED, Enrolment.Status.FAILED.label),
    (Enrolment.Status.DROPPED, Enrolment.Status.DROPPED.label),
]


class TrainingOutcomeForm(forms.Form):
    result = forms.ChoiceField(label=_("result"), choices=RESULT_CHOICES, widget=forms.RadioSelect)
    certificate_type = forms.ChoiceField(
        label=_("certificate type"), choices=[("", "—"), *CertificateType.choices], required=False
    )
    certificate_number = forms.CharField(
        label=_("certificate number"), max_length=50, required=False
    )


class PostApplicationForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[("apply", _("Apply for a post")), (OUTCOME_REFUSED, _("Refused a post"))],
        initial="apply",
        widget=forms.RadioSelect,
    )
    post = forms.ModelChoiceField(
        label=_("public-welfare post"), queryset=WelfarePost.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("application note"), required=False, max_length=500, widget=forms.Textarea
    )
    refusal_reason = forms.CharField(
        label=_("what was refused, and why"), required=False, max_length=200
    )

    def __init__(self, *args: Any, site_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "post").queryset = WelfarePost.objects.filter(site_id=site_id)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == "apply" and not data.get("post"):
            self.add_error("post", _("Choose the post."))
        return data


class PostApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    start_date = forms.DateField(label=_("start date on the post"), required=False)
    reason = forms.CharField(
        label=_("reason (required when refusing)"), required=False, widget=forms.Textarea
    )


class ReassessForm(MemberAssessmentForm):
    pass


class RetentionFollowUpForm(forms.Form):
    still_working = forms.ChoiceField(
        label=_("still working"),
        choices=[("yes", _("Still working")), ("no", _("Lost the job or left"))],
        widget=forms.RadioSelect,
    )
    monthly_income = forms.DecimalField(
        label=_("monthly income (yuan)"), required=False, max_digits=9, decimal_places=2
    )
    note = forms.CharField(label=_("note"), required=False, max_length=500, widget=forms.Textarea)


class PostVacancyReportForm(forms.Form):
    recommendation = forms.CharField(
        label=_("whom you recommend for the place, or why nobody"),
        max_length=1000,
        widget=forms.Textarea,
    )


class ServiceRequestForm(forms.Form):
    resolution = forms.CharField(
        label=_("how it was resolved"), max_length=2000, widget=forms.Textarea
    )
