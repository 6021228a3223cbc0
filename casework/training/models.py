"""Courses and enrolments (the trainer's side — sessions, attendance — comes with the training
module)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.cases.models import EmploymentCase
from casework.policy.codes import Trade
from casework.registry.models import Member, Site

USER = settings.AUTH_USER_MODEL


class Course(models.Model):
    """A training class (培训班)."""

    name = models.CharField(_("course name"), max_length=100)
    trade = models.CharField(_("trade"), max_length=16, choices=Trade.choices)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="courses"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="course_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        DROPPED = "dropped", _("Dropped out")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="enrolments"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    case = models.ForeignKey(
        EmploymentCase,
        verbose_name=_("employment case"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED
    )
    enrolled_by = models.ForeignKey(
        USER, verbose_name=_("enrolled by"), on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    result_by = models.ForeignKey(
        USER,
        verbose_name=_("result recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result_at = models.DateTimeField(_("result recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["course_id", "member_id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["member", "course"], name="one_enrolment_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.course}"
