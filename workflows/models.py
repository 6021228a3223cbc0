"""Process models (each points at its domain subject), task deadlines and notifications."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.fields import FlowReferenceField
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from casework.cases.models import EmploymentCase, HouseholdCase
from casework.monitoring.models import EliminationProposal
from casework.pairing.models import ServiceRequest
from casework.posts.models import PostVacancy
from casework.registry.models import Member

# The states of a step not yet done or cancelled (its deadline is filed while it is in one).
OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class HouseholdProcess(Process):
    """A household's way through assessment, review, dispatch and follow-up."""

    household_case: "models.ForeignKey[HouseholdCase, HouseholdCase]" = models.ForeignKey(
        HouseholdCase,
        verbose_name=_("household case"),
        on_delete=models.PROTECT,
        related_name="processes",
    )
    # viewflow's process manager has no type information; saying it is a manager of household
    # processes gives ``HouseholdCase.processes`` a type.
    _default_manager: ClassVar["models.Manager[HouseholdProcess]"]

    class Meta:
        verbose_name = _("household process")
        verbose_name_plural = _("household processes")


class EmploymentProcess(Process):
    """One labour member's way to stable work."""

    case: "models.OneToOneField[EmploymentCase, EmploymentCase]" = models.OneToOneField(
        EmploymentCase,
        verbose_name=_("employment case"),
        on_delete=models.PROTECT,
        related_name="process",
    )

    class Meta:
        verbose_name = _("employment process")
        verbose_name_plural = _("employment processes")


class MemberAssessmentProcess(Process):
    """Assessing one member on their own: a member who joined the household after its
    assessment (born, married in, moved in)."""

    household_case: "models.ForeignKey[HouseholdCase, HouseholdCase]" = models.ForeignKey(
        HouseholdCase,
        verbose_name=_("household case"),
        on_delete=models.PROTECT,
        related_name="member_processes",
    )
    member: "models.ForeignKey[Member, Member]" = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="assessment_processes",
    )
    _default_manager: ClassVar["models.Manager[MemberAssessmentProcess]"]

    class Meta:
        verbose_name = _("member assessment process")
        verbose_name_plural = _("member assessment processes")


class PostVacancyProcess(Process):
    """Reporting a vacated public-welfare post and recommending who fills it."""

    vacancy: "models.OneToOneField[PostVacancy, PostVacancy]" = models.OneToOneField(
        PostVacancy,
        verbose_name=_("vacated post"),
        on_delete=models.PROTECT,
        related_name="process",
    )

    class Meta:
        verbose_name = _("vacated-post process")
        verbose_name_plural = _("vacated-post processes")


class ServiceRequestProcess(Process):
    """A concern raised in a visit, handled by the household's caseworker by the promised date."""

    service_request: "models.OneToOneField[ServiceRequest, ServiceRequest]" = models.OneToOneField(
        ServiceRequest,
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        related_name="process",
    )

    class Meta:
        verbose_name = _("service-request process")
        verbose_name_plural = _("service-request processes")


class RiskEliminationProcess(Process):
    """A proposal to mark a monitored household's risk eliminated: review, public notice,
    elimination."""

    proposal: "models.OneToOneField[EliminationProposal, EliminationProposal]" = (
        models.OneToOneField(
            EliminationProposal,
            verbose_name=_("elimination proposal"),
            on_delete=models.PROTECT,
            related_name="process",
        )
    )

    class Meta:
        verbose_name = _("risk-elimination process")
        verbose_name_plural = _("risk-elimination processes")


class TaskDeadline(models.Model):
    """限时办结: when a human task is due, and when its lateness was escalated."""

    task = models.OneToOneField(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="deadline"
    )
    due_at = models.DateTimeField(_("due"), db_index=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # The grid of the step's household while the step is open, empty once it is done or
    # cancelled: an overdue list is the user's grids' entries past due in the partial index
    # below, instead of every open step of their processes checked for its deadline. Written
    # with the deadline, followed when the household moves, emptied when the step closes
    # (``workflows.records``, ``workflows.scope``). A list's rows still check each step's own
    # status; its count of overdue steps trusts this column (``scoping``).
    open_grid = models.ForeignKey(
        "registry.Grid",
        verbose_name=_("grid while open"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        # Only the partial index below: a plain one on the column would hold every closed
        # step's empty entry, and PostgreSQL, preferring it for a county's ninety grids, read
        # all their open steps to count the late ones (13 ms at a city's size, against 3).
        db_index=False,
    )

    class Meta:
        verbose_name = _("task deadline")
        verbose_name_plural = _("task deadlines")
        indexes = [
            models.Index(
                fields=["open_grid", "due_at"],
                condition=models.Q(open_grid__isnull=False),
                name="wf_deadline_open_grid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} → {self.due_at:%Y-%m-%d}"


class Notification(models.Model):
    """A message for one user about a task: that it is overdue, or that work was sent back."""

    class Kind(models.TextChoices):
        OVERDUE = "overdue", _("Overdue")
        SENT_BACK = "sent_back", _("Sent back")

    # Indexed as the first column of one_notice_per_task_and_kind (no index of its own).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # One notice of each kind per task and user: a task sent back and later overdue gets both.
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OVERDUE)
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "task", "kind"], name="one_notice_per_task_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class ProcessScope(models.Model):
    """Where a process's household lives: the keys "what may this user see" is answered by.

    One row per process of every flow, written when the process starts and rewritten when its
    household moves to another grid (``workflows.scope.services``). A user's processes are an
    index lookup on the ids of their grids and visited households
    (``casework.permissions.jurisdiction_of``), never a join over every process and its subject.
    ``process_scopes_check`` finds rows that disagree with the subject they were copied from.
    """

    process = models.OneToOneField(
        Process,
        verbose_name=_("process"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="scope",
    )
    # The household, grid and site are each the first column of a composite index below, which
    # serves their foreign keys' checks too: no index of their own (``db_index=False``).
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    grid = models.ForeignKey(
        "registry.Grid",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    site = models.ForeignKey(
        "registry.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # The member the process is about (none for a process about the whole household): the
    # lists show their name from here instead of following each kind of subject.
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The process's flow, as viewflow's own row has it (it never changes): a flow's process
    # list is counted and paged from the keys' index alone, without reading each process.
    flow_class = FlowReferenceField(_("flow"), editable=False)

    class Meta:
        verbose_name = _("process scope")
        verbose_name_plural = _("process scopes")
        # Each index ends with the process, so a user's processes are read from the index alone.
        indexes = [
            models.Index(fields=["grid", "process"], name="wf_scope_grid"),
            models.Index(fields=["grid", "flow_class", "process"], name="wf_scope_grid_flow"),
            models.Index(fields=["site", "process"], name="wf_scope_site"),
            models.Index(fields=["household", "process"], name="wf_scope_household"),
        ]

    def __str__(self) -> str:
        return f"{self.process_id} → {self.household_id}"
