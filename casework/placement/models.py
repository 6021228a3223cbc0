"""Employers, their vacancies (岗位菜单), and employment episodes."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from casework.cases.models import EmploymentCase
from casework.policy.codes import LocationClass
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_display
from casework.registry.models import Member, Site

USER = settings.AUTH_USER_MODEL


class Channel(models.TextChoices):
    """就业渠道 (reference/domain.md §5.10): the codes the rules name. The list itself, its
    labels and its national groupings (七个一批, 五个一批) are data: the ``channel`` code list
    (``policy.Code``)."""

    ENTERPRISE = "enterprise", _("Hired by a local enterprise or co-operative")
    ORGANISED = "organised", _("Organised labour migration")
    MIGRATION = "migration", _("Migrant work found independently")
    WORKSHOP = "workshop", _("Assistance workshop, community or park factory")
    SELF_EMPLOYED = "self_employed", _("Self-employed or own business")
    INDUSTRY = "industry", _("Own farming or co-operative")
    FLEXIBLE = "flexible", _("Flexible employment")
    WORK_RELIEF = "work_relief", _("Work relief (以工代赈)")
    PUBLIC_WELFARE = "public_welfare", _("Public-welfare post")
    OTHER = "other", _("Other")


# Channels whose work is by nature near home (data-quality rule 9).
LOCAL_CHANNELS = (Channel.WORKSHOP, Channel.PUBLIC_WELFARE)


class Employer(models.Model):
    """A local employer on the site's job menu."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        COOPERATIVE = "cooperative", _("Co-operative")
        WORKSHOP = "workshop", _("Employment assistance workshop")
        PARK_FACTORY = "park_factory", _("Industrial-park factory")
        LABOUR_AGENCY = "labour_agency", _("Labour-service company")
        INDIVIDUAL = "individual", _("Individual business")

    name = models.CharField(_("employer"), max_length=100)
    kind = models.CharField(_("employer type"), max_length=16, choices=Kind.choices)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="employers"
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    location_class = models.CharField(
        _("work location"), max_length=10, choices=LocationClass.choices
    )
    place = models.CharField(_("place of work"), max_length=100, blank=True)
    industry = models.CharField(_("industry"), max_length=50, blank=True)

    class Meta:
        ordering = ["site_id", "name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.name


def vacancy_age_min_default() -> int:
    """The minimum age a new vacancy proposes: the lowest allowed (``vacancy.age_lowest``)."""
    return int(param("vacancy.age_lowest"))


def vacancy_age_max_default() -> int:
    """The maximum age a new vacancy proposes (``vacancy.age_max_default``)."""
    return int(param("vacancy.age_max_default"))


class Vacancy(models.Model):
    """A line of the job menu (岗位菜单): how many people, what pay, who fits."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="vacancies"
    )
    title = models.CharField(_("job"), max_length=100)
    trade = models.CharField(_("trade"), max_length=16)
    headcount = models.PositiveSmallIntegerField(_("headcount"))
    filled = models.PositiveSmallIntegerField(_("filled"), default=0)
    wage_min = models.DecimalField(_("monthly wage from"), max_digits=9, decimal_places=2)
    wage_max = models.DecimalField(_("monthly wage to"), max_digits=9, decimal_places=2)
    location_class = models.CharField(
        _("work location"), max_length=10, choices=LocationClass.choices
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), default=vacancy_age_min_default)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), default=vacancy_age_max_default)
    required_certificate_trade = models.BooleanField(
        _("needs a certificate in the trade"), default=False
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))

    class Meta:
        ordering = ["-valid_to", "title"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [
            models.CheckConstraint(
                condition=Q(filled__lte=F("headcount")), name="vacancy_not_overfilled"
            ),
            models.CheckConstraint(
                condition=Q(wage_max__gte=F("wage_min")), name="vacancy_wage_range"
            ),
            models.CheckConstraint(
                condition=Q(age_max__gte=F("age_min")), name="vacancy_age_range"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="vacancy_dates"
            ),
        ]
        indexes = [models.Index(fields=["valid_to", "trade"])]

    def __str__(self) -> str:
        return f"{self.employer} · {self.title}"

    def get_trade_display(self) -> str:
        return code_display(self, "trade", Code.List.TRADE)


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
    channel = models.CharField(_("channel"), max_length=16)
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer on the job menu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
    )
    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name=_("vacancy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
    )
    employer_name = models.CharField(_("employer"), max_length=100, blank=True)
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    organised_transport = models.BooleanField(_("organised door-to-door transport"), null=True)
    warnings = models.JSONField(_("data-quality warnings accepted"), default=list, blank=True)
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

    def get_channel_display(self) -> str:
        return code_display(self, "channel", Code.List.CHANNEL)
