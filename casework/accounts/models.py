"""Staff arrangements kept beside the accounts: a caseworker's absence covered by a substitute."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Substitution(models.Model):
    """From ``start_date`` to ``end_date`` (both included) ``substitute`` covers the grids of
    ``absent``: sees their households and takes the tasks of their grids. Ending it early sets
    ``ended_at``; the row stays as history."""

    # Indexed as the first column of substitution_absent (no index of its own).
    absent = models.ForeignKey(
        USER,
        verbose_name=_("absent caseworker"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Indexed as the first column of substitution_cover (no index of its own).
    substitute = models.ForeignKey(
        USER,
        verbose_name=_("substitute"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("arranged by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("arranged at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("substitution")
        verbose_name_plural = _("substitutions")
        indexes = [
            # The jurisdiction checks ask "whom does this user cover today?" on every request.
            models.Index(
                fields=["substitute", "end_date", "start_date"], name="substitution_cover"
            ),
            models.Index(fields=["absent", "end_date", "start_date"], name="substitution_absent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="substitution_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(absent=F("substitute")), name="substitution_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.substitute} ← {self.absent} {self.start_date}–{self.end_date}"
