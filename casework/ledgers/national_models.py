"""What the national base table brings that the registry does not hold: each member's national
person number and the national cells kept as written (``NationalRecord``), the households that
came without a site or grid and wait for a manager (``UnassignedHousehold``), and the cells a
later import found different, waiting for a manager to apply them (``NationalChange``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.registry.models import Household, Member, Region


class NationalRecord(models.Model):
    """A member as the national system knows them: 人编号 and the cells of its table."""

    member = models.OneToOneField(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="national",
    )
    person_number = models.CharField(_("national person number"), max_length=40, db_index=True)
    # Header (the layout's own name) → the cell's text as the last import wrote it.
    cells = models.JSONField(_("national cells"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("national record")
        verbose_name_plural = _("national records")

    def __str__(self) -> str:
        return self.person_number


class UnassignedHousehold(models.Model):
    """A household of a national table that named no site or grid: it waits, with its rows as
    they were written, until a manager places it in a grid (it is then registered)."""

    number = models.CharField(_("household number"), max_length=40, unique=True)
    head_name = models.CharField(_("head of household"), max_length=50, blank=True)
    members = models.PositiveSmallIntegerField(_("members"), default=0)
    # The county the file names, when it is one the importer imports for; who may place it.
    county = models.ForeignKey(
        Region,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.CharField(_("township and village"), max_length=200, blank=True)
    rows = models.JSONField(_("rows"), default=list)  # one {header: text} per member
    source = models.ForeignKey(
        "ledgers.LedgerImport",
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="unassigned",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("household waiting for a grid")
        verbose_name_plural = _("households waiting for a grid")

    def __str__(self) -> str:
        return self.number


class NationalChange(models.Model):
    """One cell that a later national table holds differently, or a member it adds; nothing
    changes until a manager applies the import's changes."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Waiting")
        APPLIED = "applied", pgettext_lazy("difference", "Applied")
        STALE = "stale", _("Changed since; not applied")
        REFUSED = "refused", _("Refused; not applied")

    source = models.ForeignKey(
        "ledgers.LedgerImport",
        verbose_name=_("import"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="+"
    )
    # None: a member the file adds (``row`` holds their cells).
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    line = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=60, blank=True)
    old = models.TextField(_("in the system"), blank=True)
    new = models.TextField(_("in the file"), blank=True)
    row = models.JSONField(_("row"), default=dict, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default="", blank=True
    )
    note = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        ordering = ["line", "id"]
        verbose_name = _("national table difference")
        verbose_name_plural = _("national table differences")

    def __str__(self) -> str:
        return f"{self.line} {self.column}"
