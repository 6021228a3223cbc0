"""Public-welfare post applications and assignments (quotas and eligibility rules come with the
posts module)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.cases.models import EmploymentCase
from casework.registry.models import Member

USER = settings.AUTH_USER_MODEL


class PostType(models.TextChoices):
    CLEANING = "cleaning", _("Sanitation and cleaning")
    FOREST = "forest", _("Forest ranger")
    SECURITY = "security", _("Public security patrol")
    ROADS = "roads", _("Road maintenance")
    SERVICE = "service", _("Community service")


class PostAssignment(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
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
    exit_reason = models.TextField(_("exit reason"), blank=True)

    class Meta:
        ordering = ["member_id", "applied_at"]
        verbose_name = _("public-welfare post assignment")
        verbose_name_plural = _("public-welfare post assignments")

    def __str__(self) -> str:
        return f"{self.member} · {self.get_post_type_display()}"
