"""A post's monthly subsidy roll (公益性岗位补贴发放表): approved by the site's manager, it keeps
each holder's line as paid (days, score, the subsidy due, the deduction, the amount) and locks
the month's attendance of the post."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class SubsidyRoll(models.Model):
    # Indexed as the first column of one_roll_a_month (no index of its own).
    post = models.ForeignKey(
        "posts.WelfarePost", verbose_name=_("public-welfare post"), on_delete=models.PROTECT,
        related_name="rolls", db_index=False,
    )  # fmt: skip
    month = models.DateField(_("month"))
    total = models.DecimalField(_("total (yuan)"), max_digits=11, decimal_places=2)
    approved_by = models.ForeignKey(
        USER, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        ordering = ["post_id", "-month"]
        verbose_name = _("subsidy roll")
        verbose_name_plural = _("subsidy rolls")
        constraints = [
            models.UniqueConstraint(fields=["post", "month"], name="one_roll_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.month:%Y-%m}"


class SubsidyLine(models.Model):
    # Indexed as the first column of one_line_a_holder (no index of its own).
    roll = models.ForeignKey(
        SubsidyRoll, verbose_name=_("subsidy roll"), on_delete=models.PROTECT,
        related_name="lines", db_index=False,
    )  # fmt: skip
    assignment = models.ForeignKey(
        "posts.PostAssignment", verbose_name=_("public-welfare post assignment"),
        on_delete=models.PROTECT, related_name="subsidy_lines",
    )  # fmt: skip
    days_worked = models.PositiveSmallIntegerField(_("days worked"))
    score = models.PositiveSmallIntegerField(_("assessment score"), null=True, blank=True)
    due = models.DecimalField(_("subsidy due (yuan)"), max_digits=9, decimal_places=2)
    deduction = models.DecimalField(_("deduction (yuan)"), max_digits=9, decimal_places=2)
    amount = models.DecimalField(_("amount paid (yuan)"), max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["roll_id", "pk"]
        verbose_name = _("subsidy roll line")
        verbose_name_plural = _("subsidy roll lines")
        constraints = [
            models.UniqueConstraint(fields=["roll", "assignment"], name="one_line_a_holder"),
            models.CheckConstraint(
                condition=Q(amount=F("due") - F("deduction")), name="line_adds_up"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.roll_id} · {self.assignment_id}"
