"""Policy parameters: local numbers with the date from which each value applies."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .defaults import DEFAULTS


class Parameter(models.Model):
    """One value of a policy parameter, in force from ``valid_from`` to ``valid_to`` (both
    days included; open-ended without ``valid_to``).

    On a day no row covers, the parameter has the default of ``casework.policy.defaults.DEFAULTS``.
    Rows are written only by ``casework.policy.services.parameter_set``, which keeps the periods
    of one key from overlapping.
    """

    key = models.CharField(_("parameter"), max_length=64)
    value = models.JSONField(_("value"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("source or note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["key", "-valid_from"]
        verbose_name = _("policy parameter")
        verbose_name_plural = _("policy parameters")
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="one_value_per_day"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="parameter_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        default = DEFAULTS.get(self.key)
        return f"{default.label if default else self.key}（{self.valid_from}）"


class Code(models.Model):
    """One code of a code list (channels, trades, exit reasons, pairing types …), valid from
    ``valid_from`` until ``valid_to`` (open when empty). Records keep storing the code string;
    an ended code still shows its label on the records that used it."""

    class List(models.TextChoices):
        CHANNEL = "channel", _("Employment channels")
        TRADE = "trade", _("Trades")
        EXIT_REASON = "exit_reason", _("Reasons for leaving a public-welfare post")
        NOT_WORKING = "not_working", _("Reasons for not working")
        PAIRING_TYPE = "pairing_type", _("Pairing types")

    list_name = models.CharField(_("code list"), max_length=20, choices=List.choices)
    code = models.CharField(_("code"), max_length=32)
    label = models.CharField(_("label"), max_length=100)
    group = models.CharField(_("group (七个一批)"), max_length=30, blank=True)
    group_five = models.CharField(_("group (五个一批)"), max_length=30, blank=True)
    national_label = models.CharField(_("national label"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["list_name", "sort_order", "code"]
        verbose_name = _("code")
        verbose_name_plural = _("code lists")
        constraints = [
            models.UniqueConstraint(fields=["list_name", "code"], name="one_code_per_list"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="code_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_list_name_display()} · {self.label}"


from .calendar_models import WorkCalendarDay, WorkCalendarYear  # noqa: E402

__all__ = ["Code", "Parameter", "WorkCalendarDay", "WorkCalendarYear"]
