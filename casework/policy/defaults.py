"""The policy parameters the county may set, each with its label and its default value
(reference/domain.md; every number there is local). ``params.param`` reads the value in force."""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind:
    """The type of a parameter's value: what its edit form shows and what it accepts."""

    INTEGER = "integer"  # a whole number within ``minimum``..``maximum``
    DECIMAL = "decimal"  # a number with decimals (amounts of money, ratios)
    BOOLEAN = "boolean"  # yes or no
    INTEGERS = "integers"  # a list of whole numbers, each within the bounds
    MAPPING = "mapping"  # one value for each of the fixed ``keys`` (numbers within the bounds)
    TEXTS = "texts"  # one text for each of the fixed ``keys``
    CHOICES = "choices"  # a subset of ``keys`` (e.g. the categories a rule accepts)


@dataclass(frozen=True)
class Default:
    """A parameter of the registry: its default and what its edit form needs to validate it.

    ``keys`` names the fixed keys of a MAPPING/TEXTS value or the allowed codes of CHOICES (with
    their labels); ``used_by`` says in Chinese-translatable words which rule reads it.
    """

    value: Any
    label: Promise
    kind: str = Kind.INTEGER
    unit: Promise | str = ""
    minimum: int | float | None = None
    maximum: int | float | None = None
    keys: tuple[tuple[str, Promise | str], ...] = ()
    meaning: Promise | str = ""
    used_by: Promise | str = ""


