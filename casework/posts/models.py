"""Public-welfare posts (公益性岗位): the posts with their quota and term, who holds them, their
monthly attendance, exits and vacancies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.cases.models import EmploymentCase
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_display
from casework.registry.models import Member, Site

USER = settings.AUTH_USER_MODEL


class PostType(models.TextChoices):
    CLEANING = "cleaning", _("Sanitation and cleaning")
    FOREST = "forest", _("Forest ranger")
    SECURITY = "security", _("Public security patrol")
    ROADS = "roads", _("Road maintenance")
    SERVICE = "service", _("Community service")


class ExitReason(models.TextChoices):
    """Why an incumbent leaves a post (reference/domain.md §8.1): the codes the rules name;
    the list and its labels are the ``exit_reason`` code list (``policy.Code``)."""

    VOLUNTARY = "voluntary", _("Left voluntarily")
    DISOBEDIENCE = "disobedience", _("Did not follow the rules of the post")
    HEALTH = "health", _("Could not continue for health reasons")
    SUBSTITUTE = "substitute", _("Someone else did the work (顶岗替岗)")
    STABLE_JOB = "stable_job", _("Found stable work by other means")
    CRIME = "crime", _("Broke the law")
    RETIREMENT = "retirement", _("Reached retirement age or died")
    TERM_END = "term_end", _("The term of the post ended")
    OTHER = "other", _("Other reason")


def post_term_months_default() -> int:
    """The term a new post proposes (``posts.term_months_default``)."""
    return int(param("posts.term_months_default"))


class WelfarePost(models.Model):
    """A public-welfare post of a site: how many people it takes and on what terms."""

    name = models.CharField(_("post"), max_length=100)
    kind = models.CharField(_("post type"), max_length=12, choices=PostType.choices)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="welfare_posts"
    )
    quota = models.PositiveSmallIntegerField(_("quota"))
    monthly_subsidy = models.DecimalField(
        _("monthly subsidy (yuan)"), max_digits=9, decimal_places=2
    )
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), default=post_term_months_default
    )
    extended_age = models.BooleanField(
        _("open to healthy people up to the extended age limit"), default=False
    )

    class Meta:
        ordering = ["site_id", "name"]
        verbose_name = _("public-welfare post")
        verbose_name_plural = _("public-welfare posts")
        constraints = [
            models.CheckConstraint(condition=Q(quota__gt=0), name="post_has_quota"),
            models.CheckConstraint(condition=Q(term_months__gt=0), name="post_has_term"),
        ]

    def __str__(self) -> str:
        return self.name


class PostAssignment(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        NOTICE = "notice", _("Approved, on public notice")
        ON_POST = "on_post", _("On post")
        REFUSED = "refused", _("Refused")
        ENDED = "ended", _("Left the post")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="posts"
    )
    case = models.ForeignKey(
        EmploymentCase,
        verbose_name=_("employment case"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    post = models.ForeignKey(
        WelfarePost,
        verbose_name=_("public-welfare post"),
        null=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    post_type = models.CharField(_("post type"), max_length=12, choices=PostType.choices)
    note = models.TextField(_("application note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    applied_by = models.ForeignKey(
        USER, verbose_name=_("applied by"), on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        USER,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    exit_reason = models.CharField(_("exit reason"), max_length=16, blank=True)
    exit_note = models.TextField(_("exit note"), blank=True)
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)

    class Meta:
        ordering = ["member_id", "applied_at"]
        verbose_name = _("public-welfare post assignment")
        verbose_name_plural = _("public-welfare post assignments")

    # An application still to be settled: awaiting the decision, or approved and on notice.
    PENDING = (Status.APPLIED, Status.NOTICE)
    # A place taken on the post: on it, or approved and on notice (the place is held for them).
    HOLDING = (Status.NOTICE, Status.ON_POST)

    def __str__(self) -> str:
        return f"{self.member} · {self.get_post_type_display()}"

    def get_exit_reason_display(self) -> str:
        return code_display(self, "exit_reason", Code.List.EXIT_REASON)


class PostAttendance(models.Model):
    """Days worked on the post in one month (reported monthly, by the 25th in one township)."""

    # Indexed as the first column of one_report_a_month (no index of its own).
    assignment = models.ForeignKey(
        PostAssignment,
        verbose_name=_("public-welfare post assignment"),
        on_delete=models.PROTECT,
        related_name="attendance",
        db_index=False,
    )
    month = models.DateField(_("month"))
    days_worked = models.PositiveSmallIntegerField(_("days worked"))
    # The local 100-point monthly assessment (百分制考核), where the county scores its posts.
    score = models.PositiveSmallIntegerField(_("assessment score"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["assignment_id", "month"]
        verbose_name = _("monthly post attendance")
        verbose_name_plural = _("monthly post attendance")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "month"], name="one_report_a_month"),
            models.CheckConstraint(condition=Q(days_worked__lte=31), name="days_in_a_month"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="score_out_of_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.month:%Y-%m}"


class PostVacancy(models.Model):
    """A place on a post freed by someone leaving; the caseworker reports it and recommends
    who should fill it (空岗报告, within days set by a parameter)."""

    post = models.ForeignKey(
        WelfarePost, verbose_name=_("public-welfare post"), on_delete=models.PROTECT,
        related_name="vacancies",
    )  # fmt: skip
    vacated_by = models.OneToOneField(
        PostAssignment, verbose_name=_("left by"), on_delete=models.PROTECT,
        related_name="vacancy",
    )  # fmt: skip
    vacated_on = models.DateField(_("vacated on"))
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        USER, verbose_name=_("reported by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recommendation = models.TextField(_("recommendation"), blank=True)

    class Meta:
        ordering = ["-vacated_on", "pk"]
        verbose_name = _("vacated post")
        verbose_name_plural = _("vacated posts")

    def __str__(self) -> str:
        return f"{self.post} {self.vacated_on}"


# The monthly subsidy rolls live in their own module; Django finds them through this one.
from .roll_models import SubsidyLine, SubsidyRoll  # noqa: E402

__all__ = [
    "ExitReason",
    "PostAssignment",
    "PostAttendance",
    "PostType",
    "PostVacancy",
    "SubsidyLine",
    "SubsidyRoll",
    "WelfarePost",
]
