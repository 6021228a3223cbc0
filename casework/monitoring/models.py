"""务工月监测: for each labour member, each month, whether they worked, where and for what pay;
and the months a site's manager has closed, after which that month's records are locked."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.policy.codes import LocationClass
from casework.registry.models import Grid, Household, Member, Site

USER = settings.AUTH_USER_MODEL


class NotWorkingReason(models.TextChoices):
    """未就业原因 (reference/domain.md §5.9 row 26)."""

    SEEKING = "seeking", _("Looking for work")
    CARE = "care", _("Caring for the family")
    ILL = "ill", _("Ill or injured")
    SCHOOL = "school", _("At school")
    FARMING = "farming", _("Farming at home")
    UNWILLING = "unwilling", _("Does not wish to work")
    OVER_AGE = "over_age", _("Past working age")
    OTHER = "other", _("Other")


class MonthlyWorkRecord(models.Model):
    """One labour member's work in one month (``month`` is its first day)."""

    # Indexed as the first column of work_month_one_per_member (no index of its own).
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="work_months",
        db_index=False,
    )
    # The grid the month was entered for: a site's figures read its grids' records by this key
    # (indexed with the month), not through every member's household.
    # Indexed as the first column of work_month_by_grid (no index of its own).
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="work_months",
        db_index=False,
    )
    # The household the member belonged to when the month was entered: a split (分户) later
    # leaves the month's households as they were.
    # Indexed as the first column of work_month_by_household (no index of its own).
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    month = models.DateField(_("month"))
    working = models.BooleanField(_("working"))
    location_class = models.CharField(
        _("work location"), max_length=10, choices=LocationClass.choices, blank=True
    )
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    employer_name = models.CharField(_("employer"), max_length=100, blank=True)
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    organised_transport = models.BooleanField(_("organised door-to-door transport"), null=True)
    monthly_income = models.DecimalField(
        _("monthly income (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    days_worked = models.PositiveSmallIntegerField(_("days worked"), null=True, blank=True)
    not_working_reason = models.CharField(
        _("reason not working"), max_length=12, choices=NotWorkingReason.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("monthly work record")
        verbose_name_plural = _("monthly work records")
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="work_month_one_per_member"),
            # Working: income and days; not working: a reason and neither.
            models.CheckConstraint(
                condition=(
                    Q(
                        working=True,
                        monthly_income__isnull=False,
                        days_worked__isnull=False,
                        not_working_reason="",
                    )
                    | Q(
                        working=False,
                        monthly_income__isnull=True,
                        days_worked__isnull=True,
                    )
                    & ~Q(not_working_reason="")
                ),
                name="work_month_working_or_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["grid", "month"], name="work_month_by_grid"),
            models.Index(fields=["household", "month"], name="work_month_by_household"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}"


class WorkMonthClosure(models.Model):
    """A site's month closed by its manager: its records can no longer change."""

    # Indexed as the first column of work_month_closed_once (no index of its own).
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="closed_work_months",
        db_index=False,
    )
    month = models.DateField(_("month"))
    closed_by = models.ForeignKey(
        USER, verbose_name=_("closed by"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"))

    class Meta:
        verbose_name = _("closed work month")
        verbose_name_plural = _("closed work months")
        constraints = [
            models.UniqueConstraint(fields=["site", "month"], name="work_month_closed_once")
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.month:%Y-%m}"


# 防返贫监测 (monitored households, their incomes, measures and elimination proposals).
from .quality_models import QualityFinding, QualityRun  # noqa: E402
from .risk_models import (  # noqa: E402
    AssistanceMeasure,
    EliminationProposal,
    MonitoredHousehold,
    MonitoringIncome,
)

__all__ = [
    "AssistanceMeasure",
    "EliminationProposal",
    "MonitoredHousehold",
    "MonitoringIncome",
    "MonthlyWorkRecord",
    "NotWorkingReason",
    "QualityFinding",
    "QualityRun",
    "WorkMonthClosure",
]
