"""Pairings (结对帮扶) of helpers with households, their visits (走访), and the concerns raised
in visits that become service requests (诉求)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from casework.policy.models import Code
from casework.policy.selectors import code_display
from casework.registry.models import Household

USER = settings.AUTH_USER_MODEL


class Pairing(models.Model):
    """A helper looks after a household from ``start_date`` until ``end_date``.

    The helper is a staff user (``helper``: the pairing reaches their inbox) or, for the types
    whose helper is a household of the site (党员中心户, 能人大户带贫), that household
    (``helper_household``: no login, nothing reaches anybody's inbox). Exactly one is set.
    """

    class Kind(models.TextChoices):
        # The codes; their labels, caps and kind of helper are read through
        # ``casework.pairing.types.pairing_types``.
        PARTY = "party", _("Party member pairing (党员结对)")
        CADRE = "cadre", _("Cadre takes the household (干部包户)")
        CAPABLE = "capable", _("Capable household leads (能人带动)")
        PARTY_CENTRE = "party_centre", _("Party-member centre household (党员中心户)")
        CAPABLE_HOUSEHOLD = (
            "capable_household",
            _("Capable household helps (能人大户带贫)"),
        )

    helper = models.ForeignKey(
        USER,
        verbose_name=_("helper"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    helper_household = models.ForeignKey(
        Household,
        verbose_name=_("helper household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings_led",
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="pairings"
    )
    # A code of the pairing-type code list (``policy.Code``): a county adds and ends types there.
    kind = models.CharField(_("pairing type"), max_length=32)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    handed_over_to = models.OneToOneField(
        "self",
        verbose_name=_("handed over to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handed_over_from",
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["household_id", "start_date", "pk"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["helper", "household"],
                condition=Q(end_date__isnull=True),
                name="one_open_pairing_per_helper_and_household",
            ),
            models.UniqueConstraint(
                fields=["helper_household", "household"],
                condition=Q(end_date__isnull=True),
                name="one_open_pairing_per_helper_household_and_household",
            ),
            models.CheckConstraint(
                condition=Q(helper__isnull=False, helper_household__isnull=True)
                | Q(helper__isnull=True, helper_household__isnull=False),
                name="pairing_has_exactly_one_helper",
            ),
            models.CheckConstraint(
                condition=~Q(helper_household=F("household")),
                name="pairing_helper_household_is_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper_name} ↔ {self.household}"

    def get_kind_display(self) -> str:
        return code_display(self, "kind", Code.List.PAIRING_TYPE)

    @property
    def is_active(self) -> bool:
        return self.end_date is None

    @property
    def helper_name(self) -> str:
        """Who helps, in words: the user's name, or the helper household's number."""
        if self.helper is not None:
            return self.helper.get_full_name() or self.helper.get_username()
        return str(self.helper_household.number) if self.helper_household else ""


class Visit(models.Model):
    """A visit (走访) with the five points to check (五大掌握) and what came of it."""

    class Mode(models.TextChoices):
        HOME = "home", _("Home visit (入户)")
        PHONE = "phone", _("Phone call (电话)")
        WECHAT = "wechat", _("WeChat (微信)")

    # Indexed as the first column of pairing_vis_househo_d7b844_idx (no index of its own).
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,
    )
    visitor = models.ForeignKey(
        USER, verbose_name=_("visited by"), on_delete=models.PROTECT, related_name="visits"
    )
    date = models.DateField(_("date of the visit"))
    mode = models.CharField(_("visit mode"), max_length=8, choices=Mode.choices)
    thinking_stable = models.BooleanField(_("Is their thinking stable?"))
    policy_understood = models.BooleanField(_("Do they understand the policies?"))
    life_happy = models.BooleanField(_("Is their life going well?"))
    industry_developing = models.BooleanField(_("Is their livelihood developing?"))
    problems_solved = models.BooleanField(_("Are their problems solved?"))
    raised = models.TextField(_("what was raised"), blank=True)
    done = models.TextField(_("what was done"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["household_id", "-date", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["household", "date"])]

    def __str__(self) -> str:
        return f"{self.household} {self.date}"


class ServiceRequest(models.Model):
    """A concern to be dealt with (诉求): who first heard it (首问责任人), who handles it, the
    date promised (限时办结)."""

    class Kind(models.TextChoices):
        HANDLE = "handle", _("Something to get done (办理)")
        ADVICE = "advice", _("A question (咨询)")
        COMPLAINT = "complaint", _("A complaint (投诉)")

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("raised in the visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    kind = models.CharField(_("kind of request"), max_length=10, choices=Kind.choices)
    matter = models.TextField(_("the matter"))
    first_contact = models.ForeignKey(
        USER, verbose_name=_("first-contact owner"), on_delete=models.PROTECT, related_name="+"
    )
    promised_date = models.DateField(_("promised by"))
    resolution = models.TextField(_("how it was resolved"), blank=True)
    resolved_by = models.ForeignKey(
        USER,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["promised_date", "pk"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")

    def __str__(self) -> str:
        return f"{self.household} · {self.matter[:20]}"
