"""防返贫监测: monitored households (监测对象), their income by year, the assistance measures
in place, and the proposals to mark their risk eliminated (reference/domain.md §3.4, §7.4, §8.6).

A household has at most one open monitoring at a time; once its risk is eliminated the record
stays, with the date and the kind of elimination, and a new risk opens a new record.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.registry.models import Household

USER = settings.AUTH_USER_MODEL

# The kinds of monitored household are the household's own monitoring categories.
MonitoringKind = Household.Monitoring


class Risk(models.TextChoices):
    """致贫/返贫风险: the national list; a household has one to five."""

    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    SCHOOLING = "schooling", _("Schooling costs")
    DISASTER = "disaster", _("Natural disaster")
    ACCIDENT = "accident", _("Accident")
    INDUSTRY = "industry", _("Failed farming or business")
    UNSTABLE_WORK = "unstable_work", _("Unstable work")
    NO_LABOUR = "no_labour", _("Lack of labour")
    OTHER = "other", _("Other")


MAX_RISKS = 5


class Route(models.TextChoices):
    """How the risk was found (发现途径)."""

    SELF_REPORT = "self_report", _("Reported by the household")
    SCREENING = "screening", _("Found by local staff")
    DEPARTMENT = "department", _("Flagged by a department")


class MeasureKind(models.TextChoices):
    """帮扶措施: the kinds of assistance the national system records."""

    EMPLOYMENT = "employment", _("Employment assistance")
    WELFARE_POST = "welfare_post", _("Public-welfare post")
    INDUSTRY = "industry", _("Farming or business support")
    EDUCATION = "education", _("Education support")
    HEALTH = "health", _("Health support")
    SOCIAL = "social", _("Social assistance")
    HOUSING = "housing", _("Housing or water safety")
    OTHER = "other", _("Other assistance")


# Measures that mean someone in the household earns a wage (rule 15 of the checks).
WAGE_MEASURES = (MeasureKind.EMPLOYMENT, MeasureKind.WELFARE_POST)


class MonitoredHousehold(models.Model):
    """监测对象: a household identified as at risk, monitored until its risk is eliminated."""

    class Status(models.TextChoices):
        MONITORED = "monitored", _("Being monitored")
        PROPOSED = "proposed", _("Elimination under way")
        ELIMINATED = "eliminated", _("Risk eliminated")

    KINDS = tuple(code for code in MonitoringKind.values if code)

    class Elimination(models.TextChoices):
        ASSISTED = "assisted", _("Eliminated through assistance")
        NATURAL = "natural", _("Eliminated naturally")

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="monitorings",
    )
    kind = models.CharField(
        _("monitoring category"),
        max_length=12,
        choices=[c for c in MonitoringKind.choices if c[0]],
    )
    risks = models.JSONField(_("risks"), default=list)
    route = models.CharField(_("found by"), max_length=12, choices=Route.choices)
    identified_on = models.DateField(_("identified on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    # 整户无劳动能力兜底保障户: nobody can work and social assistance carries the household.
    no_labour_safeguard = models.BooleanField(
        _("whole household without labour, safeguarded by social assistance"), default=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.MONITORED
    )
    elimination = models.CharField(
        _("elimination"), max_length=10, choices=Elimination.choices, blank=True
    )
    eliminated_on = models.DateField(_("eliminated on"), null=True, blank=True)
    identified_by = models.ForeignKey(
        USER, verbose_name=_("identified by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-identified_on", "-id"]
        verbose_name = _("monitored household")
        verbose_name_plural = _("monitored households")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=~Q(status="eliminated"),
                name="one_open_monitoring_per_household",
            ),
            models.CheckConstraint(
                condition=(Q(status="eliminated", eliminated_on__isnull=False) & ~Q(elimination=""))
                | (~Q(status="eliminated") & Q(eliminated_on__isnull=True, elimination="")),
                name="eliminated_with_date_and_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.get_kind_display()} · {self.identified_on}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.ELIMINATED

    def risk_labels(self) -> list[str]:
        labels = dict(Risk.choices)
        return [str(labels.get(code, code)) for code in self.risks]


class MonitoringIncome(models.Model):
    """A monitored household's income for one calendar year (人均纯收入, 工资性收入)."""

    # Indexed as the first column of one_income_per_year (no index of its own).
    monitored = models.ForeignKey(
        MonitoredHousehold,
        verbose_name=_("monitored household"),
        on_delete=models.CASCADE,
        related_name="incomes",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    per_capita_net_income = models.DecimalField(
        _("net income per person (yuan a year)"), max_digits=10, decimal_places=2
    )
    wage_income = models.DecimalField(
        _("household wage income (yuan a year)"), max_digits=12, decimal_places=2
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("monitored household's income")
        verbose_name_plural = _("monitored households' incomes")
        constraints = [
            models.UniqueConstraint(fields=["monitored", "year"], name="one_income_per_year"),
            models.CheckConstraint(
                condition=Q(per_capita_net_income__gte=0, wage_income__gte=0),
                name="income_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.monitored_id} · {self.year}"


class AssistanceMeasure(models.Model):
    """帮扶措施: one measure in place for a monitored household, from a date, by someone."""

    monitored = models.ForeignKey(
        MonitoredHousehold,
        verbose_name=_("monitored household"),
        on_delete=models.CASCADE,
        related_name="measures",
    )
    kind = models.CharField(_("measure"), max_length=14, choices=MeasureKind.choices)
    detail = models.CharField(_("detail"), max_length=200)
    responsible = models.CharField(_("responsible person or unit"), max_length=60)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = _("assistance measure")
        verbose_name_plural = _("assistance measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="measure_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.started_on}"


class EliminationProposal(models.Model):
    """风险消除: a caseworker's proposal, the manager's review and the public notice."""

    class Decision(models.TextChoices):
        PENDING = "", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    class Outcome(models.TextChoices):
        PENDING = "", _("Not concluded")
        ELIMINATED = "eliminated", _("Risk eliminated")
        REFUSED = "refused", _("Refused in review")
        WITHDRAWN = "withdrawn", _("Withdrawn after objections")

    monitored = models.ForeignKey(
        MonitoredHousehold,
        verbose_name=_("monitored household"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    elimination = models.CharField(
        _("elimination"), max_length=10, choices=MonitoredHousehold.Elimination.choices
    )
    reason = models.CharField(_("grounds"), max_length=500)
    proposed_by = models.ForeignKey(
        USER, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, blank=True, default=""
    )
    decision_note = models.CharField(_("review note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        USER,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    notice_from = models.DateField(_("notice posted on"), null=True, blank=True)
    notice_until = models.DateField(_("notice period ends"), null=True, blank=True)
    objections = models.CharField(_("objections and how resolved"), max_length=500, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("elimination proposal")
        verbose_name_plural = _("elimination proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["monitored"], condition=Q(outcome=""), name="one_open_proposal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.monitored_id} · {self.get_elimination_display()}"
