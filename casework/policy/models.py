"""Policy parameters: local numbers with the date from which each value applies."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .defaults import DEFAULTS


class Parameter(models.Model):
    """One value of a policy parameter, in force from ``valid_from`` until a later row replaces it.

    Parameters without any row use the default of ``casework.policy.defaults.DEFAULTS``.
    """

    key = models.CharField(_("parameter"), max_length=64)
    value = models.JSONField(_("value"))
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(_("source or note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["key", "-valid_from"]
        verbose_name = _("policy parameter")
        verbose_name_plural = _("policy parameters")
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="one_value_per_day"),
        ]

    def __str__(self) -> str:
        default = DEFAULTS.get(self.key)
        return f"{default.label if default else self.key}（{self.valid_from}）"