DEFAULTS: dict[str, Default] = {
    # 限时办结: days allowed for each human step, counted from the day the task is created.
    "deadline.assess": Default(10, _("Days to assess a household")),
    "deadline.review": Default(5, _("Days for the manager to review an assessment")),
    "deadline.placement": Default(30, _("Days to record a placement")),
    "deadline.enrol": Default(15, _("Days to enrol a member in a course")),
    "deadline.training_outcome": Default(90, _("Days to record a training outcome")),
    "deadline.post_application": Default(10, _("Days to apply for a public-welfare post")),
    "deadline.post_approval": Default(5, _("Days for the manager to decide a post application")),
    "deadline.reassess": Default(10, _("Days to reassess a member")),
    "deadline.reassess_review": Default(5, _("Days for the manager to review a reassessment")),
    "deadline.retention_followup": Default(7, _("Days to record a retention follow-up")),
    "deadline.household_followup": Default(7, _("Days to record a household follow-up")),
    # Retention and stability (domain.md §7.1: ≥3 / ≥6 months).
    "retention.followup_months": Default([1, 3, 6], _("Retention follow-ups, months after start")),
    "retention.stable_months": Default(6, _("Months in work that count as stable employment")),
    # Training (domain.md §8.5: ≥80% attendance is the common local rule, not a national text).
    "training.attendance_threshold": Default(80, _("Attendance (%) needed to pass a course")),
    # Public-welfare posts (domain.md §8.1): age limits, one post per household, vacancy report.
    "posts.age_limit": Default(60, _("Age limit for a public-welfare post")),
    "posts.age_limit_extended": Default(65, _("Age limit for posts open to healthy older people")),
    "posts.one_per_household": Default(True, _("At most one public-welfare post per household")),
    "deadline.post_vacancy": Default(5, _("Days to report a vacated post")),
    # Who answers for a household of each label (domain.md §8.7; yellow and red are defaults).
    "household.responsible_level": Default(
        {"green": "党员", "yellow": "支部委员包联", "red": "党委书记牵头"},
        _("Who is responsible for households of each label"),
    ),
    # Pairing (domain.md §8.7): households per helper by type of pairing, and 诉求 deadline.
    "pairing.caps": Default(
        {"party": 3, "cadre": 5, "capable": 3, "party_centre": 15, "capable_household": 5},
        _("Households per helper, by pairing type"),
    ),
    # 党员中心户 look after 10–15 households (domain.md §8.7): the floor of each type.
    "pairing.caps_min": Default(
        {"party_centre": 10}, _("Fewest households per helper, by pairing type")
    ),
    "deadline.service_request": Default(10, _("Days to resolve a service request")),
    # Working age (domain.md §3.2, §7.1: 16 to the statutory retirement age, which is local and
    # differs by sex). Outside it, or at school, a member is 非劳动力 unless a reason is given.
    "assessment.working_age_min": Default(16, _("Youngest working age")),
    "assessment.retirement_age": Default(
        {"M": 60, "F": 55}, _("Statutory retirement age by sex (end of working age)")
    ),
    # A reassessment that changes the category always goes to the manager's review.
    "assessment.review_unchanged_reassessment": Default(
        False, _("A reassessment that keeps the category also goes to review")
    ),
    # Refusals (domain.md §8.9: refusing services 3 times or more ends assistance).
    "case.refusal_limit": Default(3, _("Refusals that end assistance")),
    # 三色 cadence (domain.md §8.7): days between household follow-ups per label.
    "household.followup_days": Default(
        {"green": 30, "yellow": 14, "red": 7}, _("Days between household follow-ups per label")
    ),
    # Tap-to-call hands a full number to the caller's dialler: a day's calls per person are
    # capped, so that nobody collects a grid's phone numbers one call at a time.
    "privacy.calls_per_day": Default(40, _("Households one person may call in a day")),
    # --- former constants ---
    # Numbers that were constants in the code (list: docs of issue 18, K-constants-list.md).
    "posts.age_never": Default(
        70,
        _("Age from which nobody holds a public-welfare post"),
        unit="岁",
        minimum=50,
        maximum=100,
        meaning=_("Data-quality rule 8: nobody this old or older holds a post."),
        used_by=_("Post eligibility, at the application date"),
    ),
    "posts.eligible_categories": Default(
        ["three_no"],
        _("Assessment categories eligible for a public-welfare post"),
        kind=Kind.CHOICES,
        keys=(
            ("capable", _("Capable (能人)")),
            ("training", _("Needs training (需培训)")),
            ("three_no", _("Three-nos (三无)")),
            ("not_labour", _("Not labour force (非劳动力)")),
        ),
        meaning=_("A member of one of these categories may hold a post (三无 by default)."),
        used_by=_("Post eligibility, at the application date"),
    ),
    "posts.eligible_capacities": Default(
        ["weak"],
        _("Labour capacities eligible for a public-welfare post in any category"),
        kind=Kind.CHOICES,
        keys=(
            ("ordinary", _("Ordinary labour")),
            ("skilled", _("Skilled labour")),
            ("weak", _("Weak or half labour")),
            ("lost", _("Lost labour capacity")),
            ("none", _("No labour capacity")),
        ),
        meaning=_("A member with one of these capacities may hold a post whatever the category."),
        used_by=_("Post eligibility, at the application date"),
    ),
    "posts.term_months_default": Default(
        12,
        _("Usual term of a public-welfare post"),
        unit="月",
        minimum=1,
        maximum=60,
        meaning=_("Proposed when a post is set up (agreements are usually for one year)."),
        used_by=_("Setting up a public-welfare post"),
    ),
    "posts.term_months_max": Default(
        60,
        _("Longest term of a public-welfare post"),
        unit="月",
        minimum=12,
        maximum=120,
        used_by=_("Setting up a public-welfare post"),
    ),
    "posts.start_days_back": Default(
        31,
        _("Days back a post's start date may lie at approval"),
        unit="天",
        minimum=0,
        maximum=366,
        used_by=_("Deciding a post application"),
    ),
    "posts.start_days_ahead": Default(
        92,
        _("Days ahead a post's start date may lie at approval"),
        unit="天",
        minimum=0,
        maximum=366,
        used_by=_("Deciding a post application"),
    ),
    "placement.income_min": Default(
        100,
        _("Lowest plausible monthly income"),
        unit="元",
        minimum=0,
        maximum=1000,
        meaning=_("Data-quality rule 10: an income below this is refused as a typing error."),
        used_by=_("Recording a job, at its start date"),
    ),
    "placement.income_max": Default(
        30000,
        _("Highest plausible monthly income"),
        unit="元",
        minimum=5000,
        maximum=1000000,
        meaning=_("Data-quality rule 10: an income above this is refused as a typing error."),
        used_by=_("Recording a job, at its start date"),
    ),
    "placement.income_unusual_below": Default(
        400,
        _("Monthly income below which a job is flagged as unusual"),
        unit="元",
        minimum=0,
        maximum=2000,
        meaning=_("Data-quality rule 10: the caseworker confirms such an income."),
        used_by=_("Recording a job, at its start date"),
    ),
    "placement.contract_months_max": Default(
        120,
        _("Longest plausible contract"),
        unit="月",
        minimum=12,
        maximum=600,
        used_by=_("Recording a job, at its start date"),
    ),
    "placement.start_days_ahead": Default(
        31,
        _("Days ahead a job's start date may lie"),
        unit="天",
        minimum=0,
        maximum=366,
        used_by=_("Recording a job"),
    ),
    "vacancy.age_lowest": Default(
        16,
        _("Lowest minimum age of a vacancy"),
        unit="岁",
        minimum=14,
        maximum=18,
        used_by=_("Adding a vacancy to the job menu"),
    ),
    "vacancy.age_highest": Default(
        80,
        _("Highest maximum age of a vacancy"),
        unit="岁",
        minimum=50,
        maximum=100,
        used_by=_("Adding a vacancy to the job menu"),
    ),
    "vacancy.age_max_default": Default(
        60,
        _("Maximum age proposed for a new vacancy"),
        unit="岁",
        minimum=18,
        maximum=100,
        used_by=_("Adding a vacancy to the job menu"),
    ),
    "vacancy.ranking_weights": Default(
        {"certified_trade": 50, "desired_trade": 30, "desired_area": 20},
        _("Points for each reason a vacancy suits a member"),
        kind=Kind.MAPPING,
        unit="分",
        minimum=0,
        maximum=100,
        keys=(
            ("certified_trade", _("a trade the member holds a certificate in")),
            ("desired_trade", _("the trade the member wants")),
            ("desired_area", _("the area the member wants")),
        ),
        meaning=_("Suggested vacancies are listed by their total points, then by pay."),
        used_by=_("Vacancy suggestions at placement"),
    ),
    "training.session_hours": Default(
        4,
        _("Usual hours of a class session"),
        unit="小时",
        minimum=1,
        maximum=12,
        used_by=_("Recording attendance, at the session date"),
    ),
    "training.course_capacity": Default(
        40,
        _("Usual capacity of a course"),
        unit="人",
        minimum=1,
        maximum=500,
        used_by=_("Opening a course"),
    ),
    "dashboard.zero_employment_listed": Default(
        200,
        _("Zero-employment households listed on the dashboard"),
        unit="户",
        minimum=10,
        maximum=2000,
        meaning=_("All are counted; the export lists every one."),
        used_by=_("Dashboard"),
    ),
    "workbench.due_soon_days": Default(
        7,
        _("Days within which a task counts as due soon"),
        unit="天",
        minimum=1,
        maximum=60,
        used_by=_("Workbench"),
    ),
}
