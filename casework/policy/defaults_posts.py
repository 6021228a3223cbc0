"""The numbers of public notices (公示) and of a public-welfare post month by month (考勤, 补贴):
each local, each a parameter."""

from django.utils.translation import gettext_lazy as _

from .spec import DAYS, MONTHS, POINTS, TIMES, WORKING_DAYS, YUAN, Default

POSTS: dict[str, Default] = {
    "notices.public_days": Default(
        30,
        _("Days a passed notice stays readable on its public page"),
        unit=DAYS,
        minimum=0,
        maximum=365,
        meaning=_(
            "After its period, a notice that passed stays readable this many days on the page "
            "its QR code leads to; then the page only says that the notice is over. A "
            "withdrawn notice is never shown again."
        ),
        used_by=_("Public notices: the public page"),
    ),
    "posts.notice_days": Default(
        5,
        _("Working days a post appointment is on public notice"),
        unit=WORKING_DAYS,
        minimum=1,
        maximum=30,
        meaning=_(
            "An approved post application stays on public notice at least this many working "
            "days (公示不少于5个工作日) before the member takes up the post."
        ),
        used_by=_("Public-welfare post: public notice"),
    ),
    "deadline.post_notice": Default(
        10,
        _("Working days to conclude a post appointment's public notice"),
        unit=WORKING_DAYS,
        minimum=1,
        maximum=365,
        meaning=_("Working days allowed for the step, counted from the day its task is created."),
        used_by=_("Public-welfare post: public notice"),
    ),
    "posts.full_month_days": Default(
        22,
        _("Days of work in a month for the full subsidy"),
        unit=DAYS,
        minimum=1,
        maximum=31,
        meaning=_(
            "A holder who worked this many days in the month is paid the post's whole monthly "
            "subsidy; fewer days are paid in proportion (出勤不足按比例扣减)."
        ),
        used_by=_("Public-welfare post: monthly subsidy roll"),
    ),
    "posts.score_full": Default(
        90,
        _("Assessment score for the full subsidy"),
        unit=POINTS,
        minimum=1,
        maximum=100,
        meaning=_(
            "Where the month is scored (百分制考核), a score of at least this pays the whole "
            "subsidy; a passing score below it pays the score's share (a score of 75 pays 75%)."
        ),
        used_by=_("Public-welfare post: monthly subsidy roll"),
    ),
    "posts.score_pass": Default(
        60,
        _("Lowest passing assessment score"),
        unit=POINTS,
        minimum=0,
        maximum=100,
        meaning=_("A month scored below this is failed: no subsidy for it (考核不合格)."),
        used_by=_("Public-welfare post: monthly subsidy roll"),
    ),
    "posts.subsidy_floor": Default(
        500,
        _("Lowest monthly subsidy of a post"),
        unit=YUAN,
        minimum=0,
        maximum=10000,
        meaning=_(
            "A post is set up with at least this monthly subsidy (the local floor, e.g. half "
            "the minimum wage); a lower one is refused."
        ),
        used_by=_("Setting up a public-welfare post"),
    ),
    "posts.renewals_max": Default(
        2,
        _("Renewals of a post term"),
        unit=TIMES,
        minimum=0,
        maximum=10,
        meaning=_(
            "How many times a holder's term on a post may be renewed (续聘); one more is refused."
        ),
        used_by=_("Public-welfare post: renewal"),
    ),
    "posts.renewal_months": Default(
        12,
        _("Months a renewal adds to a term"),
        unit=MONTHS,
        minimum=1,
        maximum=60,
        meaning=_("A renewed term runs this many months from the day after the last one ends."),
        used_by=_("Public-welfare post: renewal"),
    ),
}
