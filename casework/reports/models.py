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
