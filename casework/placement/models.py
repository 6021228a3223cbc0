"""Employment episodes (the employer and vacancy menu comes with the placement module)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.cases.models import EmploymentCase
from casework.policy.codes import LocationClass
from casework.registry.models import Member

USER = settings.AUTH_USER_MODEL


class Channel(models.TextChoices):
    """How the job was found (a subset of the 七个一批 channels)."""

    ENTERPRISE = "enterprise", _("Hired by a local enterprise or co-operative")
    WORKSHOP = "workshop", _("Assistance workshop near home")
    ORGANISED = "organised", _("Organised labour migration")
    SELF_EMPLOYED = "self_employed", _("Self-employed or own business")
    FLEXIBLE = "flexible", _("Flexible employment")
    WORK_RELIEF = "work_relief", _("Work relief (以工代赈)")


class Placement(models.Model):
    """One employment episode of a member."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="placements"
    )
    case = models.ForeignKey(
        EmploymentCase,
        verbose_name=_("employment case"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    employer_name = models.CharField(_("employer"), max_length=100, blank=True)
    self_found = models.BooleanField(_("found the job themselves"), default=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.TextField(_("reason for leaving"), blank=True)
    location_class = models.CharField(
        _("work location"), max_length=10, choices=LocationClass.choices
    )
    place = models.CharField(_("place of work"), max_length=100, blank=True)
    monthly_income = models.DecimalField(_("monthly income (yuan)"), max_digits=9, decimal_places=2)
    contract_months = models.PositiveSmallIntegerField(_("contract months"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["member_id", "start_date"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(end_date__isnull=True), name="one_current_job"
            ),
            models.CheckConstraint(
                condition=Q(monthly_income__gte=0), name="placement_income_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.employer_name or self.get_channel_display()}"
