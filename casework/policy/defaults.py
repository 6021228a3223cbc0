"""The policy parameters the county may set, each with its label and its default value
(reference/domain.md; every number there is local). ``params.param`` reads the value in force.
The registry's shape is in ``spec``; the numbers that were once constants in the code are in
``defaults_local``."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .defaults_api import API
from .defaults_local import FORMER_CONSTANTS
from .defaults_posts import POSTS
from .defaults_warnings import WARNINGS
from .spec import (
    COLOURS,
    DAYS,
    HOUSEHOLDS,
    MONTHS,
    PAIRING_TYPES,
    PERCENT,
    TIMES,
    WORKING_DAYS,
    YEARS_OF_AGE,
    YUAN,
    Default,
    Kind,
)

__all__ = ["DEFAULTS", "Default", "Kind"]


def _deadline(days: int, label: Promise, used_by: Promise, *, working: bool = False) -> Default:
    """A step's time limit (限时办结): whole days from the day its task is created, calendar
    days or (``working``) working days of the working-day calendar."""
    return Default(
        days,
        label,
        unit=WORKING_DAYS if working else DAYS,
        minimum=1,
        maximum=365,
        meaning=_("Working days allowed for the step, counted from the day its task is created.")
        if working
        else _("Days allowed for the step, counted from the day its task is created."),
        used_by=used_by,
    )


DEFAULTS: dict[str, Default] = {
    # 限时办结: days allowed for each human step, counted from the day the task is created.
    "deadline.assess": _deadline(
        10, _("Days to assess a household"), _("Household assistance: assess the household")
    ),
    "deadline.review": _deadline(
        5,
        _("Days for the manager to review an assessment"),
        _("Household assistance: review the assessment"),
    ),
    "deadline.placement": _deadline(
        30, _("Days to record a placement"), _("Employment assistance: placement")
    ),
    "deadline.enrol": _deadline(
        15, _("Days to enrol a member in a course"), _("Employment assistance: enrol in training")
    ),
    "deadline.training_outcome": _deadline(
        90,
        _("Days to record a training outcome"),
        _("Employment assistance: record the training result"),
    ),
    "deadline.post_application": _deadline(
        10,
        _("Days to apply for a public-welfare post"),
        _("Employment assistance: apply for a public-welfare post"),
    ),
    "deadline.post_approval": _deadline(
        5,
        _("Days for the manager to decide a post application"),
        _("Employment assistance: decide the post application"),
    ),
    "deadline.reassess": _deadline(
        10, _("Days to reassess a member"), _("Employment assistance: reassessment")
    ),
    "deadline.reassess_review": _deadline(
        5,
        _("Days for the manager to review a reassessment"),
        _("Employment assistance: review the reassessment"),
    ),
    "deadline.retention_followup": _deadline(
        7,
        _("Days to record a retention follow-up"),
        _("Employment assistance: retention follow-up"),
    ),
    "deadline.household_followup": _deadline(
        7,
        _("Days to record a household follow-up"),
        _("Household assistance: household follow-up visit"),
    ),
    # Retention and stability (domain.md §7.1: ≥3 / ≥6 months).
    "retention.followup_months": Default(
        [1, 3, 6],
        _("Retention follow-ups, months after start"),
        kind=Kind.INTEGERS,
        unit=MONTHS,
        minimum=1,
        maximum=36,
        meaning=_(
            "The months after the start of work at which retention is checked; months at or "
            "after the stability month are skipped (that month is always checked). Counted "
            "by the value in force on the day work started."
        ),
        used_by=_("Employment assistance: retention follow-up timers"),
    ),
    "retention.stable_months": Default(
        6,
        _("Months in work that count as stable employment"),
        unit=MONTHS,
        minimum=1,
        maximum=36,
        meaning=_(
            "A member still in work this many months after starting is stably employed and "
            "the case closes. Counted by the value in force on the day work started."
        ),
        used_by=_("Employment assistance: retention follow-up and stable employment"),
    ),
    # Training (domain.md §8.5: ≥80% attendance is the common local rule, not a national text).
    "training.attendance_threshold": Default(
        80,
        _("Attendance (%) needed to pass a course"),
        unit=PERCENT,
        minimum=1,
        maximum=100,
        meaning=_(
            "A trainee passes only with at least this share of the sessions attended since "
            "joining. A course is judged by the value in force on its start date."
        ),
        used_by=_("Training results (class results and the record-result step)"),
    ),
    # Public-welfare posts (domain.md §8.1): age limits, one post per household, vacancy report.
    "posts.age_limit": Default(
        60,
        _("Age limit for a public-welfare post"),
        unit=YEARS_OF_AGE,
        minimum=40,
        maximum=69,
        meaning=_(
            "Members older than this may not hold a post (unless the post is open to healthy "
            "older people). Applied by the value in force on the day of the application."
        ),
        used_by=_("Public-welfare post eligibility"),
    ),
    "posts.age_limit_extended": Default(
        65,
        _("Age limit for posts open to healthy older people"),
        unit=YEARS_OF_AGE,
        minimum=40,
        maximum=69,
        meaning=_(
            "On a post open to healthy older people, a healthy member up to this age may hold "
            "it. Applied by the value in force on the day of the application."
        ),
        used_by=_("Public-welfare post eligibility"),
    ),
    "posts.one_per_household": Default(
        True,
        _("At most one public-welfare post per household"),
        kind=Kind.BOOLEAN,
        meaning=_(
            "Yes: a member may not get a post while another member of the household holds "
            "one. Applied by the value in force on the day of the application."
        ),
        used_by=_("Public-welfare post eligibility"),
    ),
    "deadline.post_vacancy": _deadline(
        5, _("Days to report a vacated post"), _("Post vacancy: report the vacated post")
    ),
    # Who answers for a household of each label (domain.md §8.7; yellow and red are defaults).
    "household.responsible_level": Default(
        {"green": "党员", "yellow": "支部委员包联", "red": "党委书记牵头"},
        _("Who is responsible for households of each label"),
        kind=Kind.TEXTS,
        keys=COLOURS,
        meaning=_("Who answers for a household of each three-colour label."),
        used_by=_("Pairing pages: the responsible level shown for a household"),
    ),
    # Pairing (domain.md §8.7): households per helper by type of pairing, and 诉求 deadline.
    "pairing.caps": Default(
        {"party": 3, "cadre": 5, "capable": 3, "party_centre": 15, "capable_household": 5},
        _("Households per helper, by pairing type"),
        kind=Kind.MAPPING,
        unit=HOUSEHOLDS,
        minimum=1,
        maximum=30,
        keys=PAIRING_TYPES,
        meaning=_("The most households one helper may be paired with, for each pairing type."),
        used_by=_("Pairing a helper with a household"),
    ),
    # 党员中心户 look after 10–15 households (domain.md §8.7): the floor of each type.
    "pairing.caps_min": Default(
        {"party": 0, "cadre": 0, "capable": 0, "party_centre": 10, "capable_household": 0},
        _("Fewest households per helper, by pairing type"),
        kind=Kind.MAPPING,
        unit=HOUSEHOLDS,
        minimum=0,
        maximum=30,
        keys=PAIRING_TYPES,
        meaning=_(
            "The fewest households a helper of each pairing type looks after (0: no floor); "
            "a helper below it is marked on the pairings page."
        ),
        used_by=_("Pairings administration"),
    ),
    "deadline.service_request": _deadline(
        10, _("Days to resolve a service request"), _("Service requests raised on a visit")
    ),
    "deadline.elimination_review": _deadline(
        5,
        _("Days for the manager to review a risk-elimination proposal"),
        _("Risk elimination: review the proposal"),
    ),
    "deadline.elimination_notice": _deadline(
        15,
        _("Working days to conclude a risk elimination's public notice"),
        _("Risk elimination: public notice"),
        working=True,
    ),
    # Working age (domain.md §3.2, §7.1: 16 to the statutory retirement age, which is local and
    # differs by sex). Outside it, or at school, a member is 非劳动力 unless a reason is given.
    "assessment.working_age_min": Default(
        16,
        _("Youngest working age"),
        unit=YEARS_OF_AGE,
        minimum=16,
        maximum=18,
        meaning=_(
            "Younger members are assessed as not in the labour force unless a reason is "
            "given. Counted on the day of the assessment."
        ),
        used_by=_("Assessment and the consistency check"),
    ),
    "assessment.retirement_age": Default(
        {"M": 60, "F": 55},
        _("Statutory retirement age by sex (end of working age)"),
        kind=Kind.MAPPING,
        unit=YEARS_OF_AGE,
        minimum=45,
        maximum=70,
        keys=(("M", _("Male")), ("F", _("Female"))),
        meaning=_(
            "Members of this age or older are assessed as not in the labour force unless a "
            "reason is given. Counted on the day of the assessment."
        ),
        used_by=_("Assessment and the consistency check"),
    ),
    # A reassessment that changes the category always goes to the manager's review.
    "assessment.review_unchanged_reassessment": Default(
        False,
        _("A reassessment that keeps the category also goes to review"),
        kind=Kind.BOOLEAN,
        meaning=_(
            "A reassessment that changes the category always goes to the manager; yes: one "
            "that keeps it does too."
        ),
        used_by=_("Employment assistance: reassessment"),
    ),
    # Refusals (domain.md §8.9: refusing services 3 times or more ends assistance).
    "case.refusal_limit": Default(
        3,
        _("Refusals that end assistance"),
        unit=TIMES,
        minimum=1,
        maximum=10,
        meaning=_("A member who refuses services this many times leaves assistance."),
        used_by=_("Employment assistance: recording a refusal"),
    ),
    # 三色 cadence (domain.md §8.7): days between household follow-ups per label.
    "household.followup_days": Default(
        {"green": 30, "yellow": 14, "red": 7},
        _("Days between household follow-ups per label"),
        kind=Kind.MAPPING,
        unit=DAYS,
        minimum=1,
        maximum=365,
        keys=COLOURS,
        meaning=_("How often a household of each three-colour label is visited."),
        used_by=_("Household assistance: follow-up visit timers and overdue visits"),
    ),
    # Tap-to-call hands a full number to the caller's dialler: a day's calls per person are
    # capped, so that nobody collects a grid's phone numbers one call at a time.
    "privacy.calls_per_day": Default(
        40,
        _("Households one person may call in a day"),
        unit=HOUSEHOLDS,
        minimum=1,
        maximum=500,
        meaning=_(
            "Tap-to-call shows a full phone number; beyond this many households a day a "
            "person is refused, so that nobody collects a grid's numbers one call at a time."
        ),
        used_by=_("Calling a household from its page"),
    ),
    # 务工月监测: how far back a grid's month may still be entered (a closed month never).
    "work_month.months_open": Default(
        3,
        _("Months back a monthly work record may be entered"),
        unit=MONTHS,
        minimum=0,
        maximum=24,
        meaning=_(
            "The current month and this many months before it may be entered or corrected, "
            "unless the site's manager has closed them."
        ),
        used_by=_("Monthly work records"),
    ),
    # 防返贫监测 (domain.md §8.6, §5.11 rules 12-14): set per province and per year.
    "monitoring.threshold": Default(
        7000,
        _("Monitoring threshold (监测范围)"),
        unit=YUAN,
        minimum=1000,
        maximum=100000,
        meaning=_(
            "Net income per person per year below which a household is monitored; a risk is "
            "eliminated only when the year's income is at least this. Enter each year's value "
            "from 1 January; a year's income is held to the value in force at its end."
        ),
        used_by=_("Monitored households: risk elimination"),
    ),
    "monitoring.elimination_min_months": Default(
        3,
        _("Months from identification before a risk may be eliminated through assistance"),
        unit=MONTHS,
        minimum=0,
        maximum=36,
        meaning=_(
            "A proposal to eliminate a risk through assistance sooner than this after "
            "identification is refused."
        ),
        used_by=_("Monitored households: risk elimination"),
    ),
    "monitoring.measure_within_days": Default(
        30,
        _("Days from identification by which an assistance measure is due"),
        unit=DAYS,
        minimum=1,
        maximum=365,
        meaning=_("A monitored household with no measure after this many days is reported."),
        used_by=_("Monitored households: data checks"),
    ),
    # Month-end figures (domain.md §8.9: a 零就业 household cleared within 30 days [P-61]).
    "figures.zero_clear_months": Default(
        1,
        _("Months by which a zero-employment household is to be cleared"),
        unit=MONTHS,
        minimum=1,
        maximum=12,
        meaning=_(
            "A household with nobody in work for more than this many months (by the monthly "
            "work records) is counted as past the limit on the month-end figures."
        ),
        used_by=_("Month-end figures: zero-employment clearance"),
    ),
    "figures.training_to_work_months": Default(
        3,
        _("Months after passing a course within which a placement counts as found"),
        unit=MONTHS,
        minimum=1,
        maximum=12,
        meaning=_(
            "The month-end figures count the members who passed a course this many months "
            "before, and how many of them started a job or post within this many months."
        ),
        used_by=_("Month-end figures: training to work"),
    ),
    "quality.school_age": Default(
        6,
        _("Age from which a member is at school or has an education level"),
        unit=YEARS_OF_AGE,
        minimum=3,
        maximum=8,
        meaning=_(
            "Data-quality rule 4: from this age a member who is not a student has an education "
            "level recorded (younger children have neither)."
        ),
        used_by=_("Monitored households: data checks"),
    ),
    "monitoring.notice_days": Default(
        5,
        _("Working days a risk elimination is on public notice"),
        unit=WORKING_DAYS,
        minimum=1,
        maximum=30,
        meaning=_(
            "The notice of an approved elimination stays up at least this many working days "
            "(公示不少于5个工作日) before the elimination can be concluded."
        ),
        used_by=_("Risk elimination: public notice"),
    ),
    **FORMER_CONSTANTS,
    **WARNINGS,
    **POSTS,
    **API,
}
