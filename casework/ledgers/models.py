"""The ledgers' own records: each household ledger uploaded for import."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerImport(models.Model):
    """One uploaded household ledger (户籍台账), checked and imported by a background worker.

    Everything or nothing: a ledger with any bad row imports nothing, and its report lists every
    bad row. ``dry_run`` only checks.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking")
        IMPORTING = "importing", _("Importing")
        CHECKED = "checked", _("Checked, nothing imported")
        REJECTED = "rejected", _("Errors found, nothing imported")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        DIFFERS = "differs", _("Imported; differences wait for a manager")
        APPLIED = "applied", _("Imported; differences applied")

    class Layout(models.TextChoices):
        REGISTER = "register", _("Household ledger (户籍台账)")
        NATIONAL = "national", _("National monitoring system table (防返贫监测基础表)")

    FINISHED = (
        Status.CHECKED,
        Status.REJECTED,
        Status.DONE,
        Status.FAILED,
        Status.DIFFERS,
        Status.APPLIED,
    )
    WORKING = (Status.CHECKING, Status.IMPORTING)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    original_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    dry_run = models.BooleanField(_("check only"), default=False)
    layout = models.CharField(
        _("layout"), max_length=10, choices=Layout.choices, default=Layout.REGISTER
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    households_created = models.PositiveIntegerField(_("households imported"), default=0)
    members_created = models.PositiveIntegerField(_("members imported"), default=0)
    households_unchanged = models.PositiveIntegerField(_("households unchanged"), default=0)
    report = models.JSONField(_("report"), default=dict)
    # The uploaded workbook in the "private" storage while the job lasts; removed when it ends.
    upload_name = models.CharField(_("uploaded file"), max_length=200, blank=True)
    # A rejected import's report as a workbook to correct (the uploaded rows with a 原因
    # column), in the "private" storage; removed after CASEFILE_ZIP_RETENTION_DAYS.
    report_file = models.CharField(_("report workbook"), max_length=200, blank=True)
    # Each claim by a worker counts one attempt; only the current attempt may write.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The table of the reports app, where ledger imports were kept before this app.
        db_table = "reports_ledgerimport"
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        permissions = [("import_ledger", _("Import household ledgers"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


from .national_models import NationalChange, NationalRecord, UnassignedHousehold  # noqa: E402

__all__ = ["LedgerImport", "NationalChange", "NationalRecord", "UnassignedHousehold"]
