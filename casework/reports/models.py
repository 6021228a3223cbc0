"""Background exports: a batch of case files for many households, made outside the request.

The dashboard's right (``reports.view_dashboard``) is declared on ``CaseFileBatch``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.registry.models import Site


class CaseFileBatch(models.Model):
    """The case files of a set of households (fixed when requested), as one ZIP."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        ZIPPING = "zipping", _("Packing the ZIP")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.CharField(_("households"), max_length=200)
    household_ids = models.JSONField(_("household ids"), default=list)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    total = models.PositiveIntegerField(_("case files"), default=0)
    done = models.PositiveIntegerField(_("case files made"), default=0)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case-file batch")
        verbose_name_plural = _("case-file batches")
        permissions = [("view_dashboard", _("View the dashboard of managed sites"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.description} ({self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class CaseFilePart(models.Model):
    """A slice of a batch made by one task, so that a batch spreads over every worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(
        CaseFileBatch,
        verbose_name=_("case-file batch"),
        on_delete=models.CASCADE,
        related_name="parts",
    )
    household_ids = models.JSONField(_("household ids"), default=list)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    # Each claim by a worker counts one attempt; only the current attempt may write.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name = _("case-file batch part")
        verbose_name_plural = _("case-file batch parts")

    def __str__(self) -> str:
        return f"#{self.batch_id}.{self.pk} ({len(self.household_ids)})"


class GridDailyFigures(models.Model):
    """The dashboard's counts for the households of one grid, as they stood when built on
    ``day`` (``dashboard.services.figures_snapshot_build``). Every count adds up across grids;
    ``zero_employment`` lists the grid's zero-employment households as ``[id, labour]`` pairs in
    household-number order, so the page lists the first ones without counting anything."""

    # Indexed as the first column of grid_daily_figures_once_a_day (no index of its own).
    grid = models.ForeignKey(
        "registry.Grid",
        verbose_name=_("grid"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    day = models.DateField(_("day"))
    built_at = models.DateTimeField(_("built at"))
    households = models.PositiveIntegerField(_("households"), default=0)
    labour = models.PositiveIntegerField(_("labour members"), default=0)
    assessed = models.PositiveIntegerField(_("labour members assessed"), default=0)
    employed = models.PositiveIntegerField(_("labour members employed"), default=0)
    households_with_labour = models.PositiveIntegerField(_("households with labour"), default=0)
    households_employed = models.PositiveIntegerField(
        _("households with someone in work"), default=0
    )
    training_passed = models.PositiveIntegerField(_("enrolments passed"), default=0)
    training_failed = models.PositiveIntegerField(_("enrolments failed"), default=0)
    overdue_tasks = models.PositiveIntegerField(_("overdue tasks"), default=0)
    overdue_visits = models.PositiveIntegerField(_("households overdue for a visit"), default=0)
    by_category = models.JSONField(_("labour members by category"), default=dict)
    by_channel = models.JSONField(_("labour members in work by channel"), default=dict)
    zero_employment = models.JSONField(_("zero-employment households"), default=list)

    class Meta:
        ordering = ["-day", "grid"]
        verbose_name = _("daily figures of a grid")
        verbose_name_plural = _("daily figures of grids")
        constraints = [
            models.UniqueConstraint(fields=["grid", "day"], name="grid_daily_figures_once_a_day")
        ]
        indexes = [models.Index(fields=["day"], name="grid_daily_figures_day")]

    def __str__(self) -> str:
        return f"{self.grid_id} {self.day}"


class SiteDailyFigures(models.Model):
    """The counts that belong to a site rather than a grid (its public-welfare posts), built with
    the grids' figures."""

    # Indexed as the first column of site_daily_figures_once_a_day (no index of its own).
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    day = models.DateField(_("day"))
    built_at = models.DateTimeField(_("built at"))
    post_quota = models.PositiveIntegerField(_("public-welfare post quota"), default=0)
    on_post = models.PositiveIntegerField(_("people on post"), default=0)

    class Meta:
        ordering = ["-day", "site"]
        verbose_name = _("daily figures of a site")
        verbose_name_plural = _("daily figures of sites")
        constraints = [
            models.UniqueConstraint(fields=["site", "day"], name="site_daily_figures_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day}"


class FiguresBuild(models.Model):
    """One day's build of every grid's figures: queued by the scheduler once a day, finished by
    the worker. The finished days are the points of the dashboard's monthly trends."""

    day = models.DateField(_("day"), unique=True)
    requested_at = models.DateTimeField(_("requested at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    grids = models.PositiveIntegerField(_("grids"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("build of the dashboard's figures")
        verbose_name_plural = _("builds of the dashboard's figures")

    def __str__(self) -> str:
        return str(self.day)


class MonthFigures(models.Model):
    """One unit's month-end figures (``casework.reports.monthly``): a grid, a site, a township or
    a county (``unit`` is its key), counted from the month's dated records. A row is ``final``
    once every site of the unit has closed the month: its records are locked, and later builds
    leave the row alone."""

    unit = models.CharField(_("unit"), max_length=140)
    month = models.DateField(_("month"))
    counts = models.JSONField(_("figures"), default=dict)
    built_at = models.DateTimeField(_("built at"))
    final = models.BooleanField(_("final"), default=False)

    class Meta:
        ordering = ["unit", "month"]
        verbose_name = _("month-end figures")
        verbose_name_plural = _("month-end figures")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="month_figures_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"
