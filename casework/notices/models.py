"""Public notices (公示): what a flow puts up on the community's board before it goes on, and
the objections the community raises against it.

A notice is about one domain object (a post application, an elimination proposal: its
``subject``) and one household. Its text is generated once, when it is posted, from the
public facts of the case only (``casework.notices.public``); it never holds an ID number, a
phone, a bank account, health or disability.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.registry.models import Household, Site

USER = settings.AUTH_USER_MODEL


class PublicNotice(models.Model):
    class Kind(models.TextChoices):
        POST = "post", _("Appointment to a public-welfare post")
        ELIMINATION = "elimination", _("Risk elimination")

    class Status(models.TextChoices):
        POSTED = "posted", _("On notice")
        PASSED = "passed", _("Passed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind of notice"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("notice text"))
    rows = models.JSONField(_("facts shown"), default=list)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="notices"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="notices"
    )
    # Indexed as the first column of notice_subject (no index of its own).
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    working_days = models.PositiveSmallIntegerField(_("working days on notice"))
    starts_on = models.DateField(_("notice posted on"))
    ends_on = models.DateField(_("notice period ends"))
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.POSTED
    )
    posted_by = models.ForeignKey(
        USER, verbose_name=_("posted by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    concluded_by = models.ForeignKey(
        USER, verbose_name=_("concluded by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    conclusion = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="notice_subject")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="notice_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=Q(status="posted"),
                name="one_open_notice_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_public_url(self) -> str:
        """The notice's public page (the printed copy's QR code leads there)."""
        return reverse("notice_public", args=[self.token])


class NoticeObjection(models.Model):
    """An objection raised against a notice, recorded by staff: who raised it, what it says,
    and how it was resolved (upheld or not)."""

    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("public notice"), on_delete=models.PROTECT,
        related_name="objections",
    )  # fmt: skip
    received_on = models.DateField(_("received on"))
    objector = models.CharField(_("raised by"), max_length=50)
    content = models.CharField(_("objection"), max_length=500)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    resolution = models.CharField(_("how it was resolved"), max_length=500, blank=True)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        USER, verbose_name=_("resolved by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["notice_id", "received_on", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True)
                | (~Q(resolution="") & Q(upheld__isnull=False)),
                name="objection_resolved_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.received_on}"

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None
