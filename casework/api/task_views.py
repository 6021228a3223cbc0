"""Tasks through the API: the caller's inbox (assigned to them) and queue (free, theirs to
take), scoped as the pages' lists are; a step listed in ``workflows.api_steps`` completed with
its page's fields, under the flow's lock and permission: of two at once, one wins and the other
is answered 409."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.api_steps import API_STEPS, TaskUnavailable, step_complete
from workflows.flows import FLOWS
from workflows.scoping import in_scope
from workflows.selectors import inbox_tasks, queue_tasks, tasks_of_flows, with_subject

from .views import ApiView, caller


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class TaskSerializer(serializers.ModelSerializer[Task]):
    step = serializers.SerializerMethodField(help_text="步骤（流程.节点）")
    title = serializers.SerializerMethodField(help_text="步骤名称")
    household = serializers.IntegerField(source="wf_household_id", read_only=True, allow_null=True)
    due_at = serializers.DateTimeField(source="wf_due", read_only=True, allow_null=True)
    completable = serializers.SerializerMethodField(help_text="可否通过接口办理")

    class Meta:
        model = Task
        fields = (
            "id", "process", "step", "title", "status", "owner", "household", "created",
            "due_at", "finished", "completable",
        )  # fmt: skip
        read_only_fields = fields

    def get_step(self, task: Task) -> str:
        return get_task_ref(task.flow_task)

    def get_title(self, task: Task) -> str:
        return str(task.flow_task.task_title)

    def get_completable(self, task: Task) -> bool:
        return task.flow_task in API_STEPS


class StepDataSerializer(serializers.Serializer[Any]):
    """The step's page fields. 审核 (``HouseholdFlow.review``): ``decision`` and ``reason``."""

    decision = serializers.ChoiceField(choices=["approve", "return"], required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


BOX = OpenApiParameter(
    "box", OpenApiTypes.STR, enum=["inbox", "queue"], description="inbox：已认领；queue：可认领"
)


@extend_schema_view(
    list=extend_schema(
        summary="待办任务", description="调用者的待办（已认领）与可认领任务。", parameters=[BOX]
    ),
    retrieve=extend_schema(summary="任务详情"),
)
class TaskViewSet(ApiView, viewsets.ReadOnlyModelViewSet[Task]):
    serializer_class = TaskSerializer

    def get_queryset(self) -> QuerySet[Task]:
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a caller
            return Task.objects.none()
        if self.action == "complete":
            # Any task of the caller's flows in their jurisdiction: one someone else took or
            # finished meanwhile is a lost race (409), not a task that does not exist.
            return in_scope(tasks_of_flows(FLOWS, user), user)
        box = self.request.query_params.get("box")
        inbox, queue = inbox_tasks(user), queue_tasks(user)
        if box == "inbox":
            mine = Q(pk__in=inbox.values("pk"))
        elif box == "queue":
            mine = Q(pk__in=queue.values("pk"))
        else:
            mine = Q(pk__in=inbox.values("pk")) | Q(pk__in=queue.values("pk"))
        return with_subject(Task.objects.filter(mine)).select_related("process")

    @extend_schema(
        summary="办理任务",
        description=(
            "以该步骤页面的字段办理（认领、办理并流转，一次完成）；只能办理 completable 为真的"
            "步骤。他人已认领或已办结时返回 409。"
        ),
        request=StepDataSerializer,
        responses={200: TaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise Conflict(_("This task has already been completed."))
        if not isinstance(request.data, dict):
            raise ValidationError({"detail": _("Send the step's fields as a JSON object.")})
        try:
            step_complete(actor=caller(request), task=task, data=dict(request.data))
        except TaskUnavailable as exc:
            raise Conflict(str(exc)) from exc
        done = with_subject(Task.objects.filter(pk=task.pk)).get()
        return Response(TaskSerializer(done, context=self.get_serializer_context()).data)
