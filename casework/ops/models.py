"""Operations records: each run of the consistency check."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsistencyRun(models.Model):
    """One run of ``check_consistency``: the breach count of each check and the breaches."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True, db_index=True)
    counts = models.JSONField(_("breaches by check"), default=dict)
    breaches = models.JSONField(_("breaches"), default=list)

    class Meta:
        ordering = ["-ran_at", "-pk"]
        verbose_name = _("consistency check")
        verbose_name_plural = _("consistency checks")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} · {self.total}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
