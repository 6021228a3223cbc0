"""Assessments, the household's assistance case and each labour member's employment case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.policy.codes import DesiredArea
from casework.policy.models import Code
from casework.policy.selectors import code_display
from casework.registry.models import Household, Member

USER = settings.AUTH_USER_MODEL


class HouseholdCase(models.Model):
    """The household's assistance, from registration until every labour member's case is closed
    and at least one member is in stable work (1户1人)."""

    class State(models.TextChoices):
        OPEN = "open", _("Under assistance")
        CLOSED = "closed", _("Closed")

    # The one way a household case changes state (``cases.services.household_case_close``).
    TRANSITIONS: dict[str, frozenset[str]] = {
        State.OPEN: frozenset({State.CLOSED}),
        State.CLOSED: frozenset(),
    }

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="cases"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("household case")
        verbose_name_plural = _("household cases")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(closed_at__isnull=True),
                name="one_open_case_per_household",
            ),
        ]

    def __str__(self) -> str:
        return str(self.household)

    @property
    def state(self) -> str:
        """Open until ``closed_at`` is set (the household case keeps no state column)."""
        return self.State.CLOSED if self.closed_at is not None else self.State.OPEN


class Category(models.TextChoices):
    CAPABLE = "capable", _("Capable (能人)")
    TRAINING = "training", _("Needs training (需培训)")
    THREE_NO = "three_no", _("Three-nos (三无)")
    NOT_LABOUR = "not_labour", _("Not labour force (非劳动力)")


class Assessment(models.Model):
    """One assessment of one member (摸底); a member's assessments are numbered versions."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Sent back")
        NOT_REQUIRED = "not_required", _("No review (reassessment)")

    # Indexed as the first column of one_assessment_version (no index of its own).
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="assessments",
        db_index=False,
    )
    household_case = models.ForeignKey(
        HouseholdCase,
        verbose_name=_("household case"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    version = models.PositiveIntegerField(_("version"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    labour_capacity = models.CharField(
        _("labour capacity"), max_length=12, choices=Member.LabourCapacity.choices
    )
    work_willing = models.BooleanField(_("willing to work"), default=True)
    training_willing = models.BooleanField(_("willing to train"), default=False)
    desired_trade = models.CharField(_("desired trade"), max_length=16, blank=True)
    desired_area = models.CharField(
        _("desired work area"), max_length=12, choices=DesiredArea.choices, blank=True
    )
    reasons = models.TextField(_("reasons"), blank=True)
    assessed_by = models.ForeignKey(
        USER, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True)
    review = models.CharField(
        _("review"), max_length=12, choices=Review.choices, default=Review.PENDING
    )
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("review remarks"), blank=True)

    class Meta:
        ordering = ["member_id", "version"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        permissions = [
            ("review_assessment", _("Review assessments and decide public-welfare posts")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["member", "version"], name="one_assessment_version"),
        ]

    def __str__(self) -> str:
        return f"{self.member} v{self.version}"

    def get_desired_trade_display(self) -> str:
        return code_display(self, "desired_trade", Code.List.TRADE)


class EmploymentCase(models.Model):
    """A labour member's way from assessment to stable work (reference/domain.md §7.1)."""

    class State(models.TextChoices):
        SEEKING = "seeking", _("Waiting for placement")
        TO_ENROL = "to_enrol", _("Waiting to enrol in training")
        IN_TRAINING = "in_training", _("In training")
        TO_APPLY = "to_apply", _("Waiting to apply for a public-welfare post")
        AWAITING_POST = "awaiting_post", _("Public-welfare post awaiting approval")
        POST_APPROVED = "post_approved", _("Public-welfare post approved, not yet started")
        EMPLOYED = "employed", _("Employed")
        ON_POST = "on_post", _("On a public-welfare post")
        REASSESSING = "reassessing", _("To be reassessed")
        STABLE = "stable", _("Stably employed")
        EXITED = "exited", _("Assistance ended")
        NOT_IN_SCOPE = "not_in_scope", _("Not in the labour force")
        LEFT = "left", _("Left the household")

    CLOSED_STATES = (State.STABLE, State.EXITED, State.NOT_IN_SCOPE, State.LEFT)
    WORKING_STATES = (State.EMPLOYED, State.ON_POST)
    OPEN_STATES = (
        State.SEEKING, State.TO_ENROL, State.IN_TRAINING, State.TO_APPLY, State.AWAITING_POST,
        State.POST_APPROVED, State.EMPLOYED, State.ON_POST, State.REASSESSING,
    )  # fmt: skip
    # Every state change a case may make; ``cases.services.case_transition`` refuses the rest.
    # Opened in SEEKING, TO_ENROL or TO_APPLY by category (``ROUTE_BY_CATEGORY``). A member who
    # leaves the household (moved out, married out, deceased) closes the case from any open state.
    TRANSITIONS: dict[str, frozenset[str]] = {
        # placed; refused an offer (reassessment, or assistance ends at the refusal limit)
        State.SEEKING: frozenset({State.EMPLOYED, State.REASSESSING, State.EXITED, State.LEFT}),
        # enrolled in a course; refused the training
        State.TO_ENROL: frozenset({State.IN_TRAINING, State.REASSESSING, State.EXITED, State.LEFT}),
        # passed the course (placement) or failed/dropped out
        State.IN_TRAINING: frozenset({State.SEEKING, State.REASSESSING, State.LEFT}),
        # applied for a post; refused the post
        State.TO_APPLY: frozenset(
            {State.AWAITING_POST, State.REASSESSING, State.EXITED, State.LEFT}
        ),
        # approved (on the post at once, or from a later start date) or refused by the manager
        State.AWAITING_POST: frozenset(
            {State.POST_APPROVED, State.ON_POST, State.REASSESSING, State.LEFT}
        ),
        # the start date came; or the member left the post before it
        State.POST_APPROVED: frozenset({State.ON_POST, State.REASSESSING, State.LEFT}),
        # lost the job (back to placement); still working at the stability month
        State.EMPLOYED: frozenset({State.SEEKING, State.STABLE, State.LEFT}),
        # left the post or its term ran out (reassessment); still on it at the stability month
        State.ON_POST: frozenset({State.REASSESSING, State.STABLE, State.LEFT}),
        # re-routed by the new category, or out of the labour force
        State.REASSESSING: frozenset(
            {State.SEEKING, State.TO_ENROL, State.TO_APPLY, State.NOT_IN_SCOPE, State.LEFT}
        ),
        State.STABLE: frozenset(),
        State.EXITED: frozenset(),
        State.NOT_IN_SCOPE: frozenset(),
        State.LEFT: frozenset(),
    }

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="employment_cases",
    )
    household_case = models.ForeignKey(
        HouseholdCase,
        verbose_name=_("household case"),
        on_delete=models.PROTECT,
        related_name="employment_cases",
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SEEKING
    )
    refusal_count = models.PositiveSmallIntegerField(_("refusals"), default=0)
    working_since = models.DateField(_("working since"), null=True, blank=True)
    work_episode = models.PositiveSmallIntegerField(_("jobs or posts taken"), default=0)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)

    class Meta:
        ordering = ["household_case_id", "member_id"]
        verbose_name = _("employment case")
        verbose_name_plural = _("employment cases")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(closed_at__isnull=True),
                name="one_open_case_per_member",
            ),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_state_display()}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class RetentionFollowUp(models.Model):
    """A check that a placed member is still working (1, 3, 6 months after the start)."""

    case = models.ForeignKey(
        EmploymentCase,
        verbose_name=_("employment case"),
        on_delete=models.PROTECT,
        related_name="followups",
    )
    episode = models.PositiveSmallIntegerField(_("work episode"))
    month = models.PositiveSmallIntegerField(_("month after start"))
    still_working = models.BooleanField(_("still working"))
    monthly_income = models.DecimalField(
        _("monthly income (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["case_id", "recorded_at", "id"]
        verbose_name = _("retention follow-up")
        verbose_name_plural = _("retention follow-ups")

    def __str__(self) -> str:
        return f"{self.case_id} +{self.month}"
