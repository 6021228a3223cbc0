"""Endpoints of monitoring: monthly work records (务工月监测) and monitored households
(防返贫监测), scoped by ``casework.permissions`` as their pages are; a caller without the model
right the pages ask for reads an empty list (404 on a row). A grid's month of work records is
entered through ``work_month_record``, as on its page.

- work months: the records of the members of households the caller sees
  (``households_visible_to``), for holders of ``monitoring.view_monthlyworkrecord`` (the right
  the work-month pages' roles carry; a pairing helper has none);
- monitored households: the monitoring list's own selector (``monitored_visible_to``, every
  status), for holders of ``monitoring.view_monitoredhousehold`` as on its pages.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from casework import permissions
from casework.monitoring.models import MonitoredHousehold, MonthlyWorkRecord
from casework.monitoring.risk_selectors import monitored_visible_to
from casework.monitoring.services.work_months import WorkMonthEntry, work_month_record
from casework.policy.models import Code
from casework.policy.selectors import with_code_label

from .read_filters import MonitoredHouseholdFilter, WorkMonthFilter
from .read_serializers import MonitoredHouseholdSerializer, WorkMonthSerializer
from .views import ApiView, caller
from .write_serializers import WorkMonthInputSerializer, work_month_errors

VIEW_WORK_MONTHS = "monitoring.view_monthlyworkrecord"


class WorkMonthResultSerializer(serializers.Serializer[Any]):
    written = serializers.IntegerField(help_text="新建或改变的记录数（与已存相同的行不计）")


# The right the monitoring pages ask for (``monitoring.risk_views.VIEW_MONITORING``).
VIEW_MONITORING = "monitoring.view_monitoredhousehold"


@extend_schema_view(
    list=extend_schema(
        summary="务工月监测记录列表",
        description=(
            "调用方可见户内劳动力每月的务工情况（月份以当月 1 日表示），需有查看务工月监测的权限；"
            "updated_since 按最后录入时间筛选。"
        ),
    ),
    retrieve=extend_schema(summary="务工月监测记录详情", description="辖区外的记录返回 404。"),
    create=extend_schema(
        summary="录入网格的务工月监测",
        description="一个网格一个月的若干行；任何一行有误则整月不保存，错误指明第几行。",
        request=WorkMonthInputSerializer,
        responses={201: WorkMonthResultSerializer},
    ),
)
class WorkMonthViewSet(
    ApiView, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[MonthlyWorkRecord]
):
    serializer_class = WorkMonthSerializer
    filterset_class = WorkMonthFilter

    def get_queryset(self) -> QuerySet[MonthlyWorkRecord]:
        user = self.request.user
        if not user.has_perm(VIEW_WORK_MONTHS):
            return MonthlyWorkRecord.objects.none()
        households = permissions.households_visible_to(user)
        records = MonthlyWorkRecord.objects.filter(
            member__household__in=households.values("pk")
        ).annotate(household_pk=F("member__household_id"))
        return with_code_label(records, "channel", Code.List.CHANNEL)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        context = {
            **self.get_serializer_context(),
            "grids": permissions.grids_for_work_months(request.user),
        }
        given = WorkMonthInputSerializer(data=request.data, context=context)
        given.is_valid(raise_exception=True)
        lines = [dict(line) for line in given.validated_data["entries"]]
        entries = [WorkMonthEntry(member_id=line.pop("member"), **line) for line in lines]
        try:
            written = work_month_record(
                actor=caller(request), grid=given.validated_data["grid"],
                month=given.validated_data["month"], entries=entries,
            )  # fmt: skip
        except DjangoValidationError as exc:
            members = [entry.member_id for entry in entries]
            raise ValidationError(work_month_errors(exc, members)) from exc
        return Response({"written": written}, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="防返贫监测对象列表",
        description=(
            "调用方可见户的监测记录（含已消除风险的），需有查看监测对象的权限（与监测页面一致）。"
            "不含风险类型和备注（涉及健康状况）。监测记录不记录最后变更时间，故不提供 "
            "updated_since。"
        ),
    ),
    retrieve=extend_schema(summary="防返贫监测对象详情", description="辖区外的记录返回 404。"),
)
class MonitoredHouseholdViewSet(ApiView, viewsets.ReadOnlyModelViewSet[MonitoredHousehold]):
    serializer_class = MonitoredHouseholdSerializer
    filterset_class = MonitoredHouseholdFilter

    def get_queryset(self) -> QuerySet[MonitoredHousehold]:
        user = self.request.user
        if not user.has_perm(VIEW_MONITORING):
            return MonitoredHousehold.objects.none()
        return monitored_visible_to(user, status="all")
