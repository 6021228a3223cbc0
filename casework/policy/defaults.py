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
}
