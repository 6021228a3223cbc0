"""Courses, their sessions and attendance, and enrolments with results and certificates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.cases.models import EmploymentCase
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_display
from casework.registry.models import Member, Site

USER = settings.AUTH_USER_MODEL


class Level(models.TextChoices):
    """Skill level of a course (同一职业同一等级不得重复享受补贴)."""

    NONE = "none", _("No level")
    JUNIOR = "junior", _("Junior (level 5)")
    MIDDLE = "middle", _("Intermediate (level 4)")
    SENIOR = "senior", _("Senior (level 3)")
    SPECIAL = "special", _("Specialised ability")


class CertificateType(models.TextChoices):
    QUALIFICATION = "qualification", _("Vocational qualification certificate")
    SKILL_LEVEL = "skill_level", _("Skill-level certificate")
    SPECIAL = "special", _("Specialised-ability certificate")
    COMPLETION = "completion", _("Training completion certificate")


def course_capacity_default() -> int:
    """The capacity a new course proposes (``training.course_capacity``)."""
    return int(param("training.course_capacity"))


def session_hours_default() -> int:
    """The hours a session counts unless given (``training.session_hours``)."""
    return int(param("training.session_hours"))


class Course(models.Model):
    """A training class (培训班). Trainers hold ``training.teach_course`` on it (guardian)."""

    name = models.CharField(_("course name"), max_length=100)
    trade = models.CharField(_("trade"), max_length=16)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.NONE)
    provider = models.CharField(_("training provider"), max_length=100, blank=True)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="courses"
    )
    location = models.CharField(_("location"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours = models.PositiveSmallIntegerField(_("class hours"), default=0)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=course_capacity_default)
    subsidised = models.BooleanField(_("subsidised"), default=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        permissions = [("teach_course", _("Teach the course and record its results"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="course_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="course_has_capacity"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_trade_display(self) -> str:
        return code_display(self, "trade", Code.List.TRADE)


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        DROPPED = "dropped", _("Dropped out")

    # Indexed as the first column of one_enrolment_per_course (no index of its own).
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="enrolments",
        db_index=False,
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
    # The day the trainee joined the class, which may be earlier than the day it was entered.
    joined_on = models.DateField(_("joined the class on"), default=timezone.localdate)
    result_by = models.ForeignKey(
        USER,
        verbose_name=_("result recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result_at = models.DateTimeField(_("result recorded at"), null=True, blank=True)
    attendance_rate = models.DecimalField(
        _("attendance rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # The pass mark applied when the result was recorded: the value of
    # ``training.attendance_threshold`` in force on the course's start date.
    attendance_threshold = models.DecimalField(
        _("attendance needed to pass (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    certificate_type = models.CharField(
        _("certificate type"), max_length=16, choices=CertificateType.choices, blank=True
    )
    certificate_number = models.CharField(_("certificate number"), max_length=50, blank=True)

    class Meta:
        ordering = ["course_id", "member_id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["member", "course"], name="one_enrolment_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.course}"


class Session(models.Model):
    """One day of teaching, at which attendance is taken."""

    # Indexed as the first column of one_session_per_day (no index of its own).
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="sessions",
        db_index=False,
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, default=session_hours_default
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["course_id", "date"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["course", "date"], name="one_session_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.date}"


class Attendance(models.Model):
    # Indexed as the first column of one_mark_per_session (no index of its own).
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
        db_index=False,
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    present = models.BooleanField(_("present"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="one_mark_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}@{self.session_id}: {self.present}"
