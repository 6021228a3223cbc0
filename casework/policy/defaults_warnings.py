"""The early-warning rules' numbers (预警): each local, each a parameter."""

from django.utils.translation import gettext_lazy as _

from .spec import DAYS, MONTHS, YUAN, Default

WARNINGS: dict[str, Default] = {
    "warning.replacement_days": Default(
        30,
        _("Days within which a member who lost work is placed again"),
        unit=DAYS,
        minimum=1,
        maximum=365,
        meaning=_(
            "A labour member whose last job ended this many days ago or more, with no job or "
            "public-welfare post since, is flagged to their caseworker and manager."
        ),
        used_by=_("Early warnings"),
    ),
    "warning.monthly_income_line": Default(
        1000,
        _("Monthly income below which a month counts as low"),
        unit=YUAN,
        minimum=0,
        maximum=100000,
        meaning=_(
            "A month of the monthly work record with less income than this (or not working) "
            "counts towards the low-income warning."
        ),
        used_by=_("Early warnings"),
    ),
    "warning.low_income_months": Default(
        3,
        _("Months of low income in a row before a warning"),
        unit=MONTHS,
        minimum=1,
        maximum=12,
        meaning=_(
            "A member whose monthly work record was low for each of this many past months "
            "is flagged."
        ),
        used_by=_("Early warnings"),
    ),
    "warning.zero_employment_days": Default(
        30,
        _("Days within which a zero-employment household is cleared"),
        unit=DAYS,
        minimum=1,
        maximum=365,
        meaning=_(
            "A household with labour and nobody in work for this many days or more (since "
            "its last job ended, or since it was registered) is flagged (动态清零)."
        ),
        used_by=_("Early warnings"),
    ),
}
