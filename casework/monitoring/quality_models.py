"""数据质量核查: the county checkers' 17 rules (reference/domain.md §5.11) run over everything
stored, nightly; each run's counts are kept, and the findings of the last run."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.registry.models import Household, Member


class QualityRun(models.Model):
    """One run of the data-quality rules: when, by whom, and how many findings per rule."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True, db_index=True)
    counts = models.JSONField(_("findings by rule"), default=dict)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-ran_at", "-pk"]
        verbose_name = _("data-quality run")
        verbose_name_plural = _("data-quality runs")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} · {self.total}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class QualityFinding(models.Model):
    """One breach of one rule, about one household (and one member where the rule is about a
    person), found by the last run. The next run replaces them all."""

    # Indexed as the first column of quality_run_household (no index of its own).
    run = models.ForeignKey(
        QualityRun,
        verbose_name=_("run"),
        on_delete=models.CASCADE,
        related_name="findings",
        db_index=False,
    )
    rule = models.PositiveSmallIntegerField(_("rule"))
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    detail = models.CharField(_("detail"), max_length=300)

    class Meta:
        ordering = ["rule", "household_id", "pk"]
        verbose_name = _("data-quality finding")
        verbose_name_plural = _("data-quality findings")
        # A user's findings are the newest run's, joined to their households' grids.
        indexes = [models.Index(fields=["run", "household"], name="quality_run_household")]

    def __str__(self) -> str:
        return f"{self.rule} · {self.household_id} · {self.detail}"
