"""The numbers of a public-welfare post's public notice and month by month (公示, 考勤, 补贴):
each local, each a parameter."""

from django.utils.translation import gettext_lazy as _

from .spec import WORKING_DAYS, Default

POSTS: dict[str, Default] = {
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
}
